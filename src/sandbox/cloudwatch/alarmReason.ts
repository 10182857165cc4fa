/**
 * The words and data CloudWatch gives an alarm's state: `StateReason` ("Threshold Crossed: 1
 * datapoint [2.0 (30/11/26 10:00:00)] was greater than or equal to the threshold (1.0).") and the
 * JSON `StateReasonData`. Numbers are written as Java writes doubles (`2.0`, `1.0E7`) and dates as
 * `dd/MM/yy HH:mm:ss` in UTC, as in AWS's published examples.
 *
 * Wording taken from AWS's examples: the single-datapoint form, the "N datapoints were … The most
 * recent datapoints which crossed the threshold: […]" form, the "out of the last N datapoints …
 * (minimum M datapoints for OK -> ALARM transition)" form of alarms created with DatapointsToAlarm,
 * "no datapoints were received for N periods and N missing datapoints were treated as [Breaching]",
 * and "Insufficient Data: 1 datapoint was unknown.". Assumed (not seen in AWS's examples): the
 * plural forms of the OK wording, and listing at most five datapoints in every form.
 */
import type { AlarmConfig, AlarmStateValue, ComparisonOperator } from './alarmModel.js';
import { alarmStatistic, datapointsToAlarm } from './alarmModel.js';
import type { EvaluationDatapoint, EvaluationOutcome } from './alarmEvaluation.js';

const LISTED = 5;

const COMPARISON_WORDS: Record<ComparisonOperator, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

/** A double as Java's `Double.toString` writes it: `2.0`, `0.5`, `1.0E7`, `1.5E-4`. */
export function javaDouble(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(v);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(v);
    return s.includes('.') || s.includes('e') ? s : `${s}.0`;
  }
  const [mantissa, exponent] = v.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `30/11/26 10:00:00` (UTC). */
export function reasonDate(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCFullYear() % 100)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** `2019-10-02T17:04:40.985+0000`, the timestamp form of CloudWatch's JSON documents. */
export function cloudWatchTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

const plural = (n: number, one: string, many: string): string => (n === 1 ? one : many);

function listed(points: EvaluationDatapoint[]): string {
  return points
    .slice(0, LISTED)
    .map((p) => `${javaDouble(p.value)} (${reasonDate(p.timestamp)})`)
    .join(', ');
}

type StateOutcome = Extract<EvaluationOutcome, { kind: 'state' }>;

export function stateReason(outcome: StateOutcome, config: AlarmConfig, previous: AlarmStateValue): string {
  const n = config.evaluationPeriods;
  if (outcome.value === 'INSUFFICIENT_DATA') {
    const unknown = Math.max(1, outcome.filled);
    return `Insufficient Data: ${unknown} ${plural(unknown, 'datapoint was', 'datapoints were')} unknown.`;
  }
  const alarm = outcome.value === 'ALARM';
  const crossed = `${alarm ? '' : 'not '}${COMPARISON_WORDS[config.comparisonOperator]} the threshold (${javaDouble(config.threshold)})`;
  const relevant = outcome.relevant;
  if (relevant.length === 0) {
    const f = outcome.filled;
    return (
      `Threshold Crossed: no datapoints were received for ${f} ${plural(f, 'period', 'periods')} and ` +
      `${f} missing ${plural(f, 'datapoint was', 'datapoints were')} treated as [${outcome.filledAs ?? (alarm ? 'Breaching' : 'NonBreaching')}].`
    );
  }
  if (config.datapointsToAlarm === undefined) {
    if (relevant.length === 1) return `Threshold Crossed: 1 datapoint [${listed(relevant)}] was ${crossed}.`;
    return (
      `Threshold Crossed: ${relevant.length} datapoints were ${crossed}. ` +
      `The most recent datapoints which crossed the threshold: [${listed(relevant)}].`
    );
  }
  const m = datapointsToAlarm(config);
  const filledHere = outcome.filledAs === (alarm ? 'Breaching' : 'NonBreaching') ? outcome.filled : 0;
  const count = relevant.length + filledHere;
  const minimum = alarm ? m : n - m + 1;
  return (
    `Threshold Crossed: ${count} out of the last ${n} datapoints [${listed(relevant)}] ${plural(count, 'was', 'were')} ${crossed} ` +
    `(minimum ${minimum} ${plural(minimum, 'datapoint', 'datapoints')} for ${previous} -> ${outcome.value} transition).`
  );
}

/** A number written the way Java serialises a double into JSON. */
class Double {
  constructor(readonly value: number) {}
}

function writeJson(value: unknown): string {
  if (value instanceof Double) return javaDouble(value.value);
  if (Array.isArray(value)) return `[${value.map(writeJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const members = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${members.map(([k, v]) => `${JSON.stringify(k)}:${writeJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface ReasonDataFacts {
  /** When the evaluation ran, epoch ms. */
  queryDate: number;
  config: AlarmConfig;
  /** Whether datapoints carry a sample count (single-metric alarms). */
  withSampleCounts: boolean;
}

/** `StateReasonData` as CloudWatch writes it for an evaluated state. */
export function stateReasonData(outcome: StateOutcome, facts: ReasonDataFacts): string {
  const { config } = facts;
  const decided = outcome.value !== 'INSUFFICIENT_DATA' && outcome.relevant.length > 0;
  const evaluated = decided ? outcome.evaluated : [];
  return writeJson({
    version: '1.0',
    queryDate: cloudWatchTimestamp(facts.queryDate),
    startDate: evaluated.length > 0 ? cloudWatchTimestamp(evaluated[0]!.timestamp) : undefined,
    unit: config.unit,
    statistic: config.statistic,
    extendedStatistic: config.statistic ? undefined : alarmStatistic(config),
    period: config.period,
    recentDatapoints: evaluated.map((p) => new Double(p.value)),
    threshold: new Double(config.threshold),
    evaluatedDatapoints: decided
      ? outcome.relevant.map((p) => ({
          timestamp: cloudWatchTimestamp(p.timestamp),
          sampleCount:
            facts.withSampleCounts && p.sampleCount !== undefined ? new Double(p.sampleCount) : undefined,
          value: new Double(p.value),
        }))
      : undefined,
  });
}

/** Parse reason data back into an object for history records (which embed it as JSON, not text). */
export function reasonDataObject(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
