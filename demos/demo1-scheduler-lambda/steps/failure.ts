/** Failure: a late delivery for an hour the schedule already summarised. Every signal stays green. */
import type { Step, StepContext } from '../../../src/course/model.js';
import { describeWindow, sameWindow, type HourWindow } from '../../shared/hourWindows.js';
import { errorLines, type LogLine } from '../../shared/logEvents.js';
import { alignDown, describeReading, publishedThrough, type MetricReading } from '../../shared/metrics.js';
import {
  concludeFromSignals,
  nameList,
  signalsTable,
  type Conclusion,
  type Signal,
} from '../../../src/course/signals.js';
import { groupRuns, scheduledRuns, type FunctionRun } from '../runs.js';
import { formatDuration } from '../../shared/targetWait.js';
import { rawOrderFile } from '../../shared/orders.js';
import { putRawFile, readRawWindow, readSummary } from '../../shared/orderStore.js';
import { expectEqual, expectThat } from '../../shared/checks.js';
import {
  NOT_PUBLISHED,
  atLeastCheck,
  looksCounted,
  looksFailures,
  waitForMetrics,
} from '../../shared/metricWaits.js';
import { readScheduleMetrics, type ScheduleMetrics } from '../metricSignals.js';
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

/** What the run after the late delivery did with the late hour, from its own "run started" line. */
export function whatTheRunDid(run: LogLine[], late: HourWindow): string {
  const started = run.find((l) => l.fields?.message === 'run started');
  const w = started?.fields?.window as HourWindow | undefined;
  if (!w) return 'The run after the late delivery logged no window.';
  if (sameWindow(w, late)) {
    const skipped = run.some((l) => l.fields?.message === 'window already processed, skipping');
    return skipped
      ? `It looked at ${describeWindow(late)}, found a summary already there and skipped the hour: the late file was never read.`
      : `It processed ${describeWindow(late)} again.`;
  }
  return (
    `The clock has moved on: that run summarised ${describeWindow(w)}. Every run from now on looks at a later ` +
    `hour, so nothing will read ${describeWindow(late)} again.`
  );
}

/** The signals an on-call engineer would look at, each judged from what was read back. */
export function signalsFrom(
  runs: FunctionRun[],
  errors: number,
  m: ScheduleMetrics,
  arrived: boolean,
): Signal[] {
  const finished = runs.filter((r) => r.finished > 0).length;
  const failedRuns = runs.filter((r) => r.failed).length;
  const counted = (reading: MetricReading): Pick<Signal, 'status' | 'looks'> => {
    const looks = looksCounted(reading, runs.length, arrived);
    return { status: looks === 'healthy' ? 'healthy' : looks === 'LOW' ? 'failing' : 'pending', looks };
  };
  // A failure count is green only once CloudWatch's data reaches the last run: before that, its 0
  // is data that has not arrived yet. Errors has a datapoint for every minute with invocations;
  // FailedInvocations only for failures, so its silence counts once the rule's Invocations are in.
  const lastRunAt = runs.at(-1)?.startedAt;
  const errorsIn = lastRunAt === undefined || publishedThrough(m.fnErrors, lastRunAt);
  const ruleIn = m.ruleInvocations.total >= runs.length;
  const failures = (reading: MetricReading, dataIn: boolean): Pick<Signal, 'status' | 'looks'> => {
    if (looksFailures(reading) !== 'healthy') return { status: 'failing' };
    return dataIn ? { status: 'healthy' } : { status: 'pending', looks: NOT_PUBLISHED };
  };
  return [
    { name: 'logs: scheduled runs (request ids)', value: runs.length, status: 'info' },
    {
      name: 'logs: runs finished (REPORT line)',
      value: finished,
      status: finished === runs.length ? 'healthy' : 'pending',
      looks: finished === runs.length ? 'healthy' : `${runs.length - finished} still running`,
    },
    { name: 'logs: runs with an error line', value: failedRuns, status: failedRuns ? 'failing' : 'healthy' },
    { name: 'logs: error lines', value: errors, status: errors ? 'failing' : 'healthy' },
    {
      name: 'metric AWS/Lambda Invocations (Sum)',
      value: describeReading(m.fnInvocations),
      ...counted(m.fnInvocations),
    },
    {
      name: 'metric AWS/Lambda Errors (Sum)',
      value: describeReading(m.fnErrors),
      ...failures(m.fnErrors, errorsIn),
    },
    {
      name: 'metric AWS/Events Invocations (Sum), the rule',
      value: describeReading(m.ruleInvocations),
      ...counted(m.ruleInvocations),
    },
    {
      name: 'metric AWS/Events FailedInvocations (Sum)',
      value: m.ruleFailed.points.length
        ? describeReading(m.ruleFailed)
        : ruleIn
          ? '0 (no datapoints)'
          : 'no datapoints',
      ...failures(m.ruleFailed, ruleIn),
    },
  ];
}

