/**
 * The metric math functions the sandbox evaluates, with the argument and result types CloudWatch's
 * "Metric math syntax and functions" page gives them. Functions that need services the sandbox does
 * not have (ANOMALY_DETECTION_BAND, SEARCH, INSIGHT_RULE_METRIC, SERVICE_QUOTA) are refused by name.
 */
import { MetricMathSyntaxError, type MathNode } from './metricMathParser.js';
import {
  MetricMathEvaluationError,
  mapSeries,
  scalar,
  seriesValue,
  unionTimes,
  type MathContext,
  type MathValue,
  type TimeSeries,
} from './metricMathValues.js';

type Evaluate = (node: MathNode) => MathValue;

const typeError = (fn: string): MetricMathEvaluationError =>
  new MetricMathEvaluationError(`Invalid arguments for function ${fn}`);

function arity(fn: string, args: MathNode[], min: number, max = min): void {
  if (args.length < min || args.length > max) throw typeError(fn);
}

/** Apply `fn` to every value of a time series, or of each series in an array. */
function elementwise(name: string, v: MathValue, fn: (x: number) => number): MathValue {
  if (v.type === 'series') return seriesValue(mapSeries(v.series, fn));
  if (v.type === 'array') return { type: 'array', items: v.items.map((s) => mapSeries(s, fn)) };
  throw typeError(name);
}

/** Apply a per-series transformation to a series or to each series of an array. */
function perSeries(name: string, v: MathValue, fn: (s: TimeSeries) => TimeSeries): MathValue {
  if (v.type === 'series') return seriesValue(fn(v.series));
  if (v.type === 'array') return { type: 'array', items: v.items.map(fn) };
  throw typeError(name);
}

type Reducer = (values: number[]) => number;

const REDUCERS: Record<string, Reducer> = {
  SUM: (xs) => xs.reduce((a, b) => a + b, 0),
  AVG: (xs) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length),
  // Loops, not Math.min(...xs): a series may hold more values than a call can take arguments.
  MIN: (xs) => xs.reduce((a, b) => (b < a ? b : a), Infinity),
  MAX: (xs) => xs.reduce((a, b) => (b > a ? b : a), -Infinity),
  STDDEV: (xs) => {
    if (xs.length === 0) return NaN;
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  },
};

/**
 * A reducing function: over one series it gives a scalar; over an array of series it gives one
 * series, per timestamp across the series (SUM and AVG count a missing value as 0, as documented).
 */
function reduce(name: string, v: MathValue): MathValue {
  const fn = REDUCERS[name]!;
  if (v.type === 'series') {
    const values = [...v.series.points.values()];
    return scalar(values.length === 0 ? NaN : fn(values));
  }
  if (v.type !== 'array') throw typeError(name);
  const points = new Map<number, number>();
  const zeroFill = name === 'SUM' || name === 'AVG';
  for (const t of unionTimes(...v.items)) {
    const values = zeroFill
      ? v.items.map((s) => s.points.get(t) ?? 0)
      : v.items.flatMap((s) => (s.points.has(t) ? [s.points.get(t)!] : []));
    const out = fn(values);
    if (Number.isFinite(out)) points.set(t, out);
  }
  return seriesValue({ points, period: v.items[0]?.period });
}

/** Consecutive-point transforms: DIFF, DIFF_TIME, RATE, RUNNING_SUM. */
function sequential(name: string, s: TimeSeries): TimeSeries {
  const times = [...s.points.keys()].sort((a, b) => a - b);
  const points = new Map<number, number>();
  let running = 0;
  times.forEach((t, i) => {
    const v = s.points.get(t)!;
    if (name === 'RUNNING_SUM') {
      running += v;
      points.set(t, running);
      return;
    }
    if (i === 0) return;
    const prevT = times[i - 1]!;
    const prev = s.points.get(prevT)!;
    const seconds = (t - prevT) / 1000;
    if (name === 'DIFF') points.set(t, v - prev);
    else if (name === 'DIFF_TIME') points.set(t, seconds);
    else points.set(t, (v - prev) / seconds);
  });
  return { points, id: s.id, period: s.period };
}

function fill(s: TimeSeries, filler: MathValue, grid: number[]): TimeSeries {
  const points = new Map<number, number>();
  const known = [...s.points.keys()].sort((a, b) => a - b);
  for (const t of grid) {
    const own = s.points.get(t);
    if (own !== undefined) {
      points.set(t, own);
      continue;
    }
    let value: number | undefined;
    if (filler.type === 'scalar') value = filler.value;
    else if (filler.type === 'series') value = filler.series.points.get(t);
    else if (filler.type === 'word' && filler.value === 'REPEAT') {
      const before = known.filter((k) => k < t).pop();
      value = before === undefined ? undefined : s.points.get(before);
    } else if (filler.type === 'word' && filler.value === 'LINEAR') {
      const before = known.filter((k) => k < t).pop();
      const after = known.find((k) => k > t);
      if (before !== undefined && after !== undefined) {
        const a = s.points.get(before)!;
        const b = s.points.get(after)!;
        value = a + ((b - a) * (t - before)) / (after - before);
      }
    } else throw typeError('FILL');
    if (value !== undefined && Number.isFinite(value)) points.set(t, value);
  }
  return { points, id: s.id, period: s.period };
}

