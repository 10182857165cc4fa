/** Execution: upload one hour of orders, let the schedule process it, look at the logs and the summary. */
import type { Step, StepContext } from '../../../src/course/model.js';
import { curatedKey, describeWindow, previousWindow, rawPrefix } from '../../shared/hourWindows.js';
import { rawOrderFile } from '../../shared/orders.js';
import { listKeys, putRawFile, readRawWindow, readSummary } from '../../shared/orderStore.js';
import { deleteObjects } from '../../shared/hourInventory.js';
import { expectEqual } from '../../shared/checks.js';
import { SCHEDULE_PERIOD_MS } from '../names.js';
import { STEP_NARRATION } from '../narration.js';
import type { LogLine } from '../../shared/logEvents.js';
import { linesOfRequest, waitForLogLines, waitForScheduledSummary } from '../scheduledRuns.js';
import { need, type Demo1State } from '../state.js';
import { showLogLines, showSummary } from '../../shared/summaryView.js';

type Ctx = StepContext<Demo1State>;

export const ON_TIME_RECORDS = 120;
export const ON_TIME_FILE = 'part-0000';

const uploadHour: Step<Demo1State> = {
  id: 'upload-hour',
  title: 'Upload one hour of orders',
  narration: STEP_NARRATION['upload-hour'],
  async run(ctx) {
    const bucket = need(ctx.state.bucket, 'the bucket');
    // The hour the schedule will be processing a couple of minutes from now: usually the previous
    // hour; right before the top of the hour, the current one (the runs after it will pick it up).
    const window = previousWindow(ctx.clock.now() + 2 * SCHEDULE_PERIOD_MS);
    const file = rawOrderFile({
      seed: ctx.state.seed,
      window,
      count: ON_TIME_RECORDS,
      fileLabel: ON_TIME_FILE,
    });
    // One object per delivery: a PUT is atomic, so a run can never see half of it.
    await putRawFile(ctx.aws.s3, bucket, file);
    // Run again (a repeat, or the phase once more), the hour starts over: only this delivery, no
    // summary yet. The summary goes last, so a run in between still finds it and skips the hour.
    const others = (await listKeys(ctx.aws.s3, bucket, rawPrefix(window))).filter((k) => k !== file.key);
    await deleteObjects(ctx.aws.s3, bucket, others);
    const old = await readSummary(ctx.aws.s3, bucket, window);
    if (old) await deleteObjects(ctx.aws.s3, bucket, [curatedKey(window)]);
    if (others.length || old) {
      ctx.out.say(
        `Starting this hour over: removed ${[...others.map((k) => k.split('/').pop()), ...(old ? ['its summary'] : [])].join(', ')}.`,
      );
    }
    ctx.state.window = window;
    ctx.state.onTime = { key: file.key, stats: file.stats, uploadedAt: ctx.clock.now() };
    delete ctx.state.late;
    delete ctx.state.comparison;
    ctx.time.explainOnce(ctx.out);
    ctx.out.say(
      `Uploaded s3://${bucket}/${file.key} for ${describeWindow(window)}: ${file.stats.record_count} records, ` +
        `${file.stats.distinct_orders} distinct orders (the rest are upstream resends), total ${file.stats.total_amount.toFixed(2)} USD.`,
    );
    ctx.out.block('First lines of the file', file.body.split('\n').slice(0, 3).join('\n'));
  },
  async check(ctx) {
    const window = need(ctx.state.window, 'the window');
    const raw = await readRawWindow(ctx.aws.s3, need(ctx.state.bucket, 'the bucket'), window);
    return [
      expectEqual('files under the raw prefix', [ctx.state.onTime?.key], raw.keys),
      expectEqual('records stored', ctx.state.onTime?.stats.record_count, raw.stats.record_count),
    ];
  },
};

const waitForSchedule: Step<Demo1State> = {
  id: 'wait-for-schedule',
  title: 'Wait for the next scheduled run',
  narration: STEP_NARRATION['wait-for-schedule'],
  async run(ctx) {
    const window = need(ctx.state.window, 'the window');
    const summary = await waitForScheduledSummary(ctx, window);
    ctx.out.say(
      `A scheduled run (event time ${summary.trigger.event_time}) wrote ${curatedKey(window)}. Nobody invoked it by hand.`,
    );
  },
  async check(ctx) {
    const window = need(ctx.state.window, 'the window');
    const s = await readSummary(ctx.aws.s3, need(ctx.state.bucket, 'the bucket'), window);
    return [
      expectEqual(
        `a summary for ${describeWindow(window)}`,
        describeWindow(window),
        s ? describeWindow(s.window) : '(no summary)',
      ),
      expectEqual('it was written by a scheduled run', 'schedule', s?.trigger.type),
    ];
  },
};

/** The run's lines, once its REPORT line has been delivered (or what is there after a bounded wait). */
async function runLines(ctx: Ctx, requestId: string | null | undefined, since: number) {
  const mine = (lines: LogLine[]) => (requestId ? linesOfRequest(lines, requestId) : lines);
  const lines = await waitForLogLines(
    ctx,
    since,
    "Waiting for the run's log lines",
    (l) => mine(l).some((x) => x.kind === 'REPORT'),
    { soft: true },
  );
  return mine(lines).length ? mine(lines) : lines;
}

const inspectRun: Step<Demo1State> = {
  id: 'inspect-run',
  title: "Read the run's logs and the curated summary",
  narration: STEP_NARRATION['inspect-run'],
  async run(ctx) {
    const window = need(ctx.state.window, 'the window');
    const s = need(
      await readSummary(ctx.aws.s3, need(ctx.state.bucket, 'the bucket'), window),
      'the summary',
    );
    const lines = await runLines(ctx, s.trigger.request_id, need(ctx.state.onTime, 'the upload').uploadedAt);
    showLogLines(ctx, `CloudWatch Logs ${ctx.state.logGroupName}`, lines);
    showSummary(ctx.out, curatedKey(window), s);
  },
  async check(ctx) {
    const window = need(ctx.state.window, 'the window');
    const expected = need(ctx.state.onTime, 'the upload').stats;
    const s = await readSummary(ctx.aws.s3, need(ctx.state.bucket, 'the bucket'), window);
    return [
      expectEqual('summary record count = uploaded', expected.record_count, s?.record_count),
      expectEqual('distinct orders', expected.distinct_orders, s?.distinct_orders),
      expectEqual('total amount', expected.total_amount, s?.total_amount),
    ];
  },
};

export const executionSteps: Step<Demo1State>[] = [uploadHour, waitForSchedule, inspectRun];
