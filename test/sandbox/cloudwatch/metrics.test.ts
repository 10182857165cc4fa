import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { createCloudWatchService } from '../../../src/sandbox/cloudwatch/index.js';
import { SandboxClock } from '../../../src/sandbox/clock.js';
import { StateStore } from '../../../src/sandbox/store.js';
import { makeTempDir, startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { thrownBy } from '../../helpers/awsErrors.js';

async function errorOf(p: Promise<unknown>): Promise<{ name: string; message: string; code?: string }> {
  const e = await thrownBy<{ name: string; message: string; Code?: string }>(p);
  return { name: e.name, message: e.message, code: e.Code };
}

describe('CloudWatch metrics through @aws-sdk/client-cloudwatch', () => {
  let t: TestSandbox;
  let cw: CloudWatchClient;
  // Whole minutes, a while ago, so every point falls in a known period.
  let base: number;
  beforeAll(async () => {
    t = await startTestSandbox();
    cw = new CloudWatchClient(t.clientConfig);
    base = Math.floor(t.sandbox.clock.now() / 60_000) * 60_000 - 30 * 60_000;
  });
  afterAll(() => t.stop());

  const dims = [{ Name: 'FunctionName', Value: 'fn-a' }];

  it('puts values and statistic sets, and aggregates them per period', async () => {
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Course/Demo',
        MetricData: [
          {
            MetricName: 'Latency',
            Dimensions: dims,
            Timestamp: new Date(base + 1000),
            Value: 10,
            Unit: 'Milliseconds',
          },
          {
            MetricName: 'Latency',
            Dimensions: dims,
            Timestamp: new Date(base + 2000),
            Value: 30,
            Unit: 'Milliseconds',
          },
          {
            MetricName: 'Latency',
            Dimensions: dims,
            Timestamp: new Date(base + 61_000),
            StatisticValues: { SampleCount: 2, Sum: 100, Minimum: 40, Maximum: 60 },
            Unit: 'Milliseconds',
          },
          {
            MetricName: 'Rows',
            Dimensions: dims,
            Timestamp: new Date(base + 1000),
            Values: [1, 2],
            Counts: [3, 1],
          },
        ],
      }),
    );
    const stats = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Course/Demo',
        MetricName: 'Latency',
        Dimensions: dims,
        StartTime: new Date(base),
        EndTime: new Date(base + 5 * 60_000),
        Period: 60,
        Statistics: ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'],
        ExtendedStatistics: ['p50'],
      }),
    );
    expect(stats.Label).toBe('Latency');
    expect(stats.Datapoints).toEqual([
      {
        Timestamp: new Date(base),
        SampleCount: 2,
        Sum: 40,
        Average: 20,
        Minimum: 10,
        Maximum: 30,
        Unit: 'Milliseconds',
        ExtendedStatistics: { p50: 10 },
      },
      {
        Timestamp: new Date(base + 60_000),
        SampleCount: 2,
        Sum: 100,
        Average: 50,
        Minimum: 40,
        Maximum: 60,
        Unit: 'Milliseconds',
        ExtendedStatistics: { p50: 50 },
      },
    ]);
    const rows = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Course/Demo',
        MetricName: 'Rows',
        Dimensions: dims,
        StartTime: new Date(base),
        EndTime: new Date(base + 60_000),
        Period: 60,
        Statistics: ['Sum', 'SampleCount'],
      }),
    );
    expect(rows.Datapoints).toEqual([{ Timestamp: new Date(base), Sum: 5, SampleCount: 4, Unit: 'None' }]);
    // Dimensions must match exactly, as in CloudWatch.
    const other = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Course/Demo',
        MetricName: 'Latency',
        StartTime: new Date(base),
        EndTime: new Date(base + 5 * 60_000),
        Period: 60,
        Statistics: ['Sum'],
      }),
    );
    expect(other.Datapoints).toEqual([]);
  });

  it('answers GetMetricData MetricStat queries, newest first by default', async () => {
    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(base),
        EndTime: new Date(base + 5 * 60_000),
        MetricDataQueries: [
          {
            Id: 'lat',
            MetricStat: {
              Metric: { Namespace: 'Course/Demo', MetricName: 'Latency', Dimensions: dims },
              Period: 60,
              Stat: 'Maximum',
            },
          },
          {
            Id: 'hidden',
            ReturnData: false,
            MetricStat: {
              Metric: { Namespace: 'Course/Demo', MetricName: 'Latency', Dimensions: dims },
              Period: 60,
              Stat: 'Sum',
            },
          },
          {
            Id: 'rows',
            Label: 'rows total',
            MetricStat: {
              Metric: { Namespace: 'Course/Demo', MetricName: 'Rows', Dimensions: dims },
              Period: 300,
              Stat: 'Sum',
            },
          },
        ],
      }),
    );
    expect(out.MetricDataResults).toEqual([
      {
        Id: 'lat',
        Label: 'Latency',
        Timestamps: [new Date(base + 60_000), new Date(base)],
        Values: [60, 30],
        StatusCode: 'Complete',
        Messages: [],
      },
      {
        Id: 'rows',
        Label: 'rows total',
        Timestamps: [new Date(Math.floor(base / 300_000) * 300_000)],
        Values: [5],
        StatusCode: 'Complete',
        Messages: [],
      },
    ]);
  });

  it('lists metrics by namespace, name and dimension', async () => {
    const all = await cw.send(new ListMetricsCommand({ Namespace: 'Course/Demo' }));
    expect(all.Metrics?.map((m) => m.MetricName).sort()).toEqual(['Latency', 'Rows']);
    const byDim = await cw.send(
      new ListMetricsCommand({ Dimensions: [{ Name: 'FunctionName', Value: 'fn-a' }], MetricName: 'Rows' }),
    );
    expect(byDim.Metrics).toEqual([{ Namespace: 'Course/Demo', MetricName: 'Rows', Dimensions: dims }]);
    const none = await cw.send(
      new ListMetricsCommand({ Dimensions: [{ Name: 'FunctionName', Value: 'fn-b' }] }),
    );
    expect(none.Metrics).toEqual([]);
  });

  it('reports bad input with CloudWatch errors and awsQuery codes', async () => {
    const reserved = await errorOf(
      cw.send(
        new PutMetricDataCommand({ Namespace: 'AWS/Lambda', MetricData: [{ MetricName: 'x', Value: 1 }] }),
      ),
    );
    expect(reserved).toMatchObject({ name: 'InvalidParameterValueException', code: 'InvalidParameterValue' });
    const noStats = await errorOf(
      cw.send(
        new GetMetricStatisticsCommand({
          Namespace: 'Course/Demo',
          MetricName: 'Latency',
          StartTime: new Date(base),
          EndTime: new Date(base + 60_000),
          Period: 60,
        }),
      ),
    );
    expect(noStats.name).toBe('InvalidParameterCombinationException');
    const tooMany = await errorOf(
      cw.send(
        new GetMetricStatisticsCommand({
          Namespace: 'Course/Demo',
          MetricName: 'Latency',
          StartTime: new Date(base - 2 * 86_400_000),
          EndTime: new Date(base),
          Period: 60,
          Statistics: ['Sum'],
        }),
      ),
    );
    expect(tooMany.message).toContain('exceeds the limit of 1440');
    const badPeriod = await errorOf(
      cw.send(
        new GetMetricStatisticsCommand({
          Namespace: 'Course/Demo',
          MetricName: 'Latency',
          StartTime: new Date(base),
          EndTime: new Date(base + 60_000),
          Period: 61,
          Statistics: ['Sum'],
        }),
      ),
    );
    expect(badPeriod.name).toBe('InvalidParameterValueException');
    const old = await errorOf(
      cw.send(
        new PutMetricDataCommand({
          Namespace: 'Course/Demo',
          MetricData: [{ MetricName: 'x', Value: 1, Timestamp: new Date(base - 20 * 86_400_000) }],
        }),
      ),
    );
    expect(old.name).toBe('InvalidParameterValueException');
  });

  it('persists metrics across a restart', async () => {
    await t.restart();
    cw = new CloudWatchClient(t.clientConfig);
    const all = await cw.send(new ListMetricsCommand({ Namespace: 'Course/Demo' }));
    expect(all.Metrics).toHaveLength(2);
  });
});

