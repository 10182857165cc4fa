/** Failure: a late delivery for an hour the schedule already summarised. Every signal stays green. */
import type { Step, StepContext } from '../../../src/course/model.js';
import { describeWindow } from '../../shared/hourWindows.js';
import { errorLines } from '../../shared/logEvents.js';
import { rawOrderFile } from '../../shared/orders.js';
import { putRawFile, readRawWindow, readSummary } from '../../shared/orderStore.js';
import { expectEqual, expectThat } from '../checks.js';
import { STEP_NARRATION } from '../narration.js';
import { functionLogLines, runStarts, waitForScheduledRunAfter } from '../scheduledRuns.js';
import { need, type Demo1State } from '../state.js';
import { showComparison, showLogLines } from '../summaryView.js';

export const LATE_RECORDS = 30;
export const LATE_FILE = 'late-0001';

const lateDelivery: Step<Demo1State> = {
  id: 'late-delivery',
  title: 'The rest of the hour arrives late',
  narration: STEP_NARRATION['late-delivery'],
  async run(ctx) {
    const bucket = need(ctx.state.bucket, 'the bucket');
    const window = need(ctx.state.window, 'the window');
    const file = rawOrderFile({ seed: ctx.state.seed, window, count: LATE_RECORDS, fileLabel: LATE_FILE });
    await putRawFile(ctx.aws.s3, bucket, file);
    ctx.state.late = { key: file.key, stats: file.stats, uploadedAt: ctx.clock.now() };
    ctx.out.say(
      `Upstream's second delivery for ${describeWindow(window)} landed: s3://${bucket}/${file.key}, ` +
        `${file.stats.record_count} more records. The hour's summary was written before it existed.`,
    );
  },
  async check(ctx) {
    const window = need(ctx.state.window, 'the window');
    const onTime = need(ctx.state.onTime, 'the on-time upload');
    const late = need(ctx.state.late, 'the late upload');
    const raw = await readRawWindow(ctx.aws.s3, need(ctx.state.bucket, 'the bucket'), window);
    return [
      expectEqual('files under the raw prefix', [onTime.key, late.key].sort(), raw.keys),
      expectEqual(
        'records stored for the hour',
        onTime.stats.record_count + late.stats.record_count,
        raw.stats.record_count,
      ),
    ];
  },
};

const greenSignals: Step<Demo1State> = {
  id: 'green-signals',
  title: 'Check the signals an on-call engineer would check',
  narration: STEP_NARRATION['green-signals'],
  async run(ctx) {
    const late = need(ctx.state.late, 'the late upload');
    const run = await waitForScheduledRunAfter(ctx, late.uploadedAt);
    showLogLines(ctx.out, 'The next scheduled run, after the late file landed', run);
    const since = need(ctx.state.onTime, 'the on-time upload').uploadedAt;
    const all = await functionLogLines(ctx, since);
    const reports = all.filter((l) => l.kind === 'REPORT');
    ctx.out.table({
      title: 'Signals since the data was first uploaded',
      columns: ['signal', 'value', 'looks'],
      rows: [
        ['scheduled runs (START lines)', runStarts(all).length, 'healthy'],
        ['runs that finished (REPORT lines)', reports.length, 'healthy'],
        ['error lines in the logs', errorLines(all).length, 'healthy'],
        ['the late file was counted', 'no', '(nothing tells you)'],
      ],
    });
    ctx.out.note(
      "Metrics tell the same story. On AWS, the function's Monitor tab shows Invocations climbing and " +
        "Errors at 0, and the rule's Invocations match with 0 FailedInvocations. No alarm would fire.",
    );
  },
  async check(ctx) {
    const late = need(ctx.state.late, 'the late upload');
    const lines = await functionLogLines(ctx, need(ctx.state.onTime, 'the on-time upload').uploadedAt);
    const after = runStarts(lines).filter((l) => l.eventTime >= Math.floor(late.uploadedAt / 1000) * 1000);
    return [
      expectThat(
        'a scheduled run happened after the late file landed',
        after.length > 0,
        'at least 1',
        String(after.length),
      ),
      expectEqual("error lines in the function's logs", 0, errorLines(lines).length),
    ];
  },
};

/** The late hour as it stands now: its raw files and the curated summary. */
async function rawAndCurated(ctx: StepContext<Demo1State>) {
  const bucket = need(ctx.state.bucket, 'the bucket');
  const window = need(ctx.state.window, 'the window');
  const raw = await readRawWindow(ctx.aws.s3, bucket, window);
  const curated = await readSummary(ctx.aws.s3, bucket, window);
  return { window, raw, curated };
}

const compareCounts: Step<Demo1State> = {
  id: 'compare-counts',
  title: 'Compare curated with raw',
  narration: STEP_NARRATION['compare-counts'],
  async run(ctx) {
    const { window, raw, curated } = await rawAndCurated(ctx);
    showComparison(ctx.out, window, { ...raw.stats, files: raw.keys.length }, curated);
    ctx.out.note(
      'A silent failure: the job ran on time and succeeded, yet the hour is under-counted. ' +
        'Nothing will reprocess it: to the schedule, that hour is done.',
    );
  },
  async check(ctx) {
    const { raw, curated } = await rawAndCurated(ctx);
    const c = curated?.record_count;
    return [
      expectThat(
        'curated record count vs raw for the late hour',
        c !== undefined && c !== raw.stats.record_count,
        'they disagree',
        `curated ${c ?? '(none)'}, raw ${raw.stats.record_count}`,
      ),
    ];
  },
};

export const failureSteps: Step<Demo1State>[] = [lateDelivery, greenSignals, compareCounts];
