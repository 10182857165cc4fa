/**
 * Execution: every hour of the window but one is delivered and processed by its own event run;
 * then the schedule is switched on and its first reconciliation reports the missing hour.
 */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { DescribeRuleCommand, EnableRuleCommand } from '@aws-sdk/client-eventbridge';
import type { CheckResult, Step, StepContext } from '../../../src/course/model.js';
import { expectEqual, expectThat } from '../../shared/checks.js';
import {
  alignDown,
  describeReading,
  readMetrics,
  type MetricReading,
  type MetricRef,
} from '../../shared/metrics.js';
import { NOT_PUBLISHED, atLeastCheck, waitForMetrics } from '../../shared/metricWaits.js';
import { allRawKeys, readSummaries } from '../curated.js';
import {
  executionNameOf,
  readReport,
  runToReport,
  waitForEventRuns,
  waitForScheduledRun,
  watchExecution,
} from '../executions.js';
import { GRACE, METRIC_NAMESPACE, SCHEDULE_EXPRESSION } from '../names.js';
import { STEP_NARRATION } from '../narration.js';
import { onTimeFile, uploadFiles } from '../orderFiles.js';
import { need, type Demo3State, type ReconciliationRun, type UploadedFile } from '../state.js';
import { limitRows, showReport, shortPartition } from '../views.js';
import { windowPartitionIds } from '../window.js';
import { ALARM_METRIC } from './setupTriggers.js';

type Ctx = StepContext<Demo3State>;

/** The hour held up upstream (index 3: hour 03 of the window) and the one that will get a resend. */
export const WITHHELD_INDEX = 3;
export const RESENT_INDEX = 1;

const partitions = (ctx: Ctx): string[] => windowPartitionIds(need(ctx.state.window, 'the window'));

const uploadHours: Step<Demo3State> = {
  id: 'upload-hours',
  title: 'Deliver every hour of the window but hour 03',
  narration: STEP_NARRATION['upload-hours']!,
  async run(ctx) {
    const ids = partitions(ctx);
    const withheld = ids[WITHHELD_INDEX]!;
    ctx.state.withheld = withheld;
    ctx.state.resent = ids[RESENT_INDEX]!;
    const files = ids
      .filter((p) => p !== withheld)
      .map((partition) => ({
        partition,
        file: onTimeFile(ctx.state.seed, partition, ctx.state.recordsPerHour),
      }));
    const uploadedAt = ctx.clock.now();
    const uploaded = await ctx.out.progress(`Uploading ${files.length} hourly files`, () =>
      uploadFiles(ctx, need(ctx.state.bucket, 'the bucket'), files),
    );
    ctx.state.onTime = { uploadedAt, files: uploaded };
    ctx.out.table({
      title: `raw/orders/ — ${uploaded.length} files, ${withheld} withheld`,
      columns: ['partition', 'file', 'records', 'distinct orders'],
      rows: limitRows(
        uploaded.map((u) => [
          u.partition,
          u.key.split('/').pop()!,
          u.stats.record_count,
          u.stats.distinct_orders,
        ]),
        (n) => [`… ${n} more`, '', '', ''],
      ),
    });
    ctx.out.say(
      'Some records repeat an order verbatim (upstream resends): records and distinct orders differ.',
    );
  },
  async check(ctx) {
    const keys = await allRawKeys(ctx);
    const expected = need(ctx.state.onTime, 'the uploads').files.map((f) => f.key);
    const withheld = need(ctx.state.withheld, 'the withheld hour');
    return [
      expectEqual('raw files in the bucket', expected.length, keys.length),
      expectThat(
        'exactly the uploaded keys',
        expected.every((k) => keys.includes(k)),
        `${expected.length} keys`,
        `${expected.filter((k) => keys.includes(k)).length} of them present`,
      ),
      expectEqual(`${withheld}: raw files`, 0, keys.filter((k) => k.includes(`/${withheld}/`)).length),
    ];
  },
};