describe('MetricRecorder (used by Lambda, EventBridge, Step Functions)', () => {
  it('records AWS-namespace data points that GetMetricStatistics then reports', async () => {
    const clock = new SandboxClock();
    const cw = createCloudWatchService({ store: new StateStore(makeTempDir()), clock, log: () => undefined });
    const minute = Math.floor(clock.now() / 60_000) * 60_000 - 60_000;
    for (const value of [1, 1, 0]) {
      cw.recorder.record({
        region: 'us-east-1',
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensions: [{ Name: 'FunctionName', Value: 'f' }],
        value,
        unit: 'Count',
        timestamp: minute + 5_000,
      });
    }
    const body = JSON.stringify({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: 'f' }],
      StartTime: minute / 1000,
      EndTime: (minute + 60_000) / 1000,
      Period: 60,
      Statistics: ['Sum', 'SampleCount'],
    });
    const res = await cw.endpoint.handle({
      method: 'POST',
      rawPath: '/',
      path: '/',
      rawQuery: '',
      query: new URLSearchParams(),
      headers: { 'x-amz-target': 'GraniteServiceVersion20100801.GetMetricStatistics' },
      body: Buffer.from(body),
      region: 'us-east-1',
      accountId: '000000000000',
      requestId: 'r',
      accessKeyId: 'k',
      endpoint: '',
    });
    expect(JSON.parse(String(res.body))).toEqual({
      Label: 'Errors',
      Datapoints: [{ Timestamp: minute / 1000, Unit: 'Count', Sum: 2, SampleCount: 3 }],
    });
  });
});
