/**
 * PutMetricAlarm's members, validated as CloudWatch validates them: a single metric with a statistic
 * or a `Metrics` list whose one returned query is the alarm's time series; period, evaluation periods
 * and datapoints to alarm; a static threshold and comparison; how to treat missing data; actions and
 * tags. Wording marked "assumed" is not documented by AWS and follows the style of its other messages.
 */
import { AwsError } from '../errors.js';
import {
  STATIC_COMPARISONS,
  TREAT_MISSING_DATA,
  type AlarmConfig,
  type ComparisonOperator,
  type TreatMissingData,
} from './alarmModel.js';
import { readDataQueries, type DataQuerySpec } from './metricQueries.js';
import { sortDimensions, type Dimension } from './metricStore.js';
import {
  combination,
  dimensions,
  invalidValue,
  list,
  missing,
  namespaceOf,
  num,
  str,
  type Input,
} from './params.js';
import { BASIC_STATISTICS, isPercentile } from './statistics.js';

export const STANDARD_UNITS = [
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes',
  'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second',
  'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second',
  'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
] as const; // prettier-ignore

const ANOMALY_COMPARISONS = [
  'LessThanLowerOrGreaterThanUpperThreshold',
  'LessThanLowerThreshold',
  'GreaterThanUpperThreshold',
];
const MAX_ACTIONS = 5;
const MAX_ALARM_METRICS = 10;

/** Validation errors CloudWatch raises as `ValidationError` (awsQuery) / `ValidationException` (JSON). */
export const validationError = (message: string): AwsError =>
  new AwsError('ValidationException', message, 400);

export function readAlarmName(input: Input, member = 'AlarmName'): string {
  const name = str(input, member, member, true)!;
  if (name.length < 1 || name.length > 255) {
    throw validationError(
      `1 validation error detected: Value '${name}' at '${member.charAt(0).toLowerCase()}${member.slice(1)}' failed to satisfy constraint: Member must have length less than or equal to 255`,
    );
  }
  // "Alarm names must contain only ASCII characters" (user guide); control characters assumed refused too.
  if (!/^[\x20-\x7e]+$/.test(name))
    throw invalidValue(`The parameter ${member} must contain only ASCII characters.`);
  return name;
}

export function readAlarmNames(input: Input, member: string, required: boolean): string[] | undefined {
  const names = list(input, member);
  if (names === undefined) {
    if (required) throw missing(member);
    return undefined;
  }
  if (names.length > 100)
    throw invalidValue(`The collection ${member} must not have a size greater than 100.`);
  return names.map((item, i) => {
    const where = `${member}.member.${i + 1}`;
    return readAlarmName({ [where]: item }, where);
  });
}

function actions(input: Input, member: string): string[] {
  const items = list(input, member) ?? [];
  if (items.length > MAX_ACTIONS)
    throw invalidValue(`The collection ${member} must not have a size greater than ${MAX_ACTIONS}.`);
  return items.map((a, i) => {
    if (typeof a !== 'string' || a.length < 1 || a.length > 1024 || !/^arn:aws[\w-]*:[a-z0-9-]+:/.test(a)) {
      // Assumed wording; AWS refuses action values that are not ARNs.
      throw validationError(`Invalid arn syntax: ${String(a)} (${member}.member.${i + 1})`);
    }
    return a;
  });
}

export function readTagList(input: Input, member: string): Array<{ Key: string; Value: string }> {
  const raw = list(input, member) ?? [];
  if (raw.length > 50) throw invalidValue(`The collection ${member} must not have a size greater than 50.`);
  const seen = new Set<string>();
  return raw.map((t, i) => {
    const where = `${member}.member.${i + 1}`;
    const tag = (t && typeof t === 'object' ? t : {}) as Input;
    const Key = str(tag, 'Key', `${where}.Key`, true)!;
    const Value = str(tag, 'Value', `${where}.Value`, true)!;
    if (Key.length < 1 || Key.length > 128 || Key.toLowerCase().startsWith('aws:'))
      throw invalidValue(`The value ${Key} for parameter ${where}.Key is invalid.`);
    if (Value.length > 256) throw invalidValue(`The value for parameter ${where}.Value is too long.`);
    if (seen.has(Key)) throw invalidValue(`The tag key ${Key} appears more than once.`);
    seen.add(Key);
    return { Key, Value };
  });
}

