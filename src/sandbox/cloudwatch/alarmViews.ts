/**
 * How an alarm is shown: the `MetricAlarm` shape DescribeAlarms returns, the JSON documents of its
 * history (`createdAlarm`, `oldState`/`newState`), and the `detail` of the "CloudWatch Alarm State
 * Change" event it sends to EventBridge — each in the shape of AWS's published examples.
 */
import { createHash } from 'node:crypto';
import type { AlarmRecord, AlarmState } from './alarmModel.js';
import { cloudWatchTimestamp } from './alarmReason.js';
import { dataQueryOutput, type DataQuerySpec } from './metricQueries.js';

/** `MetricAlarm` as DescribeAlarms returns it. */
export function describeAlarm(a: AlarmRecord): Record<string, unknown> {
  const c = a.config;
  const single = c.metrics === undefined;
  return {
    AlarmName: c.name,
    AlarmArn: a.arn,
    AlarmDescription: c.description,
    AlarmConfigurationUpdatedTimestamp: new Date(a.configUpdatedAt),
    ActionsEnabled: c.actionsEnabled,
    OKActions: [...c.okActions],
    AlarmActions: [...c.alarmActions],
    InsufficientDataActions: [...c.insufficientDataActions],
    StateValue: a.state.value,
    StateReason: a.state.reason,
    StateReasonData: a.state.reasonData,
    StateUpdatedTimestamp: new Date(a.state.updatedAt),
    MetricName: c.metricName,
    Namespace: c.namespace,
    Statistic: c.statistic,
    ExtendedStatistic: c.extendedStatistic,
    Dimensions: single ? c.dimensions.map((d) => ({ ...d })) : [],
    Period: single ? c.period : undefined,
    Unit: c.unit,
    EvaluationPeriods: c.evaluationPeriods,
    DatapointsToAlarm: c.datapointsToAlarm,
    Threshold: c.threshold,
    ComparisonOperator: c.comparisonOperator,
    TreatMissingData: c.treatMissingData,
    EvaluateLowSampleCountPercentile: c.evaluateLowSampleCountPercentile,
    Metrics: c.metrics?.map(dataQueryOutput),
    StateTransitionedTimestamp: new Date(a.state.updatedAt),
  };
}

/** The alarm as history records embed it (`createdAlarm`, `updatedAlarm`, `deletedAlarm`). */
export function historyAlarm(a: AlarmRecord): Record<string, unknown> {
  const c = a.config;
  return {
    alarmName: c.name,
    alarmDescription: c.description,
    alarmArn: a.arn,
    alarmConfigurationUpdatedTimestamp: cloudWatchTimestamp(a.configUpdatedAt),
    namespace: c.namespace,
    metricName: c.metricName,
    statistic: c.statistic,
    extendedStatistic: c.extendedStatistic,
    period: c.metrics ? undefined : c.period,
    dimensions: c.metrics ? undefined : c.dimensions.map((d) => ({ value: d.Value, name: d.Name })),
    unit: c.unit,
    metrics: c.metrics?.map(eventMetric),
    threshold: c.threshold,
    comparisonOperator: c.comparisonOperator,
    evaluationPeriods: c.evaluationPeriods,
    datapointsToAlarm: c.datapointsToAlarm,
    treatMissingData: c.treatMissingData ?? 'missing',
    stateValue: a.state.value,
    stateUpdatedTimestamp: cloudWatchTimestamp(a.state.updatedAt),
    actionsEnabled: c.actionsEnabled,
    alarmActions: c.alarmActions,
    insufficientDataActions: c.insufficientDataActions,
    // Sic: AWS spells this member in lower case in its history records.
    okactions: c.okActions,
  };
}

/** A ConfigurationUpdate history record's data. */
export function configurationHistoryData(kind: 'Create' | 'Update' | 'Delete', a: AlarmRecord): string {
  const key = { Create: 'createdAlarm', Update: 'updatedAlarm', Delete: 'deletedAlarm' }[kind];
  return JSON.stringify({ version: '1.0', type: kind, [key]: historyAlarm(a) });
}

function stateJson(s: AlarmState): string {
  // Reason data is already JSON text (with Java-style doubles); embed it as is.
  const reasonData = s.reasonData !== undefined ? `,"stateReasonData":${s.reasonData}` : '';
  return `{"stateValue":${JSON.stringify(s.value)},"stateReason":${JSON.stringify(s.reason)}${reasonData}}`;
}

/** A StateUpdate history record's data. */
export function stateHistoryData(oldState: AlarmState, newState: AlarmState): string {
  return `{"version":"1.0","oldState":${stateJson(oldState)},"newState":${stateJson(newState)}}`;
}

function eventMetric(q: DataQuerySpec): Record<string, unknown> {
  return {
    id: q.id,
    expression: q.expression,
    label: q.label,
    metricStat: q.metricStat
      ? {
          metric: {
            dimensions: Object.fromEntries(q.metricStat.dimensions.map((d) => [d.Name, d.Value])),
            name: q.metricStat.metricName,
            namespace: q.metricStat.namespace,
          },
          period: q.metricStat.period,
          stat: q.metricStat.stat,
          unit: q.metricStat.unit,
        }
      : undefined,
    returnData: q.returnData,
  };
}

/** AWS names a single-metric alarm's metric with a stable UUID-shaped id; derive one from the ARN. */
function metricId(arn: string): string {
  const h = createHash('sha256').update(arn).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function eventState(s: AlarmState): Record<string, unknown> {
  return {
    reason: s.reason,
    reasonData: s.reasonData,
    timestamp: cloudWatchTimestamp(s.updatedAt),
    value: s.value,
  };
}

/** The `detail` of a "CloudWatch Alarm State Change" event. */
export function stateChangeDetail(a: AlarmRecord, previous: AlarmState): Record<string, unknown> {
  const c = a.config;
  const metrics = c.metrics
    ? c.metrics.map(eventMetric)
    : [
        eventMetric({
          id: metricId(a.arn),
          returnData: true,
          metricStat: {
            namespace: c.namespace!,
            metricName: c.metricName!,
            dimensions: c.dimensions,
            period: c.period,
            stat: c.statistic ?? c.extendedStatistic!,
            unit: c.unit,
          },
        }),
      ];
  return {
    alarmName: c.name,
    configuration: { description: c.description, metrics },
    previousState: eventState(previous),
    state: eventState(a.state),
  };
}