/** The sentence under the signals table: computed from the same signals, so it cannot contradict them. */
export function signalsConclusion(signals: Signal[], runs: number): Conclusion {
  return concludeFromSignals(signals, {
    allHealthy:
      `Logs and metrics agree: the schedule fired ${runs} time${runs === 1 ? '' : 's'}, and the function ` +
      'ran and succeeded every time. An alarm on Errors or FailedInvocations would stay quiet. None of them ' +
      'says whether the late file was counted: the next step asks the data.',
    someFailing: (bad) =>
      `Not every signal is green here: ${nameList(bad)}. Something failed on this run — look at the log ` +
      'lines above; this is not the all-green picture the demo sets up. Whether the late file was counted, ' +
      'the next step asks the data.',
    somePending: (pending) =>
      `Every signal read so far is green; ${nameList(pending)} had not caught up when the step read them. ` +
      'None of them says whether the late file was counted: the next step asks the data.',
  });
}

const greenSignals: Step<Demo1State> = {
  id: 'green-signals',
  title: 'Check the signals an on-call engineer would check',
  narration: STEP_NARRATION['green-signals'],
  async run(ctx) {
    const late = need(ctx.state.late, 'the late upload');
    const window = need(ctx.state.window, 'the window');
    const run = await waitForScheduledRunAfter(ctx, late.uploadedAt);
    showLogLines(ctx, 'The next scheduled run, after the late file landed', run);
    ctx.out.say(whatTheRunDid(run, window));
    // Logs first, then metrics: a run that finishes in between only adds to the metrics.
    const from = alignDown(need(ctx.state.onTime, 'the on-time upload').uploadedAt);
    const all = (await functionLogLines(ctx, from)).filter((l) => l.timestamp >= from);
    const runs = scheduledRuns(groupRuns(all)).filter((r) => r.startedAt >= from + EDGE_MS);
    const lastRunAt = runs.at(-1)?.startedAt ?? ctx.clock.now();
    const to = alignDown(ctx.clock.now()) + 60_000;

    const {
      reading: m,
      arrived,
      waitedMs,
    } = await waitForMetrics(
      ctx,
      "Reading the function's and the rule's CloudWatch metrics",
      () => readScheduleMetrics(ctx, from, to),
      (r) => r.fnInvocations.total >= runs.length && r.ruleInvocations.total >= runs.length,
      (r) => `Invocations ${r.fnInvocations.total} of ${runs.length} runs published`,
    );
    const errors = errorLines(all.filter((l) => runs.some((r) => r.lines.includes(l)))).length;
    const summary = await readSummary(ctx.aws.s3, need(ctx.state.bucket, 'the bucket'), window);
    const counted = summary?.source_files.includes(late.key) ?? false;
    const signals = signalsFrom(runs, errors, m, arrived);
    ctx.out.table(
      signalsTable(`Signals since the data was first uploaded (${ctx.time.at(from)})`, [
        ...signals,
        {
          name: 'summary lists the late file',
          value: counted ? 'yes' : 'no',
          status: 'info',
          looks: '(no signal above tells you)',
        },
      ]),
    );
    const extra = Math.max(m.fnInvocations.total, m.ruleInvocations.total) - runs.length;
    if (extra > 0) {
      ctx.out.say(
        `The Invocations metrics count up to ${extra} more than the logs: they cover whole minutes and were ` +
          'read after the logs, so they include runs that started just before the window or after the logs were read.',
      );
    }
    if (runs.some((r) => r.attempts > 1)) {
      ctx.out.say(
        'Some request ids ran more than once: EventBridge invokes the function asynchronously, and Lambda ' +
          'retries a failed asynchronous run twice with the same request id; each attempt is counted once here.',
      );
    }
    if (!arrived) {
      ctx.out.note(
        `CloudWatch had not published metrics for every run after ${formatDuration(waitedMs)} of waiting ` +
          '(it usually takes 1–3 minutes); the table shows what had arrived. A failure there still counts; ' +
          'a zero whose data does not reach the last run is marked as not published yet, not as green.',
      );
    }
    const conclusion = signalsConclusion(signals, runs.length);
    ctx.out.note(conclusion.text);
    ctx.state.signals = { from, to, runs: runs.length, lastRunAt, verdict: conclusion.kind };
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
    ctx.state.comparison = { curated: curated?.record_count ?? null, raw: raw.stats.record_count };
    const short = curated !== undefined && curated.record_count < raw.stats.record_count;
    const green = ctx.state.signals?.verdict === 'healthy';
    ctx.out.note(
      short
        ? `A silent failure: the summary counts ${curated.record_count} records, raw/ holds ${raw.stats.record_count}` +
            (green ? ', and the job ran on time and succeeded every time. ' : '. ') +
            'Nothing will reprocess the hour: to the schedule, it is done.'
        : curated === undefined
          ? 'The hour has no summary at all — not the silent under-count this phase sets up.'
          : `The summary (${curated.record_count}) does not under-count raw/ (${raw.stats.record_count}) here, ` +
            'so this run did not reproduce the silent failure.',
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
