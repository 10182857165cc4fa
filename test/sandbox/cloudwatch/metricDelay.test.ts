/**
 * A fault profile's metric delay, through @aws-sdk/client-cloudwatch: a published datapoint is
 * invisible to GetMetricData, GetMetricStatistics, ListMetrics and alarms until the delay has passed
 * on the sandbox clock, then appears in its own period; an alarm evaluates the late data as AWS's
 * alarms do (OK on missing data first, ALARM once the breaching datapoint has arrived). AWS/Lambda
 * metrics Lambda publishes about itself arrive late the same way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { profileFromJson } from '../../../src/sandbox/faults/index.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { createFunction, createRole } from '../lambda/fixtures.js';

const DELAY_MS = 120_000;
let t: TestSandbox;
let cw: CloudWatchClient;

beforeAll(async () => {
  // 120 sandbox seconds are five real seconds: reads right after a put are well inside the delay
  // even on a loaded machine (each test checks the clock around its early reads all the same).
  t = await startTestSandbox({
    timeScale: 24,
    faults: profileFromJson({ seed: 1, metricDelaySeconds: DELAY_MS / 1000 }, 'metric-delay'),
  });
  cw = new CloudWatchClient(t.clientConfig);
}, 60_000);
afterAll(() => t?.stop());

const now = (): number => t.sandbox.clock.now();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
async function untilSandbox(at: number): Promise<void> {
  while (now() < at) await sleep(20);
}

/** What the three read APIs see of one metric over [start, end). */
async function reads(namespace: string, metricName: string, dims: { Name: string; Value: string }[]) {
  const end = new Date(Math.ceil(now() / 60_000) * 60_000 + 60_000);
  const start = new Date(end.getTime() - 3_600_000);
  const data = await cw.send(
    new GetMetricDataCommand({
      StartTime: start,
      EndTime: end,
      MetricDataQueries: [
        {
          Id: 'm',
          MetricStat: {
            Metric: { Namespace: namespace, MetricName: metricName, Dimensions: dims },
            Period: 60,
            Stat: 'Sum',
          },
        },
      ],
    }),
  );
  const stats = await cw.send(
    new GetMetricStatisticsCommand({
      Namespace: namespace,
      MetricName: metricName,
      Dimensions: dims,
      StartTime: start,
      EndTime: end,
      Period: 60,
      Statistics: ['Sum'],
    }),
  );
  const listed = await cw.send(new ListMetricsCommand({ Namespace: namespace, MetricName: metricName }));
  return {
    data: data.MetricDataResults![0]!.Timestamps!.map((ts, i) => [
      ts.getTime(),
      data.MetricDataResults![0]!.Values![i],
    ]),
    stats: stats.Datapoints!.map((d) => [d.Timestamp!.getTime(), d.Sum]),
    listed: listed.Metrics!.length,
  };
}

describe('CloudWatch under a metric delay', () => {
  it('hides a datapoint from every read until the delay has passed, then shows it in its own period', async () => {
    const dims = [{ Name: 'Job', Value: 'nightly' }];
    const period = Math.floor(now() / 60_000) * 60_000 - 5 * 60_000;
    const published = now();
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Course/Delay',
        MetricData: [
          { MetricName: 'Failures', Dimensions: dims, Timestamp: new Date(period + 1_000), Value: 3 },
        ],
      }),
    );
    // Published between `published` and `answered` on the sandbox clock.
    const answered = now();
    const early = await reads('Course/Delay', 'Failures', dims);
    expect(now()).toBeLessThan(published + DELAY_MS);
    expect(early).toEqual({ data: [], stats: [], listed: 0 });

    await untilSandbox(answered + DELAY_MS + 1_000);
    expect(await reads('Course/Delay', 'Failures', dims)).toEqual({
      data: [[period, 3]],
      stats: [[period, 3]],
      listed: 1,
    });
  });

  it('an alarm evaluates only what has arrived: OK on missing data, ALARM once the late datapoint is in', async () => {
    const dims = [{ Name: 'Job', Value: 'hourly' }];
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'late-failures',
        Namespace: 'Course/Delay',
        MetricName: 'Failures',
        Dimensions: dims,
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );
    const published = now();
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Course/Delay',
        MetricData: [{ MetricName: 'Failures', Dimensions: dims, Value: 1 }],
      }),
    );
    const state = async () =>
      (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['late-failures'] }))).MetricAlarms![0]!;
    for (let i = 0; i < 1000 && (await state()).StateValue !== 'ALARM'; i++) await sleep(50);
    const alarm = await state();
    expect(alarm.StateValue).toBe('ALARM');
    // The alarm went to ALARM only after the delay, having been OK on missing data before.
    expect(alarm.StateUpdatedTimestamp!.getTime()).toBeGreaterThanOrEqual(published + DELAY_MS);
    const history = await cw.send(
      new DescribeAlarmHistoryCommand({ AlarmName: 'late-failures', HistoryItemType: 'StateUpdate' }),
    );
    const summaries = history.AlarmHistoryItems!.map((h) => h.HistorySummary).reverse();
    expect(summaries).toEqual([
      'Alarm updated from INSUFFICIENT_DATA to OK',
      'Alarm updated from OK to ALARM',
    ]);
  }, 60_000);

  it("Lambda's own metrics arrive late too", async () => {
    const lambda = new LambdaClient(t.clientConfig);
    await createFunction(lambda, await createRole(t, 'delay-fn'), 'delayed', {
      'index.mjs': 'export const handler = async () => { throw new Error("no input"); };',
    });
    const published = now();
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'delayed' }));
    expect(out.FunctionError).toBe('Unhandled');
    const answered = now();
    const dims = [{ Name: 'FunctionName', Value: 'delayed' }];
    const early = await reads('AWS/Lambda', 'Errors', dims);
    expect(now()).toBeLessThan(published + DELAY_MS);
    expect(early).toEqual({ data: [], stats: [], listed: 0 });
    await untilSandbox(answered + DELAY_MS + 1_000);
    const late = await reads('AWS/Lambda', 'Errors', dims);
    expect(late.data.map(([, v]) => v)).toEqual([1]);
    expect(late.listed).toBe(1);
  }, 60_000);
});
