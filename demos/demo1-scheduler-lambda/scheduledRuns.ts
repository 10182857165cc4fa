/**
 * Watching the schedule work: wait (in target time) for a scheduled run to write a window's summary
 * or to start after a given moment, and pick a run's lines out of the function's log group.
 */
import type { StepContext } from '../../src/course/model.js';
import type { HourWindow } from '../shared/hourWindows.js';
import { readLogLines, type LogLine } from '../shared/logEvents.js';
import { waitForLines } from '../shared/logWaits.js';
import { readSummary, type CuratedSummary } from '../shared/orderStore.js';
import { formatDuration, msUntilNextTick, waitInTargetTime } from '../shared/targetWait.js';
import { SCHEDULE_PERIOD_MS } from './names.js';
import { need, type Demo1State } from './state.js';

type Ctx = StepContext<Demo1State>;

/** Poll often enough that a ~2 s scheduled period on the sandbox is seen promptly; 5 s on AWS. */
const POLL_MS = 5_000;
/** A new rule's first run on AWS can take a minute or two; several periods is plenty. */
export const SCHEDULE_WAIT_TIMEOUT_MS = 5 * SCHEDULE_PERIOD_MS;
/** Log lines are read from a little before the moment of interest (clock skew, event time rounding). */
const LOG_SLACK_MS = 2 * SCHEDULE_PERIOD_MS;

function countdown(ctx: Ctx): () => string {
  return () => {
    const created = ctx.state.ruleCreatedAt;
    if (created === undefined) return 'the rule fires every minute';
    const left = msUntilNextTick(created, ctx.clock.now(), SCHEDULE_PERIOD_MS);
    return `next run expected in ~${formatDuration(left)} (target time)`;
  };
}

/**
 * Wait until a scheduled run has written a non-empty summary for `window`. On timeout, when the
 * function's runs failed, the error says with what (as its log has it), not only that none wrote.
 */
export async function waitForScheduledSummary(ctx: Ctx, window: HourWindow): Promise<CuratedSummary> {
  const bucket = need(ctx.state.bucket, 'the bucket');
  const started = ctx.clock.now();
  try {
    return await waitInTargetTime(ctx, {
      label: 'Waiting for the schedule to run the job',
      timeoutMs: SCHEDULE_WAIT_TIMEOUT_MS,
      timeoutMessage:
        'no scheduled run wrote the summary in time — is the rule ENABLED and does the function have the permission?',
      pollMs: POLL_MS,
      status: countdown(ctx),
      probe: async () => {
        const s = await readSummary(ctx.aws.s3, bucket, window);
        return s && s.record_count > 0 ? s : undefined;
      },
    });
  } catch (err) {
    if ((err as Error).name !== 'WaitTimeoutError') throw err;
    const failures = runFailures(await functionLogLines(ctx, started));
    if (failures.length > 0) {
      // Same error, told more: the learner sees why the runs did not write, not only that they did not.
      (err as Error).message +=
        `; the function failed ${failures.length} time${failures.length === 1 ? '' : 's'}, the last with ` +
        `${failures.at(-1)} (its log group ${ctx.state.logGroupName})`;
    }
    throw err;
  }
}

/** The errors the function's runs ended with: the runtime's "Invoke Error" lines, oldest first. */
export function runFailures(lines: LogLine[]): string[] {
  return lines.flatMap((l) => {
    const type = l.fields?.errorType;
    const message = l.fields?.errorMessage;
    return typeof type === 'string' && typeof message === 'string' ? [`${type}: ${message}`] : [];
  });
}

/** The handler's "run started" line: which trigger, which event time. */
export function runStarts(lines: LogLine[]): Array<LogLine & { eventTime: number }> {
  return lines.flatMap((l) => {
    if (l.fields?.message !== 'run started' || l.fields.trigger !== 'schedule') return [];
    const eventTime = Date.parse(String(l.fields.event_time));
    return Number.isNaN(eventTime) ? [] : [{ ...l, eventTime }];
  });
}

/** The function's log lines from shortly before `since` (target time) on. */
export async function functionLogLines(ctx: Ctx, since: number): Promise<LogLine[]> {
  return readLogLines(ctx.aws.logs, need(ctx.state.logGroupName, 'the log group'), {
    startTime: since - LOG_SLACK_MS,
  });
}

/**
 * Wait for a scheduled run whose event time is at or after `after` to finish (its REPORT line is
 * written). Returns all log lines of that run.
 */
export async function waitForScheduledRunAfter(ctx: Ctx, after: number): Promise<LogLine[]> {
  return waitInTargetTime(ctx, {
    label: 'Waiting for the next scheduled run',
    timeoutMs: SCHEDULE_WAIT_TIMEOUT_MS,
    timeoutMessage: 'no scheduled run started in time — is the rule ENABLED?',
    pollMs: POLL_MS,
    status: countdown(ctx),
    probe: async () => {
      const lines = await functionLogLines(ctx, after);
      const start = runStarts(lines).find((l) => l.eventTime >= Math.floor(after / 1000) * 1000);
      if (!start) return undefined;
      const run = linesOfRun(lines, start);
      return run.some((l) => l.kind === 'REPORT') ? run : undefined;
    },
  });
}

/**
 * Wait until the function's log lines since `since` satisfy `ready` — log delivery lags the
 * invocation (seconds on AWS) — and return them. `soft`: on timeout return what is there instead of
 * failing (for display only).
 */
export async function waitForLogLines(
  ctx: Ctx,
  since: number,
  label: string,
  ready: (lines: LogLine[]) => boolean,
  opts: { soft?: boolean; timeoutMs?: number } = {},
): Promise<LogLine[]> {
  return waitForLines(ctx, () => functionLogLines(ctx, since), label, ready, { pollMs: POLL_MS, ...opts });
}

/** The lines of the invocation that `anchor` belongs to: same stream, from its START to its REPORT. */
export function linesOfRun(lines: LogLine[], anchor: LogLine): LogLine[] {
  const stream = lines.filter((l) => l.stream === anchor.stream);
  const at = stream.findIndex((l) => l.timestamp === anchor.timestamp && l.message === anchor.message);
  if (at < 0) return [anchor];
  let from = at;
  while (from > 0 && stream[from]!.kind !== 'START') from--;
  let to = at;
  while (to < stream.length - 1 && stream[to]!.kind !== 'REPORT') to++;
  return stream.slice(from, to + 1);
}

/** The lines of the invocation with this request id (START/END/REPORT name it; the handler's lines carry it). */
export function linesOfRequest(lines: LogLine[], requestId: string): LogLine[] {
  return lines.filter((l) => l.message.includes(requestId));
}
