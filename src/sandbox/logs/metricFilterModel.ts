/** A metric filter on a log group, as PutMetricFilter defines it and DescribeMetricFilters shows it. */

export interface MetricTransformation {
  metricName: string;
  metricNamespace: string;
  /** A number, or a field of the event: `$.field` (JSON) or `$name` (space-delimited). */
  metricValue: string;
  /** Published for each event that does not match, when set. */
  defaultValue?: number;
  /** Dimension name → field of the event (`$.field` or `$name`). */
  dimensions?: Record<string, string>;
  unit?: string;
}

export interface MetricFilterRecord {
  filterName: string;
  filterPattern: string;
  /** Exactly one, as the API allows. */
  metricTransformations: MetricTransformation[];
  /** Epoch ms. */
  creationTime: number;
  applyOnTransformedLogs: boolean;
}

/** AWS's quota of metric filters per log group. */
export const MAX_METRIC_FILTERS_PER_GROUP = 100;
/** Filter patterns with a regex per log group (metric and subscription filters together). */
export const MAX_REGEX_FILTERS_PER_GROUP = 5;