function checkAlarmPeriod(period: number, member: string): void {
  if (
    !Number.isInteger(period) ||
    period < 1 ||
    (period < 60 ? ![10, 20, 30].includes(period) : period % 60 !== 0)
  ) {
    throw validationError(`Period must be 10, 20, 30 or a multiple of 60 (${member}).`);
  }
}

function checkWindow(period: number, evaluationPeriods: number): void {
  const total = period * evaluationPeriods;
  if (period < 3600 && total > 86_400) {
    throw validationError(
      'Metrics cannot be checked across more than a day (EvaluationPeriods * Period must be <= 86400)',
    );
  }
  if (total > 7 * 86_400) {
    throw validationError(
      'Metrics cannot be checked across more than 7 days (EvaluationPeriods * Period must be <= 604800)',
    );
  }
}

/** The single-metric members, absent when the alarm uses `Metrics`. */
function singleMetric(
  input: Input,
): Pick<
  AlarmConfig,
  'namespace' | 'metricName' | 'dimensions' | 'statistic' | 'extendedStatistic' | 'period' | 'unit'
> {
  const namespace = namespaceOf(input, false);
  const metricName = str(input, 'MetricName');
  if (namespace === undefined) throw missing('Namespace');
  if (metricName === undefined) throw missing('MetricName');
  if (metricName.length < 1 || metricName.length > 255)
    throw invalidValue('The parameter MetricName must be 1 to 255 characters.');
  const statistic = str(input, 'Statistic');
  const extendedStatistic = str(input, 'ExtendedStatistic');
  if ((statistic === undefined) === (extendedStatistic === undefined))
    throw combination('Exactly one of Statistic and ExtendedStatistic must be specified.');
  if (statistic !== undefined && !(BASIC_STATISTICS as readonly string[]).includes(statistic))
    throw invalidValue(`The parameter Statistic must be one of: ${BASIC_STATISTICS.join(', ')}.`);
  if (extendedStatistic !== undefined && !isPercentile(extendedStatistic))
    throw invalidValue(
      `The value ${extendedStatistic} for parameter ExtendedStatistic is not a valid percentile.`,
    );
  const period = num(input, 'Period');
  if (period === undefined) throw missing('Period');
  checkAlarmPeriod(period, 'Period');
  return {
    namespace,
    metricName,
    dimensions: sortDimensions(dimensions(list(input, 'Dimensions'), 'Dimensions', true) as Dimension[]),
    statistic,
    extendedStatistic,
    period,
    unit: readUnit(input),
  };
}

function readUnit(input: Input): string | undefined {
  const unit = str(input, 'Unit');
  if (unit !== undefined && !(STANDARD_UNITS as readonly string[]).includes(unit))
    throw invalidValue(`The parameter Unit must be one of: ${STANDARD_UNITS.join(', ')}.`);
  return unit;
}

/** A metric math alarm's queries and the period its one returned time series has. */
function metricList(raw: unknown[]): { metrics: DataQuerySpec[]; period: number } {
  if (raw.length < 1) throw missing('Metrics');
  if (raw.length > MAX_ALARM_METRICS + 10)
    throw invalidValue('The collection Metrics must not have a size greater than 20.');
  const metrics = readDataQueries(raw, 'Metrics');
  if (metrics.filter((q) => q.metricStat).length > MAX_ALARM_METRICS)
    throw validationError(`An alarm can use at most ${MAX_ALARM_METRICS} metrics.`);
  const returned = metrics.filter((q) => q.returnData);
  // Assumed wording: AWS refuses a Metrics list that does not return exactly one time series.
  if (returned.length !== 1)
    throw validationError('Exactly one element of the metrics list should return data.');
  const periods = new Set(metrics.flatMap((q) => (q.metricStat ? [q.metricStat.period] : [])));
  if (periods.size > 1) throw validationError('All metrics in an alarm must use the same period.');
  const only = returned[0]!;
  const period = only.metricStat?.period ?? only.period ?? [...periods][0];
  if (period === undefined) throw validationError('The period of the metric math expression is not known.');
  for (const q of metrics) if (q.metricStat) checkAlarmPeriod(q.metricStat.period, `Metrics ${q.id}`);
  return { metrics, period };
}

