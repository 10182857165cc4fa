/**
 * CloudWatch metric data, per region: one series per (namespace, name, dimension set), each a
 * time-ordered list of points. A point is one value or a pre-aggregated statistic set. Bounded as
 * AWS bounds high-resolution data: points older than 15 days (sandbox clock) are dropped, and each
 * series and region is capped so a long-running sandbox cannot grow without limit.
 */
import { dictionary, dictionaryOfDictionaries } from '../dictionary.js';
import type { MetricDatum, MetricRecorder } from '../contracts.js';
import type { SandboxClock } from '../clock.js';
import type { PersistedDoc, StateStore } from '../store.js';

export interface Dimension {
  Name: string;
  Value: string;
}

export interface MetricPoint {
  /** Epoch ms. */
  t: number;
  sum: number;
  count: number;
  min: number;
  max: number;
  unit: string;
  /** Raw values when known (single values, or `Values`/`Counts` data), for percentiles. */
  values?: number[];
}

export interface MetricSeries {
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  points: MetricPoint[];
}

interface MetricsState {
  regions: Record<string, Record<string, MetricSeries>>;
}

const RETENTION_MS = 15 * 86_400_000;
const MAX_POINTS_PER_SERIES = 20_000;
const MAX_SERIES_PER_REGION = 10_000;

export function sortDimensions(dims: Dimension[]): Dimension[] {
  return [...dims].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}

export function seriesKey(namespace: string, metricName: string, dims: Dimension[]): string {
  return JSON.stringify([namespace, metricName, sortDimensions(dims).map((d) => [d.Name, d.Value])]);
}

export class MetricStore implements MetricRecorder {
  private readonly doc: PersistedDoc<MetricsState>;

  constructor(
    store: StateStore,
    private readonly clock: SandboxClock,
  ) {
    // Every datapoint changes this document: write it once a second, not once per request.
    this.doc = store.doc<MetricsState>('cloudwatch/metrics.json', () => ({ regions: dictionary() }), {
      writeBehindMs: 1_000,
    });
    // Regions, namespaces and dimension values are the client's: series keys live in dictionaries.
    this.doc.data.regions = dictionaryOfDictionaries(this.doc.data.regions);
  }

  private region(region: string): Record<string, MetricSeries> {
    return (this.doc.data.regions[region] ??= dictionary());
  }

  /** Add one point to its series (created on first use). Returns false when the region is full. */
  add(region: string, namespace: string, metricName: string, dims: Dimension[], point: MetricPoint): boolean {
    const all = this.region(region);
    const key = seriesKey(namespace, metricName, dims);
    let series = all[key];
    if (!series) {
      if (Object.keys(all).length >= MAX_SERIES_PER_REGION) return false;
      series = { namespace, metricName, dimensions: sortDimensions(dims), points: [] };
      all[key] = series;
    }
    const pts = series.points;
    let i = pts.length;
    while (i > 0 && pts[i - 1]!.t > point.t) i--;
    pts.splice(i, 0, point);
    if (pts.length > MAX_POINTS_PER_SERIES) pts.splice(0, pts.length - MAX_POINTS_PER_SERIES);
    this.doc.changed();
    return true;
  }

  /** Every live series in the region, with expired points dropped. */
  series(region: string): MetricSeries[] {
    const cutoff = this.clock.now() - RETENTION_MS;
    const all = this.region(region);
    let changed = false;
    for (const [key, s] of Object.entries(all)) {
      if (s.points.length > 0 && s.points[0]!.t < cutoff) {
        s.points = s.points.filter((p) => p.t >= cutoff);
        changed = true;
      }
      if (s.points.length === 0) {
        delete all[key];
        changed = true;
      }
    }
    if (changed) this.doc.changed();
    return Object.values(all);
  }

  /**
   * One series, with its expired points dropped. Only this series is pruned: alarms look series up
   * one by one every evaluation, and pruning the whole region each time made that quadratic.
   */
  find(region: string, namespace: string, metricName: string, dims: Dimension[]): MetricSeries | undefined {
    const all = this.region(region);
    const key = seriesKey(namespace, metricName, dims);
    const s = Object.hasOwn(all, key) ? all[key] : undefined;
    if (!s) return undefined;
    const cutoff = this.clock.now() - RETENTION_MS;
    if (s.points.length > 0 && s.points[0]!.t < cutoff) {
      s.points = s.points.filter((p) => p.t >= cutoff);
      if (s.points.length === 0) delete all[key];
      this.doc.changed();
    }
    return s.points.length > 0 ? s : undefined;
  }

  record(datum: MetricDatum): void {
    const values = datum.samples ?? [datum.value];
    if (values.length === 0 || !values.every(Number.isFinite)) return;
    this.add(datum.region, datum.namespace, datum.metricName, datum.dimensions, {
      t: datum.timestamp ?? this.clock.now(),
      sum: values.reduce((a, b) => a + b, 0),
      count: values.length,
      min: values.reduce((a, b) => (b < a ? b : a), Infinity),
      max: values.reduce((a, b) => (b > a ? b : a), -Infinity),
      unit: datum.unit,
      values,
    });
  }
}
