/**
 * What the loud failure adds up to in CloudWatch: the function's Invocations and Errors (the metric
 * the alarm watches) and the ERROR lines its metric filter counted, since REQUIRE_INPUT was switched on.
 */
import type { StepContext } from '../../src/course/model.js';
import {
  alignDown,
  describeReading,
  lambdaMetric,
  publishedThrough,
  readMetrics,
  type MetricReading,
} from '../shared/metrics.js';
import { formatDuration } from '../shared/targetWait.js';
import { ERROR_LINES_NAMESPACE, errorLinesMetric } from './alerting.js';
import { NOT_PUBLISHED, waitForMetrics } from '../shared/metricWaits.js';
import { need, type Demo1State } from './state.js';

type Ctx = StepContext<Demo1State>;

/**
 * The function's Invocations and Errors, and the ERROR lines its metric filter counted, from the
 * minute REQUIRE_INPUT was switched on (or, for progress saved before that was recorded, the failed
 * invocation) until `to`.
 */
export async function readErrorsSinceChange(
  ctx: Ctx,
  to: number,
): Promise<{ invocations: MetricReading; errors: MetricReading; errorLines?: MetricReading }> {
  const fn = need(ctx.state.functionName, 'the function');
  const f = need(ctx.state.loudFailure, 'the invocation result');
  const from = alignDown(ctx.state.requireInputAt ?? f.invokedAt ?? f.at);
  const filter = ctx.state.errorLinesFilter;
  const range = { startTime: from, endTime: to };
  const fnMetrics = { invocations: lambdaMetric(fn, 'Invocations'), errors: lambdaMetric(fn, 'Errors') };
  if (!filter) return readMetrics(ctx.aws.cloudwatch, fnMetrics, range);
  const errorLines = errorLinesMetric({ filterName: filter });
  return readMetrics(ctx.aws.cloudwatch, { ...fnMetrics, errorLines }, range);
}

/** Wait (bounded) until the Errors metric counts the failure, and show it: the signal the alarm watches. */
export async function showErrorsMetric(ctx: Ctx, invokedAt: number): Promise<void> {
  const fn = need(ctx.state.functionName, 'the function');
  const to = alignDown(ctx.clock.now()) + 60_000;
  need(ctx.state.loudFailure, 'the invocation result').metricsTo = to;
  const { reading: m, waitedMs } = await waitForMetrics(
    ctx,
    "Waiting for the failure to reach the function's Errors metric",
    () => readErrorsSinceChange(ctx, to),
    (r) => r.errors.total >= 1 && (r.errorLines === undefined || r.errorLines.total >= 1),
    (r) => `Errors ${r.errors.total} so far`,
  );
  const published = publishedThrough(m.errors, invokedAt);
  const alarm = ctx.state.alarmName;
  ctx.out.table({
    title: `CloudWatch metrics of ${fn} since REQUIRE_INPUT=true`,
    columns: ['metric', 'value', 'looks'],
    rows: [
      ['AWS/Lambda Invocations (Sum)', describeReading(m.invocations), 'ran'],
      [
        'AWS/Lambda Errors (Sum)',
        describeReading(m.errors),
        m.errors.total >= 1
          ? `FAILING${alarm ? ': the alarm watches this' : ''}`
          : published
            ? 'not counted'
            : NOT_PUBLISHED,
      ],
      ...(m.errorLines
        ? [
            [
              `${ERROR_LINES_NAMESPACE} ERROR lines (Sum, metric filter)`,
              describeReading(m.errorLines),
              m.errorLines.total >= 1 ? 'counted' : NOT_PUBLISHED,
            ],
          ]
        : []),
    ],
  });
  if (m.errors.total < 1 && !published) {
    ctx.out.note(
      `CloudWatch had not published the minute of the failure after ${formatDuration(waitedMs)} ` +
        '(it usually takes 1–3 minutes). Look again in the console in a minute: Errors will show it.',
    );
  }
  if (m.errorLines) {
    ctx.out.say(
      "The metric filter counts every line with ERROR in it: a failed attempt writes two (the handler's " +
        '"missing input" line and the runtime\'s "Invoke Error" line), and so would a run that logs an ' +
        'error and still succeeds — which Errors never counts.',
    );
  }
  ctx.out.note(
    'The same error now ends any scheduled run whose hour is empty, and each one adds to Errors. ' +
      (alarm
        ? `The alarm ${alarm} watches exactly this metric; the next step waits for it to fire.`
        : 'An alarm on AWS/Lambda Errors (Sum ≥ 1 over 1 minute) would page on it.'),
  );
}
