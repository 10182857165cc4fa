/**
 * CloudWatch metric data, per region: one series per (namespace, name, dimension set), each a
 * time-ordered list of points. A point is one value or a pre-aggregated statistic set. Bounded as
 * AWS bounds high-resolution data: points older than 15 days (sandbox clock) are dropped, and each
 * series and region is capped so a long-running sandbox cannot grow without limit.
 *
 * Under a fault profile's metric delay a point becomes visible to reads (GetMetricData,
 * GetMetricStatistics, ListMetrics, alarm evaluation — all of which go through `find` and `series`)
 * only once the delay has passed since it was published, as AWS's own metrics arrive minutes late.
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
  /**
   * Sandbox epoch ms from which reads see this point, when it was published under a metric delay
   * (absent: at once). Points are stored at once and only hidden, so late data lands in its own
   * period exactly as on AWS.
   */
  visibleAt?: number;
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
    /** Sandbox ms between publishing a point and reads seeing it; 0 means at once. */
    private readonly visibilityDelayMs = 0,
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
    if (this.visibilityDelayMs > 0)
      point = { ...point, visibleAt: this.clock.now() + this.visibilityDelayMs };
    const pts = series.points;
    let i = pts.length;
    while (i > 0 && pts[i - 1]!.t > point.t) i--;
    pts.splice(i, 0, point);
    if (pts.length > MAX_POINTS_PER_SERIES) pts.splice(0, pts.length - MAX_POINTS_PER_SERIES);
    this.doc.changed();
    return true;
  }

  /** Every series in the region with a point reads can see, holding only such points. */
  series(region: string): MetricSeries[] {
    const now = this.clock.now();
    return this.liveSeries(region).flatMap((s) => {
      const seen = visiblePart(s, now);
      return seen ? [seen] : [];
    });
  }

  /** Every live series in the region, with expired points dropped. */
  private liveSeries(region: string): MetricSeries[] {
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
   * One series as reads see it (points published under a delay that has not passed are left out),
   * with its expired points dropped. Only this series is pruned: alarms look series up
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
    return s.points.length > 0 ? visiblePart(s, this.clock.now()) : undefined;
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

/** `s` with only the points visible at `now` (itself when all are); undefined when none is. */
function visiblePart(s: MetricSeries, now: number): MetricSeries | undefined {
  if (!s.points.some((p) => p.visibleAt !== undefined && p.visibleAt > now)) return s;
  const points = s.points.filter((p) => p.visibleAt === undefined || p.visibleAt <= now);
  return points.length > 0 ? { ...s, points } : undefined;
}
