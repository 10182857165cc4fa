/**
 * Reading the CloudWatch metrics AWS services publish about themselves (AWS/Lambda, AWS/Events),
 * the way a dashboard or an alarm reads them: one GetMetricData call, one statistic per period,
 * summed over a time range. On AWS these metrics arrive 1–3 minutes after the fact, so a reading
 * also says how far the published data reaches.
 */
import {
  GetMetricDataCommand,
  type CloudWatchClient,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';

export type MetricStat = 'Sum' | 'SampleCount' | 'Average' | 'Maximum' | 'Minimum';

/** One metric series: namespace, name and the full dimension set that identifies it. */
export interface MetricRef {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  /** Statistic per period (default Sum). */
  stat?: MetricStat;
}

export interface MetricPoint {
  /** Start of the period, epoch ms. */
  t: number;
  value: number;
}

export interface MetricReading {
  ref: MetricRef;
  /** One point per period that has data, oldest first. Periods without data are absent. */
  points: MetricPoint[];
  /** Sum of the points' values (0 when there are none). */
  total: number;
  /** Largest point value, undefined when there are no points. */
  max?: number;
  /** Start of the newest period with data: how far the published data reaches. */
  latest?: number;
}

export interface MetricRange {
  /** Epoch ms; aligned down to the period, as CloudWatch does for recent data. */
  startTime: number;
  /** Epoch ms; aligned up to the period. */
  endTime: number;
  /** Seconds (default 60: Lambda's and EventBridge's standard resolution). */
  periodSec?: number;
}

const DEFAULT_PERIOD_SEC = 60;
const MAX_PAGES = 20;

/** A Lambda function's metric (AWS/Lambda, dimension FunctionName). */
export const lambdaMetric = (functionName: string, metricName: string): MetricRef => ({
  namespace: 'AWS/Lambda',
  metricName,
  dimensions: { FunctionName: functionName },
});

/** An EventBridge rule's metric (AWS/Events, dimension RuleName). */
export const ruleMetric = (ruleName: string, metricName: string): MetricRef => ({
  namespace: 'AWS/Events',
  metricName,
  dimensions: { RuleName: ruleName },
});

export const alignDown = (ms: number, periodSec = DEFAULT_PERIOD_SEC): number =>
  Math.floor(ms / (periodSec * 1000)) * periodSec * 1000;

export const alignUp = (ms: number, periodSec = DEFAULT_PERIOD_SEC): number =>
  Math.ceil(ms / (periodSec * 1000)) * periodSec * 1000;

function summarise(ref: MetricRef, points: MetricPoint[]): MetricReading {
  points.sort((a, b) => a.t - b.t);
  const values = points.map((p) => p.value);
  return {
    ref,
    points,
    total: values.reduce((a, b) => a + b, 0),
    max: values.length ? Math.max(...values) : undefined,
    latest: points.length ? points[points.length - 1]!.t : undefined,
  };
}

/**
 * Read several metrics over one range with a single GetMetricData request (paged). Returns a
 * reading per key of `refs`.
 */
export async function readMetrics<K extends string>(
  cloudwatch: CloudWatchClient,
  refs: Record<K, MetricRef>,
  range: MetricRange,
): Promise<Record<K, MetricReading>> {
  const periodSec = range.periodSec ?? DEFAULT_PERIOD_SEC;
  const keys = Object.keys(refs) as K[];
  // Query ids must start with a lower-case letter: m0, m1, … mapped back to the caller's keys.
  const queries: MetricDataQuery[] = keys.map((k, i) => ({
    Id: `m${i}`,
    Label: k,
    MetricStat: {
      Metric: {
        Namespace: refs[k].namespace,
        MetricName: refs[k].metricName,
        Dimensions: Object.entries(refs[k].dimensions).map(([Name, Value]) => ({ Name, Value })),
      },
      Period: periodSec,
      Stat: refs[k].stat ?? 'Sum',
    },
  }));
  const points = new Map<string, MetricPoint[]>(queries.map((q) => [q.Id!, []]));
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: queries,
        StartTime: new Date(alignDown(range.startTime, periodSec)),
        EndTime: new Date(alignUp(range.endTime, periodSec)),
        ScanBy: 'TimestampAscending',
        NextToken: nextToken,
      }),
    );
    for (const r of res.MetricDataResults ?? []) {
      const list = points.get(r.Id ?? '');
      if (!list) continue;
      const ts = r.Timestamps ?? [];
      const vs = r.Values ?? [];
      for (let i = 0; i < Math.min(ts.length, vs.length); i++)
        list.push({ t: ts[i]!.getTime(), value: vs[i]! });
    }
    nextToken = res.NextToken;
    if (!nextToken) break;
  }
  return Object.fromEntries(keys.map((k, i) => [k, summarise(refs[k], points.get(`m${i}`)!)])) as Record<
    K,
    MetricReading
  >;
}

/** Whether the published data reaches the period that holds `ms` (CloudWatch has caught up to it). */
export function publishedThrough(
  reading: MetricReading,
  ms: number,
  periodSec = DEFAULT_PERIOD_SEC,
): boolean {
  return reading.latest !== undefined && reading.latest >= alignDown(ms, periodSec);
}

/** "5 (over 5 one-minute datapoints)" / "no datapoints" — for tables. */
export function describeReading(reading: MetricReading): string {
  const n = reading.points.length;
  if (n === 0) return 'no datapoints';
  return `${reading.total} (${n} datapoint${n === 1 ? '' : 's'})`;
}

/** `AWS/Lambda Errors` — how the metric is named in a table. */
export const metricLabel = (ref: MetricRef): string =>
  `${ref.namespace} ${ref.metricName} (${ref.stat ?? 'Sum'})`;
