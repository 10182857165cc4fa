/**
 * How CloudWatch decides an alarm's state from its datapoints ("M out of N" with a treatment for
 * missing data), as its user guide describes it under "How alarm state is evaluated when data is
 * missing":
 *
 * - CloudWatch looks at an evaluation range a little longer than the N evaluation periods.
 * - With at least N datapoints in the range, the N most recent are evaluated and missing data does
 *   not matter: M or more breaching → ALARM, otherwise OK.
 * - With fewer, the missing ones are filled in as few times as possible: `breaching` and
 *   `notBreaching` fill them as such; with `missing` and `ignore` the real datapoints decide when
 *   they can (M breaching → ALARM; any not breaching → OK). Otherwise `ignore` keeps the state and
 *   `missing` gives INSUFFICIENT_DATA — except, per the guide's sixth example, that ALARM is kept
 *   when the oldest evaluated datapoint is a real, breaching one. With no datapoints at all,
 *   `missing` gives INSUFFICIENT_DATA and `ignore` keeps the state.
 *
 * The range is N + 2 periods (the guide's examples retrieve 5 datapoints for 3 evaluation periods;
 * AWS's exact number varies with the period, which the sandbox does not model).
 */
import {
  datapointsToAlarm,
  type AlarmConfig,
  type AlarmStateValue,
  type ComparisonOperator,
} from './alarmModel.js';

export const EXTRA_RANGE_PERIODS = 2;

export interface EvaluationDatapoint {
  /** Start of the period, epoch ms. */
  timestamp: number;
  value: number;
  /** Samples in the period (single-metric alarms only). */
  sampleCount?: number;
}

export type EvaluatedConfig = Pick<
  AlarmConfig,
  'evaluationPeriods' | 'datapointsToAlarm' | 'threshold' | 'comparisonOperator' | 'treatMissingData'
>;

export interface EvaluationInput {
  config: EvaluatedConfig;
  /** Period starts of the evaluation range, oldest first. */
  range: number[];
  /** The datapoints that exist in the range, by period start. */
  datapoints: ReadonlyMap<number, EvaluationDatapoint>;
}

export type EvaluationOutcome =
  | { kind: 'retain' }
  | {
      kind: 'state';
      value: AlarmStateValue;
      /** Real datapoints that took part, oldest first. */
      evaluated: EvaluationDatapoint[];
      /** The real datapoints that justify the state (breaching for ALARM, not breaching for OK), newest first. */
      relevant: EvaluationDatapoint[];
      /** Missing datapoints filled in, and how (for OK/ALARM), or counted as unknown (INSUFFICIENT_DATA). */
      filled: number;
      filledAs?: 'Breaching' | 'NonBreaching';
    };

export function breaches(value: number, threshold: number, op: ComparisonOperator): boolean {
  switch (op) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}

/** The period starts an evaluation at `now` looks at: complete periods only, oldest first. */
export function evaluationRange(now: number, periodSeconds: number, evaluationPeriods: number): number[] {
  const p = periodSeconds * 1000;
  const end = Math.floor(now / p) * p;
  const count = evaluationPeriods + EXTRA_RANGE_PERIODS;
  return Array.from({ length: count }, (_, i) => end - (count - i) * p);
}

const newestFirst = (points: EvaluationDatapoint[]): EvaluationDatapoint[] =>
  [...points].sort((a, b) => b.timestamp - a.timestamp);

export function evaluateAlarm(input: EvaluationInput): EvaluationOutcome {
  const { config, range, datapoints } = input;
  const n = config.evaluationPeriods;
  const m = datapointsToAlarm(config);
  const isBreaching = (p: EvaluationDatapoint): boolean =>
    breaches(p.value, config.threshold, config.comparisonOperator);
  const present = range.flatMap((t) => (datapoints.has(t) ? [datapoints.get(t)!] : []));

  const decide = (
    evaluated: EvaluationDatapoint[],
    breachingCount: number,
    filled = 0,
    filledAs?: 'Breaching' | 'NonBreaching',
  ): EvaluationOutcome => {
    const value: AlarmStateValue = breachingCount >= m ? 'ALARM' : 'OK';
    const relevant = newestFirst(evaluated.filter((p) => isBreaching(p) === (value === 'ALARM')));
    return { kind: 'state', value, evaluated, relevant, filled, filledAs };
  };

  if (present.length >= n) {
    const evaluated = present.slice(-n);
    return decide(evaluated, evaluated.filter(isBreaching).length);
  }

  const missingCount = n - present.length;
  const treat = config.treatMissingData ?? 'missing';
  if (treat === 'breaching') {
    return decide(present, present.filter(isBreaching).length + missingCount, missingCount, 'Breaching');
  }
  if (treat === 'notBreaching') {
    return decide(present, present.filter(isBreaching).length, missingCount, 'NonBreaching');
  }

  if (present.length === 0) {
    if (treat === 'ignore') return { kind: 'retain' };
    return { kind: 'state', value: 'INSUFFICIENT_DATA', evaluated: [], relevant: [], filled: n };
  }
  const breachingCount = present.filter(isBreaching).length;
  if (breachingCount >= m || present.some((p) => !isBreaching(p))) return decide(present, breachingCount);
  if (treat === 'ignore') return { kind: 'retain' };
  // Missing datapoints stand in for the most recent missing periods; the evaluated window then
  // starts at the oldest of those or the oldest real datapoint, whichever is older.
  const missingSlots = range.filter((t) => !datapoints.has(t)).slice(-missingCount);
  if (present[0]!.timestamp < Math.min(...missingSlots)) return decide(present, m);
  return {
    kind: 'state',
    value: 'INSUFFICIENT_DATA',
    evaluated: present,
    relevant: [],
    filled: missingCount,
  };
}
