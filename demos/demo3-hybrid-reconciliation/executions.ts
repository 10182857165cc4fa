/**
 * Watching the state machine the way a data engineer would: find the executions an arrival or the
 * schedule started (by their input, read back from Step Functions), wait for them in target time,
 * follow one live, and read a reconciliation's report from its output.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ListExecutionsCommand,
  type DescribeExecutionCommandOutput,
  type ExecutionListItem,
} from '@aws-sdk/client-sfn';
import type { StepContext } from '../../src/course/model.js';
import { buildStateGraph } from '../../src/course/execution/executionGraph.js';
import { followExecution, type FollowedExecution } from '../../src/course/execution/followExecution.js';
import { ruleFailureReport } from '../shared/ruleFailures.js';
import { waitInTargetTime } from '../shared/targetWait.js';
import type { ReconciliationReport } from './lambda/report.mjs';
import { GRACE, SCHEDULE_PERIOD_MS } from './names.js';
import { need, type Demo3State, type ReconciliationRun } from './state.js';

type Ctx = StepContext<Demo3State>;

/** What the rules' input transformers (or a hand-started reconciliation) give the state machine. */
export interface MachineInput {
  mode?: string;
  bucket?: string;
  key?: string;
  time?: string;
}

export class ReconciliationFailedError extends Error {
  override readonly name = 'ReconciliationFailedError';
}

const POLL_MS = 5_000;
/** A reconciliation lasts its grace periods plus a little work (minutes on AWS). */
export const RECONCILIATION_TIMEOUT_MS = (GRACE.seconds * (GRACE.rechecks + 2) + 300) * 1000;

function parseInput(text: string | undefined): MachineInput {
  try {
    const v = JSON.parse(text ?? '{}') as unknown;
    return v && typeof v === 'object' ? (v as MachineInput) : {};
  } catch {
    return {};
  }
}

/** An execution's input never changes: read it once per process. */
const inputs = new Map<string, MachineInput>();

async function inputOf(ctx: Ctx, executionArn: string): Promise<MachineInput> {
  let input = inputs.get(executionArn);
  if (!input) {
    const d = await ctx.aws.sfn.send(new DescribeExecutionCommand({ executionArn }));
    input = parseInput(d.input);
    inputs.set(executionArn, input);
  }
  return input;
}

/** The state machine's executions started at or after `since` (target ms), newest first. */
export async function executionsSince(ctx: Ctx, since: number): Promise<ExecutionListItem[]> {
  const stateMachineArn = need(ctx.state.stateMachine, 'the state machine').arn;
  const found: ExecutionListItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ctx.aws.sfn.send(
      new ListExecutionsCommand({ stateMachineArn, maxResults: 1000, nextToken }),
    );
    for (const e of page.executions ?? []) {
      // Newest first: the first older one ends the search.
      if ((e.startDate?.getTime() ?? 0) < since) return found;
      found.push(e);
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return found;
}

/**
 * Wait until every key has an event run that started at or after `since` and none of them is still
 * running; returns each key's (newest) execution with its status.
 */
export async function waitForEventRuns(
  ctx: Ctx,
  keys: string[],
  since: number,
  label: string,
): Promise<Map<string, ExecutionListItem>> {
  const wanted = new Set(keys);
  return waitInTargetTime(ctx, {
    label,
    // EventBridge starts an execution within seconds; then each run takes a few seconds more.
    timeoutMs: 5 * 60_000 + keys.length * 10_000,
    timeoutMessage: 'not every upload started a finished execution',
    // What the target says about it: the arrival rule's FailedInvocations.
    explainTimeout: async () =>
      ruleFailureReport(ctx, need(ctx.state.arrivalRule, 'the arrival rule').name, since),
    pollMs: POLL_MS,
    probe: async () => {
      const byKey = new Map<string, ExecutionListItem>();
      for (const e of await executionsSince(ctx, since)) {
        const input = await inputOf(ctx, e.executionArn!);
        if (input.mode === 'event' && input.key && wanted.has(input.key) && !byKey.has(input.key)) {
          byKey.set(input.key, e);
        }
      }
      const done = byKey.size === wanted.size && [...byKey.values()].every((e) => e.status !== 'RUNNING');
      return done ? byKey : undefined;
    },
    status: () => `${keys.length} upload(s)`,
  });
}

/** The first scheduled reconciliation that started at or after `since` (waits for the schedule to fire). */
export async function waitForScheduledRun(
  ctx: Ctx,
  since: number,
  label: string,
): Promise<ExecutionListItem> {
  return waitInTargetTime(ctx, {
    label,
    timeoutMs: SCHEDULE_PERIOD_MS + 3 * 60_000,
    timeoutMessage: 'no scheduled reconciliation started',
    explainTimeout: async () =>
      ruleFailureReport(ctx, need(ctx.state.scheduleRule, 'the schedule rule').name, since),
    pollMs: POLL_MS,
    probe: async () => {
      const scheduled: ExecutionListItem[] = [];
      for (const e of await executionsSince(ctx, since)) {
        if ((await inputOf(ctx, e.executionArn!)).mode === 'scheduled') scheduled.push(e);
      }
      return scheduled.at(-1);
    },
  });
}

/**
 * Wait until no execution of the state machine is running — say a reconciliation still in its grace
 * periods — and return the target time at which none was.
 */
export async function waitUntilNoneRunning(ctx: Ctx, label: string): Promise<number> {
  const stateMachineArn = need(ctx.state.stateMachine, 'the state machine').arn;
  return waitInTargetTime(ctx, {
    label,
    timeoutMs: RECONCILIATION_TIMEOUT_MS,
    timeoutMessage: 'an execution of the state machine is still running',
    pollMs: POLL_MS,
    probe: async () => {
      const page = await ctx.aws.sfn.send(
        new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 1 }),
      );
      return (page.executions ?? []).length === 0 ? ctx.clock.now() : undefined;
    },
    status: () => 'a reconciliation is still running',
  });
}

