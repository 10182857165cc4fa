/** CloudWatch metric operations: PutMetricData, ListMetrics, GetMetricStatistics, GetMetricData. */
import { AwsError } from '../errors.js';
import type { OperationHandler } from '../protocols/types.js';
import type { SandboxClock } from '../clock.js';
import type { Dimension, MetricPoint, MetricStore } from './metricStore.js';
import {
  checkPeriod,
  combination,
  dimensions,
  invalidValue,
  list,
  missing,
  namespaceOf,
  num,
  obj,
  str,
  time,
  type Input,
} from './params.js';
import { readDataQueries, runDataQueries } from './metricQueries.js';
import { BASIC_STATISTICS, bucketize, isPercentile, statistic } from './statistics.js';

const HOUR_MS = 3_600_000;
const MAX_DATAPOINTS = 1440;
const LIST_PAGE = 500;

function checkWindow(start: number, end: number, period: number): void {
  if (start >= end) throw invalidValue('The parameter StartTime must be less than the parameter EndTime.');
  const requested = Math.ceil((end - start) / (period * 1000));
  if (requested > MAX_DATAPOINTS) {
    throw combination(
      `You have requested up to ${requested} datapoints, which exceeds the limit of ${MAX_DATAPOINTS}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
    );
  }
}

export function metricOperations(
  metrics: MetricStore,
  clock: SandboxClock,
): Record<string, OperationHandler> {
  return {
    PutMetricData(input: Input, ctx) {
      const namespace = namespaceOf(input, true)!;
      if (namespace.startsWith('AWS/'))
        throw invalidValue('The value AWS/ for parameter Namespace is invalid.');
      const data = list(input, 'MetricData') ?? [];
      if (data.length === 0) throw missing('MetricData');
      if (data.length > 1000)
        throw invalidValue('The collection MetricData must not have a size greater than 1000.');
      const now = clock.now();
      const points: Array<{ name: string; dims: Dimension[]; point: MetricPoint }> = data.map((raw, i) => {
        const where = `MetricData.member.${i + 1}`;
        const d = obj(raw, where);
        const name = str(d, 'MetricName', `${where}.MetricName`, true)!;
        const dims = dimensions(
          list(d, 'Dimensions', `${where}.Dimensions`),
          `${where}.Dimensions`,
          true,
        ) as Dimension[];
        const t = time(d, 'Timestamp', `${where}.Timestamp`) ?? now;
        if (t < now - 14 * 24 * HOUR_MS || t > now + 2 * HOUR_MS) {
          throw invalidValue(
            `The parameter ${where}.Timestamp must specify a time no more than two weeks in the past or two hours in the future.`,
          );
        }
        const unit = str(d, 'Unit', `${where}.Unit`) ?? 'None';
        const value = num(d, 'Value', `${where}.Value`);
        const stats =
          d.StatisticValues === undefined ? undefined : obj(d.StatisticValues, `${where}.StatisticValues`);
        const values = list(d, 'Values', `${where}.Values`) as number[] | undefined;
        const given = [value !== undefined, stats !== undefined, values !== undefined].filter(Boolean).length;
        if (given !== 1) {
          throw combination(
            `The parameters ${where}.Value, ${where}.StatisticValues and ${where}.Values are mutually exclusive and you must specify one of them.`,
          );
        }
        if (stats) {
          const get = (k: string): number => num(stats, k, `${where}.StatisticValues.${k}`, true)!;
          return {
            name,
            dims,
            point: {
              t,
              unit,
              count: get('SampleCount'),
              sum: get('Sum'),
              min: get('Minimum'),
              max: get('Maximum'),
            },
          };
        }
        if (values) {
          const counts =
            (list(d, 'Counts', `${where}.Counts`) as number[] | undefined) ?? values.map(() => 1);
          if (counts.length !== values.length || values.some((v) => typeof v !== 'number')) {
            throw invalidValue(
              `The parameters ${where}.Values and ${where}.Counts must be lists of numbers of the same length.`,
            );
          }
          const expanded = values.flatMap((v, k) =>
            Array<number>(Math.max(0, Math.round(counts[k]!))).fill(v),
          );
          return {
            name,
            dims,
            point: {
              t,
              unit,
              count: counts.reduce((a, b) => a + b, 0),
              sum: values.reduce((a, v, k) => a + v * counts[k]!, 0),
              min: Math.min(...values),
              max: Math.max(...values),
              values: expanded.length <= 10_000 ? expanded : undefined,
            },
          };
        }
        return {
          name,
          dims,
          point: { t, unit, count: 1, sum: value!, min: value!, max: value!, values: [value!] },
        };
      });
      for (const p of points) {
        if (!metrics.add(ctx.region, namespace, p.name, p.dims, p.point)) {
          throw new AwsError(
            'LimitExceededException',
            'The sandbox holds too many metrics in this region.',
            400,
          );
        }
      }
      return {};
    },

    ListMetrics(input: Input, ctx) {
      const namespace = namespaceOf(input, false);
      const metricName = str(input, 'MetricName');
      const filters = dimensions(list(input, 'Dimensions'), 'Dimensions', false);
      const token = str(input, 'NextToken');
      const recentlyActive = str(input, 'RecentlyActive');
      if (recentlyActive !== undefined && recentlyActive !== 'PT3H') {
        throw invalidValue('The parameter RecentlyActive must be PT3H.');
      }
      const since = recentlyActive ? clock.now() - 3 * HOUR_MS : -Infinity;
      const matching = metrics
        .series(ctx.region)
        .filter(
          (s) =>
            (namespace === undefined || s.namespace === namespace) &&
            (metricName === undefined || s.metricName === metricName),
        )
        .filter((s) =>
          filters.every((f) =>
            s.dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value)),
          ),
        )
        .filter((s) => s.points[s.points.length - 1]!.t >= since)
        .sort((a, b) => (a.namespace + a.metricName < b.namespace + b.metricName ? -1 : 1));
      const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
      if (!Number.isInteger(start) || start < 0)
        throw new AwsError('InvalidNextToken', 'The service returned an invalid next token.', 400);
      const page = matching.slice(start, start + LIST_PAGE);
      return {
        Metrics: page.map((s) => ({
          Namespace: s.namespace,
          MetricName: s.metricName,
          Dimensions: s.dimensions,
        })),
        NextToken:
          start + LIST_PAGE < matching.length
            ? Buffer.from(String(start + LIST_PAGE)).toString('base64url')
            : undefined,
      };
    },

    GetMetricStatistics(input: Input, ctx) {
      const namespace = namespaceOf(input, true)!;
      const metricName = str(input, 'MetricName', 'MetricName', true)!;
      const dims = dimensions(list(input, 'Dimensions'), 'Dimensions', true) as Dimension[];
      const start = time(input, 'StartTime', 'StartTime', true)!;
      const end = time(input, 'EndTime', 'EndTime', true)!;
      const period = num(input, 'Period', 'Period', true)!;
      const stats = (list(input, 'Statistics') ?? []) as string[];
      const extended = (list(input, 'ExtendedStatistics') ?? []) as string[];
      const unit = str(input, 'Unit');
      checkPeriod(period, 'Period');
      if (stats.length === 0 && extended.length === 0)
        throw combination('Must specify either Statistics or ExtendedStatistics.');
      for (const s of stats) {
        if (!(BASIC_STATISTICS as readonly string[]).includes(s)) {
          throw invalidValue(
            `The parameter Statistics.member.${stats.indexOf(s) + 1} must be one of: ${BASIC_STATISTICS.join(', ')}.`,
          );
        }
      }
      for (const s of extended)
        if (!isPercentile(s))
          throw invalidValue(`The value ${s} for parameter ExtendedStatistics is not a valid percentile.`);
      checkWindow(start, end, period);
      const series = metrics.find(ctx.region, namespace, metricName, dims);
      const buckets = series ? bucketize(series.points, start, end, period, unit) : [];
      return {
        Label: metricName,
        Datapoints: buckets.map((b) => {
          const dp: Record<string, unknown> = {
            Timestamp: new Date(b.start),
            Unit: unit ?? b.points[0]!.unit,
          };
          for (const s of stats) dp[s] = statistic(b.points, s);
          if (extended.length > 0)
            dp.ExtendedStatistics = Object.fromEntries(extended.map((s) => [s, statistic(b.points, s)]));
          return dp;
        }),
      };
    },

    GetMetricData(input: Input, ctx) {
      const queries = list(input, 'MetricDataQueries') ?? [];
      if (queries.length === 0) throw missing('MetricDataQueries');
      if (queries.length > 500)
        throw invalidValue('The collection MetricDataQueries must not have a size greater than 500.');
      const start = time(input, 'StartTime', 'StartTime', true)!;
      const end = time(input, 'EndTime', 'EndTime', true)!;
      if (start >= end)
        throw invalidValue('The parameter StartTime must be less than the parameter EndTime.');
      const scanBy = str(input, 'ScanBy') ?? 'TimestampDescending';
      if (!['TimestampDescending', 'TimestampAscending'].includes(scanBy))
        throw invalidValue('The parameter ScanBy is invalid.');
      const maxDatapoints = num(input, 'MaxDatapoints') ?? 100_800;
      const specs = readDataQueries(queries, 'MetricDataQueries');
      const ran = runDataQueries(metrics, ctx.region, specs, start, end);
      const results = specs
        .filter((q) => q.returnData)
        .flatMap((q) => {
          const r = ran.get(q.id)!;
          return r.series.map((s) => {
            const times = [...s.points.keys()].sort((x, y) => x - y);
            if (scanBy === 'TimestampDescending') times.reverse();
            const kept = times.slice(0, maxDatapoints);
            return {
              Id: q.id,
              Label: r.label,
              Timestamps: kept.map((t) => new Date(t)),
              Values: kept.map((t) => s.points.get(t)!),
              StatusCode: kept.length < times.length ? 'PartialData' : 'Complete',
              Messages: [],
            };
          });
        });
      return { MetricDataResults: results, Messages: [] };
    },
  };
}
