/**
 * Execution: a file lands, its event starts an execution (traced), the execution is followed live,
 * its logged events and curated output are read back; then demo1's late file arrives and is counted
 * the moment it lands.
 */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { DescribeRuleCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import type { CheckResult, Step, StepContext } from '../../../src/course/model.js';
import { executionName } from '../../../src/course/execution/followExecution.js';
import { expectEqual, expectThat } from '../../shared/checks.js';
import { curatedKey, describeWindow, previousWindow } from '../../shared/hourWindows.js';
import { readRawWindow, readSummary } from '../../shared/orderStore.js';
import { showComparison, showSummary } from '../../shared/summaryView.js';
import { logEventTable, waitForExecutionLog, executionLogEvents } from '../executionLogs.js';
import { readLogLines } from '../../shared/logEvents.js';
import { waitForLines } from '../../shared/logWaits.js';
import { STEP_NARRATION } from '../narration.js';
import {
  executionOf,
  findExecutionFor,
  lastModifiedAt,
  readExecution,
  stateRuns,
  uploadIncoming,
  watchExecution,
} from '../pipelineRuns.js';
import { incomingFile } from '../sampleFiles.js';
import { need, type Demo2State, type UploadPurpose, type UploadRecord } from '../state.js';
import { describeElapsed } from '../timing.js';

type Ctx = StepContext<Demo2State>;

/** Upload the purpose's file, find the execution its event started, record it. */
export async function deliver(ctx: Ctx, purpose: UploadPurpose): Promise<string> {
  const window = need(ctx.state.window, "the demo's hour");
  const file = incomingFile(ctx.state.seed, window, purpose);
  const upload = await uploadIncoming(ctx, file);
  const lines = file.body.trimEnd().split('\n').length;
  const resends = file.stats.record_count - file.stats.distinct_orders;
  const what = file.defects.length
    ? `${lines} lines, ${file.defects.length} of them broken on purpose`
    : `${file.stats.record_count} records, ${file.stats.distinct_orders} distinct orders` +
      (resends > 0 ? ` (${resends} upstream resend${resends === 1 ? '' : 's'})` : '');
  ctx.out.say(
    `Uploaded s3://${need(ctx.state.bucket, 'the bucket')}/${file.key} (${describeWindow(file.window)}): ${what}.`,
  );
  const arn = await findExecutionFor(ctx, file.key, upload.etag ?? '');
  ctx.state.uploads[purpose] = { ...upload, executionArn: arn };
  ctx.out.say(`Its Object Created event started execution ${executionName(arn)}.`);
  return arn;
}

/** The checks every successful pipeline run shares: the execution and the hour's output. */
export async function succeededRunChecks(ctx: Ctx, purpose: UploadPurpose): Promise<CheckResult[]> {
  const upload = need(ctx.state.uploads[purpose], `the ${purpose} upload`);
  const exec = await readExecution(ctx, executionOf(ctx, purpose));
  const bucket = need(ctx.state.bucket, 'the bucket');
  const raw = await readRawWindow(ctx.aws.s3, bucket, upload.window);
  const curated = await readSummary(ctx.aws.s3, bucket, upload.window);
  const w = describeWindow(upload.window);
  return [
    expectEqual('execution status', 'SUCCEEDED', exec.status),
    expectEqual(
      `${w}: curated records = raw records (recounted)`,
      raw.stats.record_count,
      curated?.record_count,
    ),
    expectEqual(`${w}: curated distinct orders = raw`, raw.stats.distinct_orders, curated?.distinct_orders),
    expectEqual(`${w}: curated total = raw`, raw.stats.total_amount, curated?.total_amount),
  ];
}

const dropAndWatch: Step<Demo2State> = {
  id: 'drop-and-watch',
  title: 'Drop an orders file into incoming/ and watch what it starts',
  narration: STEP_NARRATION['drop-and-watch']!,
  async run(ctx) {
    // The last complete hour by the target's clock, as an upstream export would deliver it.
    ctx.state.window ??= previousWindow(ctx.clock.now());
    const file = incomingFile(ctx.state.seed, ctx.state.window, 'first');
    ctx.out.block('First lines of the file', file.body.split('\n').slice(0, 3).join('\n'));
    // Upload and follow in one step: the execution starts the moment the file lands.
    const arn = await deliver(ctx, 'first');
    await watchExecution(ctx, arn);
  },
  async check(ctx) {
    const upload = need(ctx.state.uploads.first, 'the upload');
    const file = incomingFile(ctx.state.seed, need(ctx.state.window, "the demo's hour"), 'first');
    const head = await ctx.aws.s3.send(
      new HeadObjectCommand({ Bucket: need(ctx.state.bucket, 'the bucket'), Key: upload.key }),
    );
    const exec = await readExecution(ctx, executionOf(ctx, 'first'));
    const runs = stateRuns(exec.progress);
    return [
      expectEqual('bytes stored under incoming/', Buffer.byteLength(file.body), head.ContentLength),
      expectEqual('execution status', 'SUCCEEDED', exec.status),
      expectEqual(
        'Validate, Transform, Load each ran once, first attempt',
        '1/1 1/1 1/1',
        ['Validate', 'Transform', 'Load'].map((s) => `${runs[s]?.entries}/${runs[s]?.attempts}`).join(' '),
      ),
      expectEqual(
        'Quarantine and Rejected never entered',
        '0 0',
        `${runs.Quarantine?.entries} ${runs.Rejected?.entries}`,
      ),
    ];
  },
};

interface LoggedEvent {
  id?: string;
  source?: string;
  'detail-type'?: string;
  time?: string;
  detail?: { bucket?: { name?: string }; object?: { key?: string; etag?: string; size?: number } };
}

/** The event with this id, as the rule's log-group target stored it (bounded wait: delivery lags). */
async function loggedEvent(
  ctx: Ctx,
  eventId: string | undefined,
  since: number,
): Promise<LoggedEvent | undefined> {
  const group = need(ctx.state.logGroups, 'the log groups').events;
  const lines = await waitForLines(
    ctx,
    () => readLogLines(ctx.aws.logs, group, { startTime: since - 60_000 }),
    `Reading the event from ${group}`,
    (ls) => ls.some((l) => l.fields?.id === eventId),
    { soft: true, pollMs: 1_000 },
  );
  return lines.find((l) => l.fields?.id === eventId)?.fields as LoggedEvent | undefined;
}

const traceTheEvent: Step<Demo2State> = {
  id: 'trace-the-event',
  title: 'Trace it: the event, the rule that matched, the execution it started',
  narration: STEP_NARRATION['trace-the-event']!,
  async run(ctx) {
    const upload = need(ctx.state.uploads.first, 'the upload');
    const arn = executionOf(ctx, 'first');
    const exec = await readExecution(ctx, arn);
    const event = await loggedEvent(ctx, exec.input.eventId, upload.uploadedAt);
    const group = need(ctx.state.logGroups, 'the log groups').events;
    if (event)
      ctx.out.block(
        `The event, as the rule's log target stored it in ${group}`,
        JSON.stringify(event, null, 2),
      );
    else ctx.out.note(`The event ${exec.input.eventId ?? ''} is not in ${group} yet.`);
    const rule = need(ctx.state.ruleName, 'the rule');
    const [d, t] = await Promise.all([
      ctx.aws.events.send(new DescribeRuleCommand({ Name: rule })),
      ctx.aws.events.send(new ListTargetsByRuleCommand({ Rule: rule })),
    ]);
    ctx.out.table({
      title: 'The rule that matched it, and what it started',
      columns: ['', 'what', 'value'],
      rows: [
        ['rule', 'name / state', `${d.Name} / ${d.State}`],
        ...(t.Targets ?? []).map((x) => [
          '',
          `target ${x.Id ?? ''}`,
          x.Arn?.split(':').slice(5).join(':') ?? '?',
        ]),
        ['execution', 'name', executionName(arn)],
        ['', 'started', exec.startDate ? ctx.time.clockTime(exec.startDate) : '?'],
      ],
    });
    ctx.out.block(
      "Execution input (the input transformer's pick from the event)",
      JSON.stringify(exec.input, null, 2),
    );
  },
  async check(ctx) {
    const upload = need(ctx.state.uploads.first, 'the upload');
    const exec = await readExecution(ctx, executionOf(ctx, 'first'));
    const event = await loggedEvent(ctx, exec.input.eventId, upload.uploadedAt);
    const eventTime = Date.parse(exec.input.eventTime ?? '');
    return [
      expectEqual(
        'the logged event: source, type, key, ETag',
        `aws.s3 Object Created ${upload.key} ${upload.etag}`,
        event
          ? `${event.source} ${event['detail-type']} ${event.detail?.object?.key} ${event.detail?.object?.etag}`
          : '(not in the event log)',
      ),
      expectEqual('the execution input names the uploaded file', upload.key, exec.input.key),
      expectEqual('… with the ETag S3 gave the upload', upload.etag, exec.input.etag),
      expectEqual('… in our bucket', ctx.state.bucket, exec.input.bucket),
      expectThat(
        'the execution started at or after the event (both times from AWS)',
        !Number.isNaN(eventTime) &&
          exec.startDate !== undefined &&
          exec.startDate >= Math.floor(eventTime / 1000) * 1000,
        `≥ ${exec.input.eventTime ?? '(event time)'}`,
        exec.startDate ? new Date(exec.startDate).toISOString() : '(none)',
      ),
    ];
  },
};

const inspectOutput: Step<Demo2State> = {
  id: 'inspect-output',
  title: "Read the execution's log events and the curated output",
  narration: STEP_NARRATION['inspect-output']!,
  async run(ctx) {
    const upload = need(ctx.state.uploads.first, 'the upload');
    const arn = executionOf(ctx, 'first');
    const events = await waitForExecutionLog(ctx, arn, upload.uploadedAt, 'ExecutionSucceeded');
    ctx.time.explainOnce(ctx.out);
    ctx.out.table(
      logEventTable(
        `CloudWatch Logs ${ctx.state.logGroups?.stateMachine} (this execution)`,
        events,
        ctx.time,
      ),
    );
    const summary = need(
      await readSummary(ctx.aws.s3, need(ctx.state.bucket, 'the bucket'), upload.window),
      'the summary',
    );
    showSummary(ctx.out, curatedKey(upload.window), summary);
    const took = await uploadToSummary(ctx, upload);
    if (took !== undefined) {
      ctx.out.say(
        `From the upload to the curated summary (S3's LastModified of each): ${describeElapsed(took, ctx.clock)}. ` +
          'No schedule was waited for.',
      );
    }
  },
  async check(ctx) {
    const upload = need(ctx.state.uploads.first, 'the upload');
    const arn = executionOf(ctx, 'first');
    const events = await executionLogEvents(ctx, arn, upload.uploadedAt);
    const summary = await readSummary(ctx.aws.s3, need(ctx.state.bucket, 'the bucket'), upload.window);
    return [
      expectThat(
        "the log group holds the execution's start and success",
        events.some((e) => e.type === 'ExecutionStarted') &&
          events.some((e) => e.type === 'ExecutionSucceeded'),
        'ExecutionStarted … ExecutionSucceeded',
        events.length ? `${events.length} events, last ${events.at(-1)?.type}` : 'no events',
      ),
      expectEqual('curated record count = uploaded', upload.stats.record_count, summary?.record_count),
      expectEqual('distinct orders', upload.stats.distinct_orders, summary?.distinct_orders),
      expectEqual('total amount', upload.stats.total_amount, summary?.total_amount),
      expectEqual('written by this execution', executionName(arn), summary?.trigger.execution),
    ];
  },
};

const lateFile: Step<Demo2State> = {
  id: 'late-file',
  title: "demo1's late file arrives — and is counted the moment it lands",
  narration: STEP_NARRATION['late-file']!,
  async run(ctx) {
    const arn = await deliver(ctx, 'late');
    await watchExecution(ctx, arn);
    const upload = need(ctx.state.uploads.late, 'the late upload');
    const bucket = need(ctx.state.bucket, 'the bucket');
    const raw = await readRawWindow(ctx.aws.s3, bucket, upload.window);
    const curated = await readSummary(ctx.aws.s3, bucket, upload.window);
    showComparison(ctx.out, upload.window, { ...raw.stats, files: raw.keys.length }, curated);
    const lateName = upload.key.split('/').pop() ?? upload.key;
    const counted =
      curated !== undefined &&
      curated.source_files.some((f) => f.endsWith(`/${lateName}`) || f === lateName) &&
      curated.record_count === raw.stats.record_count;
    const took = counted ? await uploadToSummary(ctx, upload) : undefined;
    ctx.out.say(
      counted
        ? "In demo1 this file was never counted: the hour's summary already existed and the schedule had " +
            'moved on. Here its arrival started the work, and the summary counting it was written ' +
            `${took !== undefined ? `${describeElapsed(took, ctx.clock)} after the upload (S3's LastModified of each)` : 'after the upload'}.`
        : `The summary does not count ${lateName} (yet): its source_files are ` +
            `${curated?.source_files.map((f) => f.split('/').pop()).join(', ') || '(no summary)'}.`,
    );
  },
  async check(ctx) {
    const results = await succeededRunChecks(ctx, 'late');
    const upload = need(ctx.state.uploads.late, 'the late upload');
    const curated = await readSummary(ctx.aws.s3, need(ctx.state.bucket, 'the bucket'), upload.window);
    const first = need(ctx.state.uploads.first, 'the first upload');
    results.push(
      expectEqual(
        'the hour now counts both deliveries',
        first.stats.record_count + upload.stats.record_count,
        curated?.record_count,
      ),
      expectEqual('source files in the summary', 2, curated?.source_files.length),
    );
    return results;
  },
};

export const executionSteps: Step<Demo2State>[] = [dropAndWatch, traceTheEvent, inspectOutput, lateFile];

/** Upload to summary, both times S3's LastModified: the incoming file's and the hour's summary's. */
async function uploadToSummary(ctx: Ctx, upload: UploadRecord): Promise<number | undefined> {
  const [uploaded, summarised] = await Promise.all([
    lastModifiedAt(ctx, upload.key),
    lastModifiedAt(ctx, curatedKey(upload.window)),
  ]);
  return uploaded !== undefined && summarised !== undefined ? summarised - uploaded : undefined;
}
