/**
 * The function's log lines grouped into runs (one Lambda request id each), so every count the
 * learner reads — runs started, runs finished, runs that failed, attempts of one run — is taken
 * from the same grouping and they agree with each other.
 *
 * One request id can appear more than once: Lambda retries an *asynchronous* invocation (which is
 * how EventBridge invokes a function) up to twice when the function fails, with the same request id
 * and event, about a minute and then two minutes later. Each attempt writes its own START … REPORT.
 */
import type { LogLine } from '../shared/logEvents.js';
import { requestIdOf } from '../shared/lambdaLogEntries.js';

export interface FunctionRun {
  requestId: string;
  lines: LogLine[];
  /** START lines seen: 1 for a run that was not retried. */
  attempts: number;
  /** REPORT lines seen: attempts that finished. */
  finished: number;
  /** The handler's "run started" fields: what triggered it and, for a schedule, the event time. */
  trigger?: string;
  eventTime?: number;
  /** The first START (or first line) of the run, target ms. */
  startedAt: number;
  /** Some attempt logged an error (ERROR level, an uncaught error, a timeout). */
  failed: boolean;
}

const isErrorLine = (l: LogLine): boolean =>
  l.fields?.level === 'ERROR' || /\tERROR\t/.test(l.message) || /Task timed out|"errorType"/.test(l.message);

/** Runs in order of their first line. Lines without a request id are left out. */
export function groupRuns(lines: LogLine[]): FunctionRun[] {
  const byId = new Map<string, FunctionRun>();
  for (const line of lines) {
    const id = requestIdOf(line);
    if (!id) continue;
    let run = byId.get(id);
    if (!run) {
      run = { requestId: id, lines: [], attempts: 0, finished: 0, startedAt: line.timestamp, failed: false };
      byId.set(id, run);
    }
    run.lines.push(line);
    if (line.kind === 'START') run.attempts++;
    if (line.kind === 'REPORT') run.finished++;
    if (isErrorLine(line)) run.failed = true;
    if (line.fields?.message === 'run started' && run.trigger === undefined) {
      run.trigger = String(line.fields.trigger ?? '');
      const t = Date.parse(String(line.fields.event_time ?? ''));
      if (!Number.isNaN(t)) run.eventTime = t;
    }
  }
  return [...byId.values()].sort((a, b) => a.startedAt - b.startedAt);
}

export const scheduledRuns = (runs: FunctionRun[]): FunctionRun[] =>
  runs.filter((r) => r.trigger === 'schedule');
