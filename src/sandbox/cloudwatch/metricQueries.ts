/**
 * Metric data queries (`MetricDataQuery`): a metric with a statistic and period, or a metric math
 * expression over other queries of the same request. GetMetricData and alarms on a `Metrics` list
 * both read and run them here, so an alarm sees exactly what GetMetricData would return.
 */
import { AwsError } from '../errors.js';
import { evaluateMath, finalSeries, type MathValue, type TimeSeries } from './metricMath.js';
import { MetricMathEvaluationError } from './metricMathValues.js';
import { MetricMathSyntaxError, parseMetricMath, referencedIds, type MathNode } from './metricMathParser.js';
import { sortDimensions, type Dimension, type MetricStore } from './metricStore.js';
import {
  checkPeriod,
  combination,
  dimensions,
  invalidValue,
  list,
  namespaceOf,
  num,
  obj,
  str,
  type Input,
} from './params.js';
import { bucketize, isStatistic, statistic } from './statistics.js';

export interface MetricStatSpec {
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  /** Seconds. */
  period: number;
  stat: string;
  unit?: string;
}

export interface DataQuerySpec {
  id: string;
  metricStat?: MetricStatSpec;
  expression?: string;
  label?: string;
  returnData: boolean;
  /** An expression's own period (seconds), when given. */
  period?: number;
}

export interface QueryResult {
  id: string;
  label: string;
  series: TimeSeries[];
  /** Samples per period of a metric query (alarms report them as `sampleCount`). */
  sampleCounts?: Map<number, number>;
}

/**
 * CloudWatch reports metric math problems as a validation error naming the expression. Assumed
 * wording (AWS does not document it): "Error in expression <id>: <what is wrong>".
 */
export function expressionError(id: string, detail: string): AwsError {
  return new AwsError('ValidationException', `Error in expression ${id}: ${detail}`, 400);
}

function readMetricStat(raw: unknown, where: string): MetricStatSpec {
  const ms = obj(raw, where);
  const metric = obj(ms.Metric, `${where}.Metric`);
  const namespace = namespaceOf(metric, true)!;
  const metricName = str(metric, 'MetricName', `${where}.Metric.MetricName`, true)!;
  const dims = dimensions(list(metric, 'Dimensions'), `${where}.Metric.Dimensions`, true) as Dimension[];
  const period = num(ms, 'Period', `${where}.Period`, true)!;
  checkPeriod(period, `${where}.Period`);
  const stat = str(ms, 'Stat', `${where}.Stat`, true)!;
  if (!isStatistic(stat)) throw invalidValue(`The value ${stat} for parameter ${where}.Stat is invalid.`);
  return {
    namespace,
    metricName,
    dimensions: sortDimensions(dims),
    period,
    stat,
    unit: str(ms, 'Unit', `${where}.Unit`),
  };
}

/** Validate a `MetricDataQueries` (or an alarm's `Metrics`) list: ids, one source per query, expressions that parse and refer to known ids. */
export function readDataQueries(raw: unknown[], member: string): DataQuerySpec[] {
  const ids = new Set<string>();
  const queries = raw.map((item, i): DataQuerySpec => {
    const where = `${member}.member.${i + 1}`;
    const q = obj(item, where);
    const id = str(q, 'Id', `${where}.Id`, true)!;
    if (!/^[a-z][a-zA-Z0-9_]*$/.test(id) || id.length > 255)
      throw invalidValue(`The value ${id} for parameter ${where}.Id is invalid.`);
    if (ids.has(id)) throw invalidValue(`The value ${id} for parameter ${member}.Id is duplicated.`);
    ids.add(id);
    const hasStat = q.MetricStat !== undefined && q.MetricStat !== null;
    const expression = str(q, 'Expression', `${where}.Expression`);
    if (hasStat === (expression !== undefined))
      throw combination(`Exactly one of ${where}.MetricStat and ${where}.Expression must be specified.`);
    if (expression !== undefined && (expression.length < 1 || expression.length > 2048))
      throw invalidValue(`The parameter ${where}.Expression must be 1 to 2048 characters.`);
    const period = num(q, 'Period', `${where}.Period`);
    if (period !== undefined) checkPeriod(period, `${where}.Period`);
    const returnData = q.ReturnData;
    if (returnData !== undefined && typeof returnData !== 'boolean')
      throw invalidValue(`The parameter ${where}.ReturnData must be a boolean.`);
    return {
      id,
      metricStat: hasStat ? readMetricStat(q.MetricStat, `${where}.MetricStat`) : undefined,
      expression,
      label: str(q, 'Label', `${where}.Label`),
      returnData: returnData !== false,
      period,
    };
  });
  for (const q of queries) {
    if (q.expression === undefined) continue;
    const node = parseOrThrow(q);
    for (const ref of referencedIds(node)) {
      if (!ids.has(ref)) throw expressionError(q.id, `Unrecognized metric or expression id ${ref}`);
    }
  }
  return queries;
}