/** Per upload: its summary built from exactly that file, by an event run, with the file's counts. */
async function summaryChecks(ctx: Ctx, files: UploadedFile[]): Promise<CheckResult[]> {
  const summaries = await readSummaries(
    ctx,
    files.map((f) => f.partition),
  );
  const wrong: string[] = [];
  for (const f of files) {
    const s = summaries.get(f.partition);
    const ok =
      s &&
      s.record_count === f.stats.record_count &&
      s.distinct_orders === f.stats.distinct_orders &&
      s.total_amount === f.stats.total_amount &&
      s.sources.length === 1 &&
      s.sources[0]!.key === f.key &&
      s.sources[0]!.etag === f.etag;
    if (!ok)
      wrong.push(
        `${f.partition}: ${s ? `${s.record_count} records from ${s.sources.length} file${s.sources.length === 1 ? '' : 's'}` : 'no summary'}`,
      );
  }
  return [
    expectEqual(
      'summaries matching their file (records, distinct orders, total, source key and ETag)',
      `${files.length} of ${files.length}`,
      wrong.length
        ? `${files.length - wrong.length} of ${files.length}; ${wrong.slice(0, 3).join('; ')}`
        : `${files.length} of ${files.length}`,
    ),
    expectEqual(
      'every summary was written by an event run',
      files.length,
      [...summaries.values()].filter((s) => s.trigger.type === 'event').length,
    ),
  ];
}

const eventRuns: Step<Demo3State> = {
  id: 'event-runs',
  title: 'Each arrival starts a run for its own partition',
  narration: STEP_NARRATION['event-runs']!,
  async run(ctx) {
    const { uploadedAt, files } = need(ctx.state.onTime, 'the uploads');
    const first = files[0]!;
    const firstRun = await waitForEventRuns(
      ctx,
      [first.key],
      uploadedAt,
      `Waiting for the run that ${first.key} started`,
    );
    await watchExecution(
      ctx,
      firstRun.get(first.key)!.executionArn!,
      `Following the event run for ${first.partition}`,
    );
    const runs = await waitForEventRuns(
      ctx,
      files.map((f) => f.key),
      uploadedAt,
      `Waiting for the event runs of all ${files.length} uploads`,
    );
    const summaries = await readSummaries(
      ctx,
      files.map((f) => f.partition),
    );
    ctx.out.table({
      title: 'Event runs (one per upload) and the summaries they wrote',
      columns: ['partition', 'execution', 'status', 'records'],
      rows: limitRows(
        files.map((f) => {
          const e = runs.get(f.key);
          return [
            shortPartition(f.partition),
            e ? executionNameOf(e.executionArn!).slice(0, 13) : '(none)',
            e?.status ?? '',
            summaries.get(f.partition)?.record_count ?? '(no summary)',
          ];
        }),
        (n) => [`… ${n} more`, '', '', ''],
      ),
    });
  },
  async check(ctx) {
    const { uploadedAt, files } = need(ctx.state.onTime, 'the uploads');
    const runs = await waitForEventRuns(
      ctx,
      files.map((f) => f.key),
      uploadedAt,
      'Reading the event runs',
    );
    const succeeded = [...runs.values()].filter((e) => e.status === 'SUCCEEDED').length;
    return [
      expectEqual('event runs that SUCCEEDED', files.length, succeeded),
      ...(await summaryChecks(ctx, files)),
    ];
  },
};

const startSchedule: Step<Demo3State> = {
  id: 'start-schedule',
  title: `Switch the schedule on: reconcile the window ${SCHEDULE_EXPRESSION}`,
  narration: STEP_NARRATION['start-schedule']!,
  async run(ctx) {
    const rule = need(ctx.state.scheduleRule, 'the schedule rule').name;
    await ctx.aws.events.send(new EnableRuleCommand({ Name: rule }));
    ctx.state.scheduleEnabledAt = ctx.clock.now();
    ctx.out.say(
      ctx.clock.timeScale === 1
        ? 'It fires within 5 minutes, then every 5 minutes.'
        : `On the sandbox (×${ctx.clock.timeScale}) 5 minutes pass in about ${Math.round(300 / ctx.clock.timeScale)} s.`,
    );
  },
  async check(ctx) {
    const d = await ctx.aws.events.send(
      new DescribeRuleCommand({ Name: need(ctx.state.scheduleRule, 'the rule').name }),
    );
    return [expectEqual('schedule rule state', 'ENABLED', d.State)];
  },
};

export const missingMetric = (machine: string): MetricRef => ({
  namespace: METRIC_NAMESPACE,
  metricName: ALARM_METRIC,
  dimensions: { Pipeline: machine },
  stat: 'Maximum',
});

/**
 * What the step says about PartitionsMissing: the value the report published, or — when the wait
 * ran out first — that CloudWatch has not published it yet (never a count of what has not arrived).
 */
export function missingMetricSentence(reading: MetricReading, arrived: boolean): string {
  const metric = `CloudWatch ${METRIC_NAMESPACE} PartitionsMissing (Maximum)`;
  if (arrived) return `${metric}: ${describeReading(reading)} — what the alarm watches.`;
  return (
    `${metric}: ${NOT_PUBLISHED} — the report counted the missing hour, but its datapoint had not ` +
    'reached CloudWatch when the wait ran out (on AWS it takes 1–3 minutes); the alarm will see it when it does.'
  );
}

