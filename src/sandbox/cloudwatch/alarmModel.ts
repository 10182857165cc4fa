/**
 * A CloudWatch metric alarm as the sandbox keeps it: its configuration (a single metric with a
 * statistic, or a `Metrics` list with one metric math expression returning data), its current state
 * with AWS's reason and reason data, and its tags.
 */
import type { DataQuerySpec } from './metricQueries.js';
import type { Dimension } from './metricStore.js';

export const ALARM_STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
export type AlarmStateValue = (typeof ALARM_STATES)[number];

export const TREAT_MISSING_DATA = ['breaching', 'notBreaching', 'ignore', 'missing'] as const;
export type TreatMissingData = (typeof TREAT_MISSING_DATA)[number];

export const STATIC_COMPARISONS = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
] as const;
export type ComparisonOperator = (typeof STATIC_COMPARISONS)[number];

export interface AlarmConfig {
  name: string;
  description?: string;
  actionsEnabled: boolean;
  okActions: string[];
  alarmActions: string[];
  insufficientDataActions: string[];
  /** Single-metric alarms: the metric and statistic. */
  namespace?: string;
  metricName?: string;
  dimensions: Dimension[];
  statistic?: string;
  extendedStatistic?: string;
  /** Seconds; for metric math alarms, the period of the query that returns data. */
  period: number;
  unit?: string;
  /** Metric math alarms: the queries, exactly one with `returnData`. */
  metrics?: DataQuerySpec[];
  evaluationPeriods: number;
  /** Set only when the caller gave it (the state reason wording depends on it, as on AWS). */
  datapointsToAlarm?: number;
  threshold: number;
  comparisonOperator: ComparisonOperator;
  treatMissingData?: TreatMissingData;
  evaluateLowSampleCountPercentile?: string;
}

export interface AlarmState {
  value: AlarmStateValue;
  reason: string;
  /** JSON text, as AWS returns `StateReasonData`. */
  reasonData?: string;
  /** Epoch ms. */
  updatedAt: number;
}

export interface AlarmRecord {
  region: string;
  arn: string;
  config: AlarmConfig;
  /** Epoch ms of the last PutMetricAlarm. */
  configUpdatedAt: number;
  state: AlarmState;
  tags: Array<{ Key: string; Value: string }>;
}

export type HistoryItemType = 'ConfigurationUpdate' | 'StateUpdate' | 'Action';

export interface AlarmHistoryItem {
  region: string;
  alarmName: string;
  type: HistoryItemType;
  /** Epoch ms. */
  timestamp: number;
  summary: string;
  /** JSON text. */
  data: string;
}

export function alarmArn(region: string, accountId: string, name: string): string {
  return `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`;
}

/** The effective M of "M out of N": DatapointsToAlarm, or every evaluation period. */
export function datapointsToAlarm(
  config: Pick<AlarmConfig, 'datapointsToAlarm' | 'evaluationPeriods'>,
): number {
  return config.datapointsToAlarm ?? config.evaluationPeriods;
}

/** The statistic an alarm's reason data names (absent for metric math alarms). */
export function alarmStatistic(config: AlarmConfig): string | undefined {
  return config.statistic ?? config.extendedStatistic;
}
