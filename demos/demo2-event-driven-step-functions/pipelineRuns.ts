/**
 * Driving and watching the pipeline the way a data engineer would: drop a file into incoming/, find
 * the execution its Object Created event started (by key and ETag, read back from the execution's
 * input), follow it live, and read its history back for checks.
 */
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ListExecutionsCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import type { StepContext } from '../../src/course/model.js';
import { buildStateGraph, type StateGraph } from '../../src/course/execution/executionGraph.js';
import { executionProgress, type ExecutionProgress } from '../../src/course/execution/executionProgress.js';
import {
  followExecution,
  readExecutionHistory,
  type FollowedExecution,
} from '../../src/course/execution/followExecution.js';
import { readBack } from '../shared/checks.js';
import { waitInTargetTime } from '../shared/targetWait.js';
import { ruleFailureReport } from '../shared/ruleFailures.js';
import type { IncomingFile } from './sampleFiles.js';
import { need, type Demo2State, type UploadRecord } from './state.js';

type Ctx = StepContext<Demo2State>;

/** What the rule's input transformer hands the state machine (see the rule in setup). */
export interface PipelineInput {
  bucket: string;
  key: string;
  size: number;
  etag: string;
  eventId: string;
  eventTime: string;
}

/** EventBridge delivers within seconds on AWS; a minute is generous. */
const EXECUTION_START_TIMEOUT_MS = 60_000;
const POLL_MS = 1_000;

const unquote = (etag: string | undefined): string => (etag ?? '').replace(/^"|"$/g, '');

/** Put the file into incoming/; returns what was uploaded, with the target's time of the upload. */
export async function uploadIncoming(ctx: Ctx, file: IncomingFile): Promise<UploadRecord & { etag: string }> {
  const bucket = need(ctx.state.bucket, 'the bucket');
  const put = await ctx.aws.s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: file.key,
      Body: file.body,
      ContentType: 'application/x-ndjson',
    }),
  );
  const upload = {
    key: file.key,
    window: file.window,
    stats: file.stats,
    uploadedAt: ctx.clock.now(),
    etag: unquote(put.ETag),
  };
  ctx.state.uploads[file.purpose] = upload;
  return upload;
}

/**
 * When S3 says the object was last written (its LastModified, on the target's clock), or undefined
 * when there is no such object. Two of these give "from the upload to the summary" in S3's own
 * times (whole seconds on AWS).
 */
export async function lastModifiedAt(ctx: Ctx, key: string): Promise<number | undefined> {
  const head = await readBack(() =>
    ctx.aws.s3.send(new HeadObjectCommand({ Bucket: need(ctx.state.bucket, 'the bucket'), Key: key })),
  );
  return head?.LastModified?.getTime();
}

/** The ETag S3 holds for a key now (to recognise the upload's event after a resume). */
export async function currentEtag(ctx: Ctx, key: string): Promise<string | undefined> {
  try {
    const head = await ctx.aws.s3.send(
      new HeadObjectCommand({ Bucket: need(ctx.state.bucket, 'the bucket'), Key: key }),
    );
    return unquote(head.ETag);
  } catch (err) {
    if ((err as Error).name === 'NotFound' || (err as Error).name === 'NoSuchKey') return undefined;
    throw err;
  }
}

export function parseInput(text: string | undefined): Partial<PipelineInput> {
  try {
    const v = JSON.parse(text ?? '{}') as unknown;
    return v && typeof v === 'object' ? (v as Partial<PipelineInput>) : {};
  } catch {
    return {};
  }
}

/**
 * Wait for the execution that the upload of `key` (with this ETag) started, and return its ARN.
 * Executions already attributed to an upload are skipped, so a re-upload of the same bytes (a
 * repeated step, or the fixed file under the rejected file's key) finds its own execution.
 */