/** The PartitionsMissing datapoints from the run's start on (CloudWatch may take a minute or two on AWS). */
async function missingReading(ctx: Ctx, run: ReconciliationRun, to: number) {
  const machine = need(ctx.state.stateMachine, 'the state machine').name;
  return (
    await readMetrics(
      ctx.aws.cloudwatch,
      { missing: missingMetric(machine) },
      { startTime: alignDown(run.startedAt), endTime: to },
    )
  ).missing;
}

/** The statuses a report should hold: `expected` for the named partitions, OK for every other one. */
export function statusChecks(
  label: string,
  report: { partitions: Array<{ partition: string; status: string }> },
  expected: Record<string, string>,
): CheckResult[] {
  const others = report.partitions.filter((r) => expected[r.partition] === undefined);
  return [
    ...Object.entries(expected).map(([p, status]) =>
      expectEqual(
        `${label}: ${p}`,
        status,
        report.partitions.find((r) => r.partition === p)?.status ?? '(not in report)',
      ),
    ),
    expectEqual(
      `${label}: every ${Object.keys(expected).length ? 'other ' : ''}partition`,
      `${others.length} OK`,
      `${others.filter((r) => r.status === 'OK').length} OK` +
        (others.some((r) => r.status !== 'OK')
          ? `; ${others
              .filter((r) => r.status !== 'OK')
              .map((r) => `${r.partition} ${r.status}`)
              .join(', ')}`
          : ''),
    ),
  ];
}

export async function reportStoredChecks(ctx: Ctx, run: ReconciliationRun): Promise<CheckResult[]> {
  const bucket = need(ctx.state.bucket, 'the bucket');
  const results: CheckResult[] = [];
  for (const key of [run.reportKey, run.markdownKey]) {
    let found = 'absent';
    try {
      const head = await ctx.aws.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      found = head.ContentType ?? 'present';
    } catch (err) {
      if ((err as Error).name !== 'NotFound') throw err;
    }
    results.push(
      expectThat(
        `stored: ${key}`,
        found !== 'absent' && key.startsWith('reports/'),
        'present under reports/ (HeadObject)',
        found === 'absent' ? 'absent' : `present, ${found}`,
      ),
    );
  }
  return results;
}

const firstReconciliation: Step<Demo3State> = {
  id: 'first-reconciliation',
  title: 'The first scheduled reconciliation: hour 03 is MISSING',
  narration: STEP_NARRATION['first-reconciliation']!,
  async run(ctx) {
    const since = need(ctx.state.scheduleEnabledAt, 'the time the schedule was switched on');
    const started = await waitForScheduledRun(
      ctx,
      since,
      'Waiting for the schedule to start a reconciliation',
    );
    const run = await runToReport(ctx, started.executionArn!, 'Following the scheduled reconciliation');
    ctx.state.firstReconciliation = run;
    const report = await readReport(ctx, run.reportKey);
    showReport(ctx.out, report, { json: run.reportKey, markdown: run.markdownKey });
    const to = alignDown(ctx.clock.now()) + 60_000;
    const { reading, arrived } = await waitForMetrics(
      ctx,
      'Reading the PartitionsMissing metric the report published',
      () => missingReading(ctx, run, to),
      (r) => r.total >= 1,
      (r) => `PartitionsMissing ${describeReading(r)}`,
    );
    ctx.out.say(missingMetricSentence(reading, arrived));
  },
  async check(ctx) {
    const run = need(ctx.state.firstReconciliation, 'the reconciliation');
    const report = await readReport(ctx, run.reportKey);
    const missing = await missingReading(ctx, run, alignDown(ctx.clock.now()) + 60_000);
    return [
      ...statusChecks('the report', report, { [need(ctx.state.withheld, 'the withheld hour')]: 'MISSING' }),
      expectEqual('grace-period re-checks before giving up', GRACE.rechecks, report.rechecks),
      ...(await reportStoredChecks(ctx, run)),
      atLeastCheck(`${ALARM_METRIC} published`, missing, 1, run.startedAt, 'the report counted 1 missing'),
      expectEqual(
        'the report’s execution is the schedule’s',
        executionNameOf(run.executionArn),
        report.execution,
      ),
    ];
  },
};

export const executionSteps: Step<Demo3State>[] = [
  uploadHours,
  eventRuns,
  startSchedule,
  firstReconciliation,
];
