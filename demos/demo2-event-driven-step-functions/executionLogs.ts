/**
 * The state machine's own log: with logging level ALL, Step Functions writes every history event of
 * every execution to its log group as one JSON object per line (`type`, `id`, `details`,
 * `execution_arn`, …). Reading them back is how an operator sees executions without the console.
 */
import type { StepContext, Table } from '../../src/course/model.js';
import type { TargetTime } from '../../src/course/targetTime.js';
import { readLogLines, type LogLine } from '../shared/logEvents.js';
import { waitForLines } from '../shared/logWaits.js';
import { need, type Demo2State } from './state.js';

type Ctx = StepContext<Demo2State>;

export interface ExecutionLogEvent {
  timestamp: number;
  type: string;
  /** The state the event names (entered/exited events), if any. */
  state?: string;
  id: number;
}

/** Lines are read from a little before the execution started (clock skew, batching). */
const SLACK_MS = 60_000;

function toEvent(line: LogLine, executionArn: string): ExecutionLogEvent | undefined {
  const f = line.fields;
  if (!f || f.execution_arn !== executionArn || typeof f.type !== 'string') return undefined;
  const details = (f.details ?? {}) as { name?: unknown };
  return {
    timestamp: line.timestamp,
    type: f.type,
    state: typeof details.name === 'string' ? details.name : undefined,
    id: Number(f.id),
  };
}

/** The execution's events in the state machine's log group, in event order. */
export async function executionLogEvents(
  ctx: Ctx,
  executionArn: string,
  since: number,
): Promise<ExecutionLogEvent[]> {
  const group = need(ctx.state.logGroups, 'the log groups').stateMachine;
  const lines = await readLogLines(ctx.aws.logs, group, { startTime: since - SLACK_MS });
  return lines
    .map((l) => toEvent(l, executionArn))
    .filter((e): e is ExecutionLogEvent => e !== undefined)
    .sort((a, b) => a.id - b.id);
}

/** Wait (bounded: log delivery lags on AWS) until the execution's final event is in the log group. */
export async function waitForExecutionLog(
  ctx: Ctx,
  executionArn: string,
  since: number,
  finalType: string,
): Promise<ExecutionLogEvent[]> {
  const group = need(ctx.state.logGroups, 'the log groups').stateMachine;
  const lines = await waitForLines(
    ctx,
    () => readLogLines(ctx.aws.logs, group, { startTime: since - SLACK_MS }),
    `Waiting for the execution's events in ${group}`,
    (ls) => ls.some((l) => toEvent(l, executionArn)?.type === finalType),
    { soft: true, pollMs: 1_000 },
  );
  return lines
    .map((l) => toEvent(l, executionArn))
    .filter((e): e is ExecutionLogEvent => e !== undefined)
    .sort((a, b) => a.id - b.id);
}

/** The logged events as a table: time on the target's clock, event id, type, state. */
export function logEventTable(title: string, events: ExecutionLogEvent[], time: TargetTime): Table {
  return {
    title,
    note: time.columnNote,
    columns: [time.columnTitle, 'id', 'event', 'state'],
    rows: events.map((e) => [time.clockTime(e.timestamp), e.id, e.type, e.state ?? '']),
  };
}
