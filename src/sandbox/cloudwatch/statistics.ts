/** Aggregating metric points into periods and computing CloudWatch statistics over them. */
import type { MetricPoint } from './metricStore.js';

export const BASIC_STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
export type BasicStatistic = (typeof BASIC_STATISTICS)[number];

const PERCENTILE = /^p(\d{1,2}(\.\d{1,2})?|100)$/;

export function isStatistic(name: string): boolean {
  return (BASIC_STATISTICS as readonly string[]).includes(name) || PERCENTILE.test(name);
}

export function isPercentile(name: string): boolean {
  return PERCENTILE.test(name);
}

export interface PeriodBucket {
  /** Start of the period, epoch ms. */
  start: number;
  points: MetricPoint[];
}

/** Group points in [startMs, endMs) into periods aligned to the epoch, skipping empty periods. */
export function bucketize(
  points: MetricPoint[],
  startMs: number,
  endMs: number,
  periodSec: number,
  unit?: string,
): PeriodBucket[] {
  const periodMs = periodSec * 1000;
  const buckets = new Map<number, MetricPoint[]>();
  for (const p of points) {
    if (p.t < startMs || p.t >= endMs) continue;
    if (unit !== undefined && p.unit !== unit) continue;
    const start = Math.floor(p.t / periodMs) * periodMs;
    const list = buckets.get(start);
    if (list) list.push(p);
    else buckets.set(start, [p]);
  }
  return [...buckets.entries()].sort(([a], [b]) => a - b).map(([start, pts]) => ({ start, points: pts }));
}

function percentile(points: MetricPoint[], p: number): number {
  // Raw values where known; a pre-aggregated statistic set contributes its average.
  const values = points.flatMap((pt) => pt.values ?? [pt.sum / pt.count]).sort((a, b) => a - b);
  if (values.length === 0) return NaN;
  const rank = Math.min(values.length - 1, Math.max(0, Math.ceil((p / 100) * values.length) - 1));
  return values[rank]!;
}

export function statistic(points: MetricPoint[], stat: string): number {
  const count = points.reduce((n, p) => n + p.count, 0);
  const sum = points.reduce((n, p) => n + p.sum, 0);
  switch (stat) {
    case 'SampleCount':
      return count;
    case 'Sum':
      return sum;
    case 'Average':
      return count === 0 ? 0 : sum / count;
    case 'Minimum':
      return Math.min(...points.map((p) => p.min));
    case 'Maximum':
      return Math.max(...points.map((p) => p.max));
    default:
      return percentile(points, Number(stat.slice(1)));
  }
}