function parseOrThrow(q: DataQuerySpec): MathNode {
  try {
    return parseMetricMath(q.expression!);
  } catch (err) {
    if (err instanceof MetricMathSyntaxError) throw expressionError(q.id, err.message);
    throw err;
  }
}

function metricSeries(
  store: MetricStore,
  region: string,
  q: DataQuerySpec & { metricStat: MetricStatSpec },
  start: number,
  end: number,
): QueryResult {
  const ms = q.metricStat;
  const found = store.find(region, ms.namespace, ms.metricName, ms.dimensions);
  const buckets = found ? bucketize(found.points, start, end, ms.period, ms.unit) : [];
  const points = new Map<number, number>();
  const sampleCounts = new Map<number, number>();
  for (const b of buckets) {
    points.set(b.start, statistic(b.points, ms.stat));
    sampleCounts.set(
      b.start,
      b.points.reduce((n, p) => n + p.count, 0),
    );
  }
  return {
    id: q.id,
    label: q.label ?? ms.metricName,
    series: [{ points, id: q.id, period: ms.period }],
    sampleCounts,
  };
}

/** The period an expression's results are laid out on: its own, or the first metric it reads. */
function expressionPeriod(q: DataQuerySpec, all: DataQuerySpec[]): number {
  if (q.period !== undefined) return q.period;
  return all.find((m) => m.metricStat)?.metricStat?.period ?? 60;
}

/** Run every query over [start, end); results by id (expressions evaluated after what they read). */
export function runDataQueries(
  store: MetricStore,
  region: string,
  queries: DataQuerySpec[],
  start: number,
  end: number,
): Map<string, QueryResult> {
  const results = new Map<string, QueryResult>();
  const byId = new Map(queries.map((q) => [q.id, q]));
  const evaluating = new Set<string>();

  const run = (q: DataQuerySpec): QueryResult => {
    const done = results.get(q.id);
    if (done) return done;
    if (q.metricStat) {
      const r = metricSeries(store, region, q as DataQuerySpec & { metricStat: MetricStatSpec }, start, end);
      results.set(q.id, r);
      return r;
    }
    if (evaluating.has(q.id)) throw expressionError(q.id, 'The expression refers to itself');
    evaluating.add(q.id);
    const periodMs = expressionPeriod(q, queries) * 1000;
    const grid: number[] = [];
    for (let t = Math.ceil(start / periodMs) * periodMs; t < end && grid.length <= 100_800; t += periodMs)
      grid.push(t);
    let value: MathValue;
    try {
      value = evaluateMath(parseOrThrow(q), {
        grid,
        metrics: () => queries.filter((m) => m.metricStat).flatMap((m) => run(m).series),
        resolve: (id) => {
          const other = byId.get(id);
          if (!other) throw new MetricMathEvaluationError(`Unrecognized metric or expression id ${id}`);
          const r = run(other);
          return r.series.length === 1
            ? { type: 'series', series: r.series[0]! }
            : { type: 'array', items: r.series };
        },
      });
      const series = finalSeries(value);
      const r: QueryResult = { id: q.id, label: q.label ?? q.id, series };
      results.set(q.id, r);
      return r;
    } catch (err) {
      if (err instanceof MetricMathEvaluationError || err instanceof MetricMathSyntaxError)
        throw expressionError(q.id, err.message);
      throw err;
    } finally {
      evaluating.delete(q.id);
    }
  };

  for (const q of queries) run(q);
  return results;
}

/** An alarm's or request's queries as the input shape, for echoing back (`Metrics` in DescribeAlarms). */
export function dataQueryOutput(q: DataQuerySpec): Input {
  return {
    Id: q.id,
    MetricStat: q.metricStat
      ? {
          Metric: {
            Namespace: q.metricStat.namespace,
            MetricName: q.metricStat.metricName,
            Dimensions: q.metricStat.dimensions,
          },
          Period: q.metricStat.period,
          Stat: q.metricStat.stat,
          Unit: q.metricStat.unit,
        }
      : undefined,
    Expression: q.expression,
    Label: q.label,
    ReturnData: q.returnData,
    Period: q.period,
  };
}