export async function findExecutionFor(ctx: Ctx, key: string, etag: string): Promise<string> {
  const stateMachineArn = need(ctx.state.stateMachineArn, 'the state machine');
  const claimed = new Set(ctx.state.attributed);
  const looked = new Set<string>();
  // The latest upload of this key (a fixed file goes under a rejected file's key).
  const uploads = Object.values(ctx.state.uploads).filter((u) => u?.key === key);
  const latest = Math.max(...uploads.map((u) => u!.uploadedAt));
  const since = uploads.length > 0 ? Math.min(latest, ctx.clock.now()) : ctx.clock.now();
  return waitInTargetTime(ctx, {
    label: 'Waiting for the Object Created event to start an execution',
    timeoutMs: EXECUTION_START_TIMEOUT_MS,
    timeoutMessage: `no execution started for ${key}`,
    // What the target says about it: the rule's FailedInvocations.
    explainTimeout: async () => ruleFailureReport(ctx, need(ctx.state.ruleName, 'the rule'), since),
    pollMs: POLL_MS,
    probe: async () => {
      const page = await ctx.aws.sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 100 }));
      for (const e of page.executions ?? []) {
        const arn = e.executionArn;
        if (!arn || claimed.has(arn) || looked.has(arn)) continue;
        const d = await ctx.aws.sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
        const input = parseInput(d.input);
        if (input.key === key && unquote(input.etag) === etag) {
          ctx.state.attributed.push(arn);
          return arn;
        }
        // Another file's execution: no need to describe it again.
        looked.add(arn);
      }
      return undefined;
    },
  });
}

/** The graph of the state machine as deployed (its definition read back from Step Functions). */
export async function deployedGraph(ctx: Ctx): Promise<StateGraph> {
  const d = await ctx.aws.sfn.send(
    new DescribeStateMachineCommand({
      stateMachineArn: need(ctx.state.stateMachineArn, 'the state machine'),
    }),
  );
  return buildStateGraph(d.definition);
}

/** Follow an execution live (graph in a terminal, one line per transition everywhere). */
export async function watchExecution(
  ctx: Ctx,
  executionArn: string,
  opts: { afterEventId?: number; label?: string } = {},
): Promise<FollowedExecution> {
  return followExecution({
    sfn: ctx.aws.sfn,
    executionArn,
    graph: await deployedGraph(ctx),
    out: ctx.out,
    clock: ctx.clock,
    signal: ctx.signal,
    ...opts,
  });
}

export interface ExecutionReadBack {
  status?: string;
  error?: string;
  cause?: string;
  input: Partial<PipelineInput>;
  output?: unknown;
  redriveCount: number;
  startDate?: number;
  stopDate?: number;
  events: HistoryEvent[];
  progress: ExecutionProgress;
}

/** Everything a check needs about one execution, read back from Step Functions. */
export async function readExecution(ctx: Ctx, executionArn: string): Promise<ExecutionReadBack> {
  const [d, events, graph] = await Promise.all([
    ctx.aws.sfn.send(new DescribeExecutionCommand({ executionArn })),
    readExecutionHistory(ctx.aws.sfn, executionArn),
    deployedGraph(ctx),
  ]);
  let output: unknown;
  try {
    output = d.output ? JSON.parse(d.output) : undefined;
  } catch {
    output = d.output;
  }
  return {
    status: d.status,
    error: d.error,
    cause: d.cause,
    input: parseInput(d.input),
    output,
    redriveCount: d.redriveCount ?? 0,
    startDate: d.startDate?.getTime(),
    stopDate: d.stopDate?.getTime(),
    events,
    progress: executionProgress(graph, events),
  };
}

/** How many times each state was entered, and how many task attempts it made in its latest entry. */
export function stateRuns(
  progress: ExecutionProgress,
): Record<string, { entries: number; attempts: number }> {
  return Object.fromEntries(
    [...progress.states].map(([name, s]) => [name, { entries: s.entries, attempts: s.attempts }]),
  );
}

/** The execution an upload started (recorded when it was found). */
export function executionOf(ctx: Ctx, purpose: keyof Demo2State['uploads']): string {
  return need(ctx.state.uploads[purpose]?.executionArn, `the execution of the ${purpose} file`);
}