/**
 * Follow an execution live: one line per transition, then the whole state graph — or, for a run
 * of a kind the learner has seen already, only the path it took.
 */
export async function watchExecution(
  ctx: Ctx,
  executionArn: string,
  label: string,
  finalView: 'graph' | 'path' = 'graph',
): Promise<FollowedExecution> {
  const d = await ctx.aws.sfn.send(
    new DescribeStateMachineCommand({
      stateMachineArn: need(ctx.state.stateMachine, 'the state machine').arn,
    }),
  );
  return followExecution({
    sfn: ctx.aws.sfn,
    executionArn,
    graph: buildStateGraph(d.definition),
    out: ctx.out,
    clock: ctx.clock,
    signal: ctx.signal,
    timeoutMs: RECONCILIATION_TIMEOUT_MS,
    label,
    finalView,
  });
}

/** What a finished reconciliation reported, from its execution's output. */
export function reconciliationRunOf(d: DescribeExecutionCommandOutput): ReconciliationRun {
  if (d.status !== 'SUCCEEDED') {
    throw new ReconciliationFailedError(
      `reconciliation ${d.name ?? d.executionArn} ended ${d.status}: ${d.error ?? ''} ${d.cause ?? ''}`.trim(),
    );
  }
  const out = JSON.parse(d.output ?? '{}') as {
    report_key?: string;
    markdown_key?: string;
    counts?: ReconciliationRun['counts'];
  };
  if (!out.report_key || !out.markdown_key || !out.counts) {
    throw new ReconciliationFailedError(`reconciliation ${d.name} succeeded without naming its report`);
  }
  return {
    executionArn: d.executionArn!,
    startedAt: d.startDate?.getTime() ?? 0,
    reportKey: out.report_key,
    markdownKey: out.markdown_key,
    counts: out.counts,
  };
}

/** Follow a reconciliation to its end and return what it reported. */
export async function runToReport(
  ctx: Ctx,
  executionArn: string,
  label: string,
  finalView: 'graph' | 'path' = 'graph',
): Promise<ReconciliationRun> {
  const followed = await watchExecution(ctx, executionArn, label, finalView);
  return reconciliationRunOf(followed.description);
}

export async function describeExecution(
  ctx: Ctx,
  executionArn: string,
): Promise<DescribeExecutionCommandOutput> {
  return ctx.aws.sfn.send(new DescribeExecutionCommand({ executionArn }));
}

/** A report as the bucket holds it. */
export async function readReport(ctx: Ctx, key: string): Promise<ReconciliationReport> {
  const res = await ctx.aws.s3.send(
    new GetObjectCommand({ Bucket: need(ctx.state.bucket, 'the bucket'), Key: key }),
  );
  return JSON.parse(await res.Body!.transformToString('utf-8')) as ReconciliationReport;
}

/** An execution's name, the last part of its ARN. */
export { executionName as executionNameOf } from '../../src/course/execution/followExecution.js';
