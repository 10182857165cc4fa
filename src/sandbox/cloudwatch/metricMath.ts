/**
 * Evaluating metric math over time series, as CloudWatch documents it: arithmetic and comparisons
 * work on scalars, time series (per timestamp; a value missing on one side counts as 0) and arrays
 * of time series; a division by zero drops that data point. The functions are in
 * `metricMathFunctions.ts`.
 */
import { MetricMathSyntaxError, type BinaryOperator, type MathNode } from './metricMathParser.js';
import { callFunction } from './metricMathFunctions.js';
import {
  MetricMathEvaluationError,
  mapSeries,
  scalar,
  seriesValue,
  unionTimes,
  type MathContext,
  type MathValue,
  type TimeSeries,
} from './metricMathValues.js';

export type { MathContext, MathValue, TimeSeries } from './metricMathValues.js';
export { MetricMathEvaluationError } from './metricMathValues.js';

function applyOp(op: BinaryOperator, a: number, b: number): number | undefined {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? undefined : a / b;
    case '^':
      return a ** b;
    case '==':
      return a === b ? 1 : 0;
    case '!=':
      return a !== b ? 1 : 0;
    case '<':
      return a < b ? 1 : 0;
    case '<=':
      return a <= b ? 1 : 0;
    case '>':
      return a > b ? 1 : 0;
    case '>=':
      return a >= b ? 1 : 0;
    case 'AND':
      return a !== 0 && b !== 0 ? 1 : 0;
    case 'OR':
      return a !== 0 || b !== 0 ? 1 : 0;
  }
}

function combineSeries(op: BinaryOperator, a: TimeSeries, b: TimeSeries): TimeSeries {
  const points = new Map<number, number>();
  for (const t of unionTimes(a, b)) {
    const out = applyOp(op, a.points.get(t) ?? 0, b.points.get(t) ?? 0);
    if (out !== undefined && Number.isFinite(out)) points.set(t, out);
  }
  return { points, period: a.period ?? b.period };
}

function binary(op: BinaryOperator, left: MathValue, right: MathValue): MathValue {
  if (left.type === 'scalar' && right.type === 'scalar') {
    const out = applyOp(op, left.value, right.value);
    if (out === undefined || !Number.isFinite(out))
      throw new MetricMathEvaluationError('Division by zero in a scalar expression');
    return scalar(out);
  }
  if (left.type === 'array')
    return { type: 'array', items: left.items.map((s) => asSeries(binary(op, seriesValue(s), right))) };
  if (right.type === 'array')
    return { type: 'array', items: right.items.map((s) => asSeries(binary(op, left, seriesValue(s)))) };
  if (left.type === 'series' && right.type === 'scalar')
    return seriesValue(mapSeries(left.series, (v) => applyOp(op, v, right.value)));
  if (left.type === 'scalar' && right.type === 'series')
    return seriesValue(mapSeries(right.series, (v) => applyOp(op, left.value, v)));
  if (left.type === 'series' && right.type === 'series')
    return seriesValue(combineSeries(op, left.series, right.series));
  throw new MetricMathEvaluationError(`The operator ${op} cannot be applied to these arguments`);
}

function asSeries(v: MathValue): TimeSeries {
  if (v.type !== 'series') throw new MetricMathEvaluationError('Expected a time series');
  return v.series;
}

/** Evaluate a parsed expression. */
export function evaluateMath(node: MathNode, ctx: MathContext): MathValue {
  switch (node.kind) {
    case 'number':
      return scalar(node.value);
    case 'string':
      return { type: 'string', value: node.value };
    case 'word':
      return { type: 'word', value: node.word };
    case 'ref':
      return ctx.resolve(node.id);
    case 'negate': {
      const v = evaluateMath(node.arg, ctx);
      return binary('*', scalar(-1), v);
    }
    case 'binary':
      return binary(node.op, evaluateMath(node.left, ctx), evaluateMath(node.right, ctx));
    case 'array': {
      const items: TimeSeries[] = [];
      for (const n of node.items) {
        const v = evaluateMath(n, ctx);
        if (v.type === 'series') items.push(v.series);
        else if (v.type === 'array') items.push(...v.items);
        else throw new MetricMathEvaluationError('An array may hold only time series');
      }
      return { type: 'array', items };
    }
    case 'call':
      return callFunction(node.name, node.args, ctx, (n) => evaluateMath(n, ctx));
  }
}

/** The final result of an expression must be a time series or an array of them. */
export function finalSeries(v: MathValue): TimeSeries[] {
  if (v.type === 'series') return [v.series];
  if (v.type === 'array') return v.items;
  throw new MetricMathSyntaxError(
    'The expression must produce a time series or an array of time series, not a single value',
  );
}