/** IF(condition, trueValue[, falseValue]) per the documented rules for each argument shape. */
function ifFunction(args: MathValue[]): MathValue {
  const [cond, whenTrue, whenFalse] = args as [MathValue, MathValue, MathValue | undefined];
  const valueAt = (v: MathValue | undefined, t: number, missingIsZero: boolean): number | undefined => {
    if (v === undefined) return undefined;
    if (v.type === 'scalar') return v.value;
    if (v.type === 'series') return v.series.points.get(t) ?? (missingIsZero ? 0 : undefined);
    throw typeError('IF');
  };
  if (cond.type === 'scalar') {
    const chosen = cond.value !== 0 ? whenTrue : whenFalse;
    if (chosen === undefined) return seriesValue({ points: new Map() });
    if (chosen.type !== 'series') throw typeError('IF');
    return chosen;
  }
  if (cond.type !== 'series') throw typeError('IF');
  const points = new Map<number, number>();
  for (const [t, c] of cond.series.points) {
    const out = c !== 0 ? valueAt(whenTrue, t, true) : valueAt(whenFalse, t, false);
    if (out !== undefined && Number.isFinite(out)) points.set(t, out);
  }
  return seriesValue({ points, period: cond.series.period });
}

const UNAVAILABLE = new Set([
  'ANOMALY_DETECTION_BAND',
  'SEARCH',
  'INSIGHT_RULE_METRIC',
  'SERVICE_QUOTA',
  'LAMBDA',
]);

export function callFunction(
  name: string,
  argNodes: MathNode[],
  ctx: MathContext,
  evaluate: Evaluate,
): MathValue {
  const args = (): MathValue[] => argNodes.map(evaluate);
  switch (name) {
    case 'ABS':
    case 'CEIL':
    case 'FLOOR':
    case 'LOG':
    case 'LOG10': {
      arity(name, argNodes, 1);
      const fn = { ABS: Math.abs, CEIL: Math.ceil, FLOOR: Math.floor, LOG: Math.log, LOG10: Math.log10 }[
        name
      ];
      return elementwise(name, evaluate(argNodes[0]!), fn);
    }
    case 'SUM':
    case 'AVG':
    case 'MIN':
    case 'MAX':
    case 'STDDEV':
      arity(name, argNodes, 1);
      return reduce(name, evaluate(argNodes[0]!));
    case 'DATAPOINT_COUNT': {
      arity(name, argNodes, 1);
      const v = evaluate(argNodes[0]!);
      if (v.type === 'series') return scalar(v.series.points.size);
      if (v.type !== 'array') throw typeError(name);
      const points = new Map<number, number>();
      for (const t of unionTimes(...v.items)) points.set(t, v.items.filter((s) => s.points.has(t)).length);
      return seriesValue({ points });
    }
    case 'METRIC_COUNT': {
      arity(name, argNodes, 1);
      const v = evaluate(argNodes[0]!);
      if (v.type !== 'array') throw typeError(name);
      return scalar(v.items.length);
    }
    case 'METRICS': {
      arity(name, argNodes, 0, 1);
      const filter = argNodes.length === 1 ? evaluate(argNodes[0]!) : undefined;
      if (filter && filter.type !== 'string') throw typeError(name);
      const all = ctx.metrics();
      return { type: 'array', items: filter ? all.filter((s) => (s.id ?? '').includes(filter.value)) : all };
    }
    case 'REMOVE_EMPTY': {
      arity(name, argNodes, 1);
      const v = evaluate(argNodes[0]!);
      if (v.type !== 'array') throw typeError(name);
      return { type: 'array', items: v.items.filter((s) => s.points.size > 0) };
    }
    case 'FIRST':
    case 'LAST': {
      arity(name, argNodes, 1);
      const v = evaluate(argNodes[0]!);
      if (v.type !== 'array' || v.items.length === 0) throw typeError(name);
      return seriesValue(name === 'FIRST' ? v.items[0]! : v.items[v.items.length - 1]!);
    }
    case 'FILL': {
      arity(name, argNodes, 2);
      const [target, filler] = args() as [MathValue, MathValue];
      return perSeries(name, target, (s) => fill(s, filler, ctx.grid));
    }
    case 'DIFF':
    case 'DIFF_TIME':
    case 'RATE':
    case 'RUNNING_SUM':
      arity(name, argNodes, 1);
      return perSeries(name, evaluate(argNodes[0]!), (s) => sequential(name, s));
    case 'IF':
      arity(name, argNodes, 2, 3);
      return ifFunction(args());
    case 'PERIOD': {
      arity(name, argNodes, 1);
      const v = evaluate(argNodes[0]!);
      if (v.type !== 'series' || v.series.period === undefined) throw typeError(name);
      return scalar(v.series.period);
    }
    case 'TIME_SERIES': {
      arity(name, argNodes, 1);
      const v = evaluate(argNodes[0]!);
      if (v.type !== 'scalar') throw typeError(name);
      return seriesValue({ points: new Map(ctx.grid.map((t) => [t, v.value])) });
    }
    default:
      if (UNAVAILABLE.has(name))
        throw new MetricMathEvaluationError(`The function ${name} is not available in the course sandbox`);
      throw new MetricMathSyntaxError(`Unknown function ${name}`);
  }
}
