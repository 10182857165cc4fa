/** Failure: a late delivery for an hour the schedule already summarised. Every signal stays green. */
import type { Step, StepContext } from '../../../src/course/model.js';
import { describeWindow } from '../../shared/hourWindows.js';
import { errorLines } from '../../shared/logEvents.js';
import { alignDown, describeReading } from '../../shared/metrics.js';
import { formatDuration } from '../../shared/targetWait.js';
import { rawOrderFile } from '../../shared/orders.js';
import { putRawFile, readRawWindow, readSummary } from '../../shared/orderStore.js';
import { expectEqual, expectThat } from '../../shared/checks.js';
import { atLeastCheck, looksCounted, looksFailures, waitForMetrics } from '../../shared/metricWaits.js';
import { readScheduleMetrics } from '../metricSignals.js';
import { STEP_NARRATION } from '../narration.js';
import { functionLogLines, runStarts, waitForScheduledRunAfter } from '../scheduledRuns.js';
import { need, type Demo1State } from '../state.js';
import { showComparison, showLogLines } from '../../shared/summaryView.js';

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

/** Runs starting this close to the window's first minute may be counted by CloudWatch in the minute before. */
const EDGE_MS = 5_000;

const greenSignals: Step<Demo1State> = {
  id: 'green-signals',
  title: 'Check the signals an on-call engineer would check',
  narration: STEP_NARRATION['green-signals'],
  async run(ctx) {
    const late = need(ctx.state.late, 'the late upload');
    const run = await waitForScheduledRunAfter(ctx, late.uploadedAt);
    showLogLines(ctx.out, 'The next scheduled run, after the late file landed', run);
    // Logs first, then metrics: a run that finishes in between only adds to the metrics.
    const from = alignDown(need(ctx.state.onTime, 'the on-time upload').uploadedAt);
    const all = (await functionLogLines(ctx, from)).filter((l) => l.timestamp >= from);
    const starts = runStarts(all).filter((l) => l.timestamp >= from + EDGE_MS);
    const runs = starts.length;
    const lastRunAt = starts[starts.length - 1]?.timestamp ?? ctx.clock.now();
    const to = alignDown(ctx.clock.now()) + 60_000;
    ctx.state.signals = { from, to, runs, lastRunAt };

    const {
      reading: m,
      arrived,
      waitedMs,
    } = await waitForMetrics(
      ctx,
      "Reading the function's and the rule's CloudWatch metrics",
      () => readScheduleMetrics(ctx, from, to),
      (r) => r.fnInvocations.total >= runs && r.ruleInvocations.total >= runs,
      (r) => `Invocations ${r.fnInvocations.total} of ${runs} runs published`,
    );
    const reports = all.filter((l) => l.kind === 'REPORT');
    ctx.out.table({
      title: `Signals since the data was first uploaded (${new Date(from).toISOString().slice(11, 16)} UTC)`,
      columns: ['signal', 'value', 'looks'],
      rows: [
        ['logs: scheduled runs ("run started")', runs, 'healthy'],
        ['logs: runs that finished (REPORT lines)', reports.length, 'healthy'],
        ['logs: error lines', errorLines(all).length, errorLines(all).length ? 'FAILING' : 'healthy'],
        [
          'metric AWS/Lambda Invocations (Sum)',
          describeReading(m.fnInvocations),
          looksCounted(m.fnInvocations, runs, arrived),
        ],
        ['metric AWS/Lambda Errors (Sum)', describeReading(m.fnErrors), looksFailures(m.fnErrors)],
        [
          'metric AWS/Events Invocations (Sum), the rule',
          describeReading(m.ruleInvocations),
          looksCounted(m.ruleInvocations, runs, arrived),
        ],
        [
          'metric AWS/Events FailedInvocations (Sum)',
          m.ruleFailed.points.length ? describeReading(m.ruleFailed) : '0 (no datapoints)',
          looksFailures(m.ruleFailed),
        ],
        ['the late file was counted', 'no', '(nothing tells you)'],
      ],
    });
    if (!arrived) {
      ctx.out.note(
        `CloudWatch had not published metrics for every run after ${formatDuration(waitedMs)} of waiting ` +
          '(it usually takes 1–3 minutes); the table shows what had arrived. Errors and FailedInvocations ' +
          'are still judged on every datapoint that did.',
      );
    }
    ctx.out.note(
      'Logs and metrics agree: the schedule fired, the function ran and succeeded every time. An alarm on ' +
        'Errors or FailedInvocations would stay quiet — yet the hour is wrong, as the next step shows.',
    );
  },
  async check(ctx) {
    const late = need(ctx.state.late, 'the late upload');
    const lines = await functionLogLines(ctx, need(ctx.state.onTime, 'the on-time upload').uploadedAt);
    const after = runStarts(lines).filter((l) => l.eventTime >= Math.floor(late.uploadedAt / 1000) * 1000);
    const s = need(ctx.state.signals, 'the signals read');
    const m = await readScheduleMetrics(ctx, s.from, s.to);
    return [
      expectThat(
        'a scheduled run happened after the late file landed',
        after.length > 0,
        'at least 1',
        String(after.length),
      ),
      expectEqual("error lines in the function's logs", 0, errorLines(lines).length),
      expectThat(
        'AWS/Lambda Errors: no datapoint above 0',
        (m.fnErrors.max ?? 0) === 0,
        '0 in every minute',
        m.fnErrors.points.length ? `max ${m.fnErrors.max}, ${describeReading(m.fnErrors)}` : 'no datapoints',
      ),
      expectThat(
        'AWS/Events FailedInvocations for the rule',
        m.ruleFailed.total === 0,
        '0',
        m.ruleFailed.points.length ? describeReading(m.ruleFailed) : '0 (no datapoints)',
      ),
      atLeastCheck(
        'AWS/Lambda Invocations',
        m.fnInvocations,
        s.runs,
        s.lastRunAt,
        'scheduled runs in the logs',
      ),
      atLeastCheck(
        'AWS/Events Invocations for the rule',
        m.ruleInvocations,
        s.runs,
        s.lastRunAt,
        'scheduled runs in the logs',
      ),
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
