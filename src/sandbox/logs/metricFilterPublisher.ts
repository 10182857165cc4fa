/**
 * Metric filters at work: every batch of events stored in a log group is run through the group's
 * metric filters, and each match contributes the filter's metric value (a number or a field of the
 * event, with dimensions taken from the event) at the event's own (sandbox-clock) time. An event
 * that does not match contributes the default value, if the filter has one. As CloudWatch Logs
 * aggregates "every minute", a batch's values are published per filter, dimension set and minute,
 * as one statistic set.
 */
import type { LogEventInput, MetricRecorder } from '../contracts.js';
import {
  compileFilterPattern,
  type CompiledFilterPattern,
  type FilterMatch,
  type ParsedMessage,
} from './filterPattern.js';
import type { GroupMeta } from './logStore.js';
import type { MetricFilterRecord, MetricTransformation } from './metricFilterModel.js';

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** The metric value a transformation gives for a matched event; undefined when the field is missing or not a number. */
export function metricValueOf(t: MetricTransformation, match: FilterMatch): number | undefined {
  if (NUMBER.test(t.metricValue)) return Number(t.metricValue);
  const field = match.field(t.metricValue);
  if (typeof field === 'number') return field;
  if (typeof field === 'string' && NUMBER.test(field.trim())) return Number(field);
  return undefined;
}

/** Dimensions from the event's fields; undefined when one of them is missing. */
export function dimensionsOf(
  t: MetricTransformation,
  match: FilterMatch,
): Array<{ Name: string; Value: string }> | undefined {
  const out: Array<{ Name: string; Value: string }> = [];
  for (const [Name, selector] of Object.entries(t.dimensions ?? {})) {
    const v = match.field(selector);
    if (v === undefined || String(v) === '') return undefined;
    out.push({ Name, Value: String(v) });
  }
  return out;
}

export class MetricFilterPublisher {
  private readonly compiled = new Map<string, CompiledFilterPattern>();

  constructor(
    private readonly metrics: MetricRecorder | undefined,
    private readonly log: (line: string) => void,
  ) {}

  private pattern(text: string): CompiledFilterPattern {
    let p = this.compiled.get(text);
    if (!p) {
      p = compileFilterPattern(text);
      if (this.compiled.size > 1000) this.compiled.clear();
      this.compiled.set(text, p);
    }
    return p;
  }

  /** Run a batch of stored events through the group's metric filters. */
  apply(region: string, group: GroupMeta, events: readonly LogEventInput[]): void {
    if (!this.metrics || !group.metricFilters?.length) return;
    // Each message is parsed as JSON at most once, whatever the number of JSON filters.
    const parsed = events.map((): ParsedMessage => ({}));
    for (const filter of group.metricFilters) {
      try {
        this.applyFilter(region, filter, events, parsed);
      } catch (err) {
        this.log(`logs: metric filter ${filter.filterName} failed: ${(err as Error).message}`);
      }
    }
  }

  private applyFilter(
    region: string,
    filter: MetricFilterRecord,
    events: readonly LogEventInput[],
    parsed: ParsedMessage[],
  ): void {
    const pattern = this.pattern(filter.filterPattern);
    const t = filter.metricTransformations[0]!;
    const minutes = new Map<
      string,
      { at: number; dimensions: Array<{ Name: string; Value: string }>; samples: number[] }
    >();
    for (const [i, e] of events.entries()) {
      const match = pattern.match(e.message, parsed[i]);
      let value: number | undefined;
      let dimensions: Array<{ Name: string; Value: string }> | undefined = [];
      if (match) {
        value = metricValueOf(t, match);
        dimensions = dimensionsOf(t, match);
      } else {
        value = t.defaultValue;
      }
      if (value === undefined || dimensions === undefined) continue;
      const at = Math.floor(e.timestamp / 60_000) * 60_000;
      const key = `${at}\u0000${JSON.stringify(dimensions)}`;
      const bucket = minutes.get(key);
      if (bucket) bucket.samples.push(value);
      else minutes.set(key, { at, dimensions, samples: [value] });
    }
    for (const { at, dimensions, samples } of minutes.values()) {
      this.metrics!.record({
        region,
        namespace: t.metricNamespace,
        metricName: t.metricName,
        dimensions,
        value: samples.reduce((a, b) => a + b, 0),
        samples,
        unit: t.unit ?? 'None',
        timestamp: at,
      });
    }
  }
}
