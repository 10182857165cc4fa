/**
 * Metric math as a table, with the examples of CloudWatch's "Metric math syntax and functions"
 * (comparison and logical operators, IF in its argument shapes, FILL, arrays) and the expressions
 * it refuses.
 */
import { describe, expect, it } from 'vitest';
import {
  evaluateMath,
  finalSeries,
  type MathValue,
  type TimeSeries,
} from '../../../src/sandbox/cloudwatch/metricMath.js';
import { parseMetricMath } from '../../../src/sandbox/cloudwatch/metricMathParser.js';

const T = [0, 60_000, 120_000, 180_000, 240_000];

/** `[30, 20, '-', 0]` → a series on the first timestamps (`-` = no value). */
function series(values: Array<number | '-'>, id?: string): TimeSeries {
  const points = new Map<number, number>();
  values.forEach((v, i) => {
    if (v !== '-') points.set(T[i]!, v);
  });
  return { points, id, period: 60 };
}

function run(expression: string, metrics: Record<string, Array<number | '-'>>): MathValue {
  const all = Object.entries(metrics).map(([id, v]) => series(v, id));
  return evaluateMath(parseMetricMath(expression), {
    grid: T,
    metrics: () => all,
    resolve: (id) => {
      const s = all.find((m) => m.id === id);
      if (!s) throw new Error(`no ${id}`);
      return { type: 'series', series: s };
    },
  });
}

/** The first `n` timestamps' values of the single resulting series (`-` where there is none). */
function values(
  expression: string,
  metrics: Record<string, Array<number | '-'>>,
  n = 4,
): Array<number | '-'> {
  const [s] = finalSeries(run(expression, metrics));
  return T.slice(0, n).map((t) => s!.points.get(t) ?? '-');
}

const m12 = { metric1: [30, 20, 0, 0], metric2: [20, '-', 20, '-'] } as Record<string, Array<number | '-'>>;

describe('metric math: AWS’s examples', () => {
  it.each([
    ['(metric1 < metric2)', [0, 0, 1, 0]],
    ['(metric1 >= 30)', [1, 0, 0, 0]],
    ['(metric1 > 15 AND metric2 > 15)', [1, 0, 0, 0]],
    ['metric1 > 15 && metric2 > 15', [1, 0, 0, 0]],
    ['metric1 < 5 || metric2 > 15', [1, '-', 1, 1].map((v) => (v === '-' ? 0 : v))],
  ])('%s', (expression, expected) => {
    expect(values(expression, m12)).toEqual(expected);
  });

  const ifMetrics = {
    metric1: [1, 1, 0, 0, '-'],
    metric2: [30, '-', 0, 0, 30],
    metric3: [0, 0, 20, '-', 20],
  } as Record<string, Array<number | '-'>>;
  it.each([
    ['IF(metric1, metric2, metric3)', [30, 0, 20, '-', '-']],
    ['IF(metric1, 5, metric3)', [5, 5, 20, '-', '-']],
    ['IF(metric1, metric2, 5)', [30, 0, 5, 5, '-']],
  ])('%s', (expression, expected) => {
    expect(values(expression, ifMetrics, 5)).toEqual(expected);
  });

  it('filters with IF and a comparison, fills gaps, and works on arrays', () => {
    expect(values('IF(metric1 < 25, metric1)', m12)).toEqual(['-', 20, 0, 0]);
    expect(values('FILL(metric2, 5)', m12)).toEqual([20, 5, 20, 5]);
    expect(values('FILL(metric2, REPEAT)', m12)).toEqual([20, 20, 20, 20]);
    expect(values('FILL(metric2, LINEAR)', { metric2: [10, '-', 30, '-'] })).toEqual([10, 20, 30, '-']);
    expect(values('SUM([metric1, metric2])', m12)).toEqual([50, 20, 20, 0]);
    expect(values('SUM(METRICS())', m12)).toEqual([50, 20, 20, 0]);
    expect(values('SUM(METRICS("2"))', m12)).toEqual([20, '-', 20, '-']);
    expect(values('metric1 - AVG(metric1)', m12)).toEqual([17.5, 7.5, -12.5, -12.5]);
    expect(values('100 * metric2 / metric1', m12)).toEqual([(100 * 20) / 30, 0, '-', '-']);
    expect(values('-metric1 + 2 ^ 3', m12)).toEqual([-22, -12, 8, 8]);
    expect(values('DIFF(metric1)', m12)).toEqual(['-', -10, -20, 0]);
    expect(values('RATE(metric1)', m12)).toEqual(['-', -10 / 60, -20 / 60, 0]);
    expect(values('TIME_SERIES(MAX(metric1))', m12, 5)).toEqual([30, 30, 30, 30, 30]);
    expect(values('PERIOD(metric1) + 0 * metric1', m12)).toEqual([60, 60, 60, 60]);
    expect(finalSeries(run('METRICS() / 10', m12))).toHaveLength(2);
  });
});

describe('metric math: what CloudWatch refuses', () => {
  it.each([
    ['AVG(metric1)', /time series/],
    ['NOPE(metric1)', /Unknown function NOPE/],
    ['(metric1 + 1', /Expected/],
    ['metric1 +', /Expected/],
    ['metric1 $ 2', /Unexpected character/],
    ['ANOMALY_DETECTION_BAND(metric1)', /not available/],
    [`${'('.repeat(100)}metric1${')'.repeat(100)}`, /nested too deeply/],
  ])('%s', (expression, message) => {
    expect(() => finalSeries(run(expression, m12))).toThrow(message);
  });
});