export function readAlarmConfig(input: Input): AlarmConfig {
  const name = readAlarmName(input);
  const description = str(input, 'AlarmDescription');
  if (description !== undefined && description.length > 1024)
    throw invalidValue('The parameter AlarmDescription must be at most 1024 characters.');
  const actionsEnabled = input.ActionsEnabled;
  if (actionsEnabled !== undefined && typeof actionsEnabled !== 'boolean')
    throw invalidValue('The parameter ActionsEnabled must be a boolean.');

  const metricsRaw = list(input, 'Metrics');
  const singleMembers = [
    'MetricName',
    'Namespace',
    'Statistic',
    'ExtendedStatistic',
    'Dimensions',
    'Period',
    'Unit',
  ];
  let metricPart: Pick<
    AlarmConfig,
    | 'namespace'
    | 'metricName'
    | 'dimensions'
    | 'statistic'
    | 'extendedStatistic'
    | 'period'
    | 'unit'
    | 'metrics'
  >;
  if (metricsRaw !== undefined && metricsRaw.length > 0) {
    const clash = singleMembers.filter(
      (m) => input[m] !== undefined && !(Array.isArray(input[m]) && (input[m] as unknown[]).length === 0),
    );
    if (clash.length > 0)
      throw combination(`The parameters Metrics and ${clash.join(', ')} must not be specified together.`);
    const { metrics, period } = metricList(metricsRaw);
    metricPart = { dimensions: [], metrics, period };
  } else {
    metricPart = singleMetric(input);
  }

  const evaluationPeriods = num(input, 'EvaluationPeriods');
  if (evaluationPeriods === undefined) throw missing('EvaluationPeriods');
  if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1)
    throw invalidValue('The parameter EvaluationPeriods must be greater than or equal to 1.');
  checkWindow(metricPart.period, evaluationPeriods);
  const points = num(input, 'DatapointsToAlarm');
  if (points !== undefined) {
    if (!Number.isInteger(points) || points < 1)
      throw invalidValue('The parameter DatapointsToAlarm must be greater than or equal to 1.');
    if (points > evaluationPeriods)
      throw validationError('DatapointsToAlarm must be less than or equal to EvaluationPeriods.');
  }

  const comparison = str(input, 'ComparisonOperator');
  if (comparison === undefined) throw missing('ComparisonOperator');
  if (ANOMALY_COMPARISONS.includes(comparison) || input.ThresholdMetricId !== undefined)
    throw validationError(
      'The course sandbox does not evaluate anomaly detection alarms (ThresholdMetricId).',
    );
  if (!(STATIC_COMPARISONS as readonly string[]).includes(comparison)) {
    throw validationError(
      `1 validation error detected: Value '${comparison}' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [${[...STATIC_COMPARISONS, ...ANOMALY_COMPARISONS].join(', ')}]`,
    );
  }
  const threshold = num(input, 'Threshold');
  if (threshold === undefined) throw missing('Threshold');

  const treat = str(input, 'TreatMissingData');
  if (treat !== undefined && !(TREAT_MISSING_DATA as readonly string[]).includes(treat)) {
    throw validationError(
      `Option ${treat} is not supported. Supported options for parameter TreatMissingData are missing, ignore, breaching and notBreaching.`,
    );
  }
  const lowSample = str(input, 'EvaluateLowSampleCountPercentile');
  if (lowSample !== undefined && !['evaluate', 'ignore'].includes(lowSample))
    throw validationError(
      `Option ${lowSample} is not supported. Supported options for parameter EvaluateLowSampleCountPercentile are evaluate and ignore.`,
    );

  return {
    name,
    description,
    actionsEnabled: actionsEnabled !== false,
    okActions: actions(input, 'OKActions'),
    alarmActions: actions(input, 'AlarmActions'),
    insufficientDataActions: actions(input, 'InsufficientDataActions'),
    ...metricPart,
    evaluationPeriods,
    datapointsToAlarm: points,
    threshold,
    comparisonOperator: comparison as ComparisonOperator,
    treatMissingData: treat as TreatMissingData | undefined,
    evaluateLowSampleCountPercentile: lowSample,
  };
}
