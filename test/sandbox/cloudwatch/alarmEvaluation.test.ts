/**
 * Alarm evaluation as a table: datapoint series → state, for every TreatMissingData treatment and
 * M-of-N configuration. The first two tables are AWS's own ("How alarm state is evaluated when data
 * is missing", CloudWatch user guide): 0 = not breaching, X = breaching, - = missing, oldest first.
 */
import { describe, expect, it } from 'vitest';
import {
  evaluateAlarm,
  evaluationRange,
  type EvaluationDatapoint,
} from '../../../src/sandbox/cloudwatch/alarmEvaluation.js';
import type { AlarmStateValue, TreatMissingData } from '../../../src/sandbox/cloudwatch/alarmModel.js';

const PERIOD_MS = 300_000;
const THRESHOLD = 10;

/** `0 - X - X` → the range and its datapoints (X = 20 breaches the threshold of 10, 0 does not). */
function series(pattern: string): { range: number[]; datapoints: Map<number, EvaluationDatapoint> } {
  const cells = pattern.split(/\s+/);
  const range = cells.map((_, i) => 1_700_000_000_000 + i * PERIOD_MS);
  const datapoints = new Map<number, EvaluationDatapoint>();
  cells.forEach((c, i) => {
    if (c !== '-') datapoints.set(range[i]!, { timestamp: range[i]!, value: c === 'X' ? 20 : 0 });
  });
  return { range, datapoints };
}

type Expected = AlarmStateValue | 'retain';

function stateFor(pattern: string, n: number, m: number | undefined, treat: TreatMissingData): Expected {
  const outcome = evaluateAlarm({
    config: {
      evaluationPeriods: n,
      datapointsToAlarm: m,
      threshold: THRESHOLD,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: treat,
    },
    ...series(pattern),
  });
  return outcome.kind === 'retain' ? 'retain' : outcome.value;
}

const TREATMENTS: TreatMissingData[] = ['missing', 'ignore', 'breaching', 'notBreaching'];

describe('alarm evaluation: AWS user guide, 3 out of 3 datapoints to alarm', () => {
  const table: Array<[string, Expected, Expected, Expected, Expected]> = [
    ['0 - X - X', 'OK', 'OK', 'OK', 'OK'],
    ['0 - - - -', 'OK', 'OK', 'OK', 'OK'],
    ['- - - - -', 'INSUFFICIENT_DATA', 'retain', 'ALARM', 'OK'],
    ['0 X X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ['- - - - X', 'INSUFFICIENT_DATA', 'retain', 'ALARM', 'OK'],
    ['X - - - -', 'ALARM', 'retain', 'ALARM', 'OK'],
  ];
  for (const [pattern, ...expected] of table) {
    it(`${pattern} → ${expected.join(' / ')}`, () => {
      expect(TREATMENTS.map((t) => stateFor(pattern, 3, 3, t))).toEqual(expected);
    });
  }
});

describe('alarm evaluation: AWS user guide, 2 out of 3 (M out of N)', () => {
  const table: Array<[string, Expected, Expected, Expected, Expected]> = [
    ['0 - X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ['0 0 X 0 X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ['0 - X - -', 'OK', 'OK', 'ALARM', 'OK'],
    ['- - - - 0', 'OK', 'OK', 'ALARM', 'OK'],
    ['- - - - X', 'INSUFFICIENT_DATA', 'retain', 'ALARM', 'OK'],
  ];
  for (const [pattern, ...expected] of table) {
    it(`${pattern} → ${expected.join(' / ')}`, () => {
      expect(TREATMENTS.map((t) => stateFor(pattern, 3, 2, t))).toEqual(expected);
    });
  }
});

describe('alarm evaluation: more series', () => {
  const table: Array<[string, number, number | undefined, TreatMissingData, Expected]> = [
    // One evaluation period: the newest datapoint decides, older ones still count while it is missing.
    ['- - X', 1, undefined, 'missing', 'ALARM'],
    ['- - 0', 1, undefined, 'missing', 'OK'],
    ['X 0 -', 1, undefined, 'missing', 'OK'],
    ['0 X -', 1, undefined, 'missing', 'ALARM'],
    ['- - -', 1, undefined, 'missing', 'INSUFFICIENT_DATA'],
    ['- - -', 1, undefined, 'notBreaching', 'OK'],
    ['- - -', 1, undefined, 'breaching', 'ALARM'],
    ['- - -', 1, undefined, 'ignore', 'retain'],
    // Enough real datapoints: the treatment does not matter, only the N most recent count.
    ['X X 0 0 0', 3, undefined, 'breaching', 'OK'],
    ['0 0 X X X', 3, undefined, 'notBreaching', 'ALARM'],
    // 1 out of 3: one breaching datapoint among the last three is enough.
    ['0 0 0 X 0', 3, 1, 'missing', 'ALARM'],
    ['X 0 0 0 0', 3, 1, 'missing', 'OK'],
    // Filled missing datapoints count towards M with `breaching`, never with `notBreaching`.
    ['- - - X 0', 3, 2, 'breaching', 'ALARM'],
    ['- - - X 0', 3, 2, 'notBreaching', 'OK'],
    ['- - - X X', 3, 3, 'breaching', 'ALARM'],
    ['- - - X X', 3, 3, 'notBreaching', 'OK'],
    ['X X - - -', 3, 3, 'missing', 'ALARM'],
    ['- - - X X', 3, 3, 'missing', 'INSUFFICIENT_DATA'],
    ['- - - X X', 3, 2, 'missing', 'ALARM'],
  ];
  for (const [pattern, n, m, treat, expected] of table) {
    it(`${pattern}, ${m ?? n} of ${n}, ${treat} → ${expected}`, () => {
      expect(stateFor(pattern, n, m, treat)).toBe(expected);
    });
  }
});

describe('evaluation range', () => {
  it('covers N + 2 complete periods, ending with the period that ended last', () => {
    const now = Date.UTC(2026, 10, 30, 10, 1, 30);
    expect(evaluationRange(now, 60, 1).map((t) => new Date(t).toISOString())).toEqual([
      '2026-11-30T09:58:00.000Z',
      '2026-11-30T09:59:00.000Z',
      '2026-11-30T10:00:00.000Z',
    ]);
  });
});
