/** The values metric math works on, shared by the evaluator and its functions. */

/** One time series: value per period start (epoch ms). */
export interface TimeSeries {
  points: Map<number, number>;
  /** The metric query id it came from (METRICS("x") filters on it). */
  id?: string;
  /** Period in seconds, for metric series (PERIOD(m1)). */
  period?: number;
}

export type MathValue =
  | { type: 'scalar'; value: number }
  | { type: 'series'; series: TimeSeries }
  | { type: 'array'; items: TimeSeries[] }
  | { type: 'string'; value: string }
  | { type: 'word'; value: string };

/** What an expression can see while it is evaluated. */
export interface MathContext {
  /** The value of another query by id (a metric's series, or another expression's result). */
  resolve(id: string): MathValue;
  /** Every metric (not expression) query's series, in request order. */
  metrics(): TimeSeries[];
  /** The period starts the request covers, ascending (FILL and TIME_SERIES need them). */
  grid: number[];
}

/** An expression that parses but cannot be evaluated (wrong argument types, unknown id). */
export class MetricMathEvaluationError extends Error {
  override readonly name = 'MetricMathEvaluationError';
}

export const scalar = (value: number): MathValue => ({ type: 'scalar', value });
export const seriesValue = (series: TimeSeries): MathValue => ({ type: 'series', series });

export function mapSeries(s: TimeSeries, fn: (v: number, t: number) => number | undefined): TimeSeries {
  const points = new Map<number, number>();
  for (const [t, v] of s.points) {
    const out = fn(v, t);
    if (out !== undefined && Number.isFinite(out)) points.set(t, out);
  }
  return { points, id: s.id, period: s.period };
}

/** Timestamps present in either series, ascending. */
export function unionTimes(...all: TimeSeries[]): number[] {
  const times = new Set<number>();
  for (const s of all) for (const t of s.points.keys()) times.add(t);
  return [...times].sort((a, b) => a - b);
}
