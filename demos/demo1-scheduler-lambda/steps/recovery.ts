/** Recovery: backfill the under-counted hour, then make missing input a visible failure. */
import {
  GetFunctionConfigurationCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import type { CheckResult, Step, StepContext } from '../../../src/course/model.js';
import { describeWindow, sameWindow, shiftWindow, type HourWindow } from '../../shared/hourWindows.js';
import type { LogLine } from '../../shared/logEvents.js';
import { functionLogLines, waitForLogLines } from '../scheduledRuns.js';
import {
  alignDown,
  describeReading,
  lambdaMetric,
  publishedThrough,
  readMetrics,
} from '../../shared/metrics.js';
import { formatDuration } from '../../shared/targetWait.js';
import { atLeastCheck, NOT_PUBLISHED, waitForMetrics } from '../../shared/metricWaits.js';
import { readRawWindow, readSummary } from '../../shared/orderStore.js';
import { expectEqual, expectThat } from '../../shared/checks.js';
import { invokeForWindow } from '../invokeWindow.js';
import { CLOSING_LESSON, STEP_NARRATION } from '../narration.js';
import { need, type Demo1State } from '../state.js';
import { showComparison, showLogLines } from '../../shared/summaryView.js';

type Ctx = StepContext<Demo1State>;

const mentionsMissingInput = (l: LogLine): boolean => l.message.includes('MissingInputError');

export class BackfillFailedError extends Error {
  override readonly name = 'BackfillFailedError';
}

async function curatedMatchesRaw(ctx: Ctx, window: HourWindow, show: boolean): Promise<CheckResult[]> {
  const bucket = need(ctx.state.bucket, 'the bucket');
  const raw = await readRawWindow(ctx.aws.s3, bucket, window);
  const s = await readSummary(ctx.aws.s3, bucket, window);
  if (show) showComparison(ctx.out, window, { ...raw.stats, files: raw.keys.length }, s);
  const w = describeWindow(window);
  return [
    expectEqual(`${w}: curated records = raw`, raw.stats.record_count, s?.record_count),
    expectEqual(`${w}: curated distinct orders = raw`, raw.stats.distinct_orders, s?.distinct_orders),
    expectEqual(`${w}: curated total = raw`, raw.stats.total_amount, s?.total_amount),
  ];
}

/**
 * The function's Invocations and Errors from the minute REQUIRE_INPUT was switched on (or, for
 * progress saved before that was recorded, the failed invocation) until `to`.
 */
async function readErrorsSinceChange(ctx: Ctx, to: number) {
  const fn = need(ctx.state.functionName, 'the function');
  const f = need(ctx.state.loudFailure, 'the invocation result');
  const from = alignDown(ctx.state.requireInputAt ?? f.invokedAt ?? f.at);
  return readMetrics(
    ctx.aws.cloudwatch,
    { invocations: lambdaMetric(fn, 'Invocations'), errors: lambdaMetric(fn, 'Errors') },
    { startTime: from, endTime: to },
  );
}

/** Wait (bounded) until the Errors metric counts the failure, and show it: the signal an alarm watches. */
async function showErrorsMetric(ctx: Ctx, invokedAt: number): Promise<void> {
  const fn = need(ctx.state.functionName, 'the function');
  const to = alignDown(ctx.clock.now()) + 60_000;
  need(ctx.state.loudFailure, 'the invocation result').metricsTo = to;
  const { reading: m, waitedMs } = await waitForMetrics(
    ctx,
    "Waiting for the failure to reach the function's Errors metric",
    () => readErrorsSinceChange(ctx, to),
    (r) => r.errors.total >= 1,
    (r) => `Errors ${r.errors.total} so far`,
  );
  const published = publishedThrough(m.errors, invokedAt);
  ctx.out.table({
    title: `CloudWatch metrics of ${fn} since REQUIRE_INPUT=true`,
    columns: ['metric', 'value', 'looks'],
    rows: [
      ['AWS/Lambda Invocations (Sum)', describeReading(m.invocations), 'ran'],
      [
        'AWS/Lambda Errors (Sum)',
        describeReading(m.errors),
        m.errors.total >= 1 ? 'FAILING: an alarm would fire' : published ? 'not counted' : NOT_PUBLISHED,
      ],
    ],
  });
  if (m.errors.total < 1 && !published) {
    ctx.out.note(
      `CloudWatch had not published the minute of the failure after ${formatDuration(waitedMs)} ` +
        '(it usually takes 1–3 minutes). Look again in the console in a minute: Errors will show it.',
    );
  }
  ctx.out.note(
    'The same error now ends any scheduled run whose hour is empty, and each one adds to Errors. That is ' +
      'what pages you: a CloudWatch alarm on AWS/Lambda Errors (Sum ≥ 1 over 1 minute) with an SNS action, ' +
      `e.g. aws cloudwatch put-metric-alarm --alarm-name ${fn}-errors --namespace AWS/Lambda ` +
      `--metric-name Errors --dimensions Name=FunctionName,Value=${fn} --statistic Sum --period 60 ` +
      '--evaluation-periods 1 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold ' +
      '--alarm-actions <sns-topic-arn>. The demo does not create one.',
  );
}

const backfill: Step<Demo1State> = {
  id: 'backfill',
  title: 'Backfill the hour by invoking with an explicit window',
  narration: STEP_NARRATION.backfill,
  async run(ctx) {
    const window = need(ctx.state.window, 'the window');
    const inv = await invokeForWindow(ctx, window);
    if (inv.functionError)
      throw new BackfillFailedError(`the backfill invocation failed: ${JSON.stringify(inv.response)}`);
    const done = ctx.state.backfilled ?? [];
    if (!done.some((w) => sameWindow(w, window))) done.push(window);
    ctx.state.backfilled = done;
  },
  async check(ctx) {
    return curatedMatchesRaw(ctx, need(ctx.state.window, 'the window'), false);
  },
};

const failLoudly: Step<Demo1State> = {
  id: 'fail-loudly',
  title: 'Make missing input an error: REQUIRE_INPUT=true',
  narration: STEP_NARRATION['fail-loudly'],
  async run(ctx) {
    const fn = need(ctx.state.functionName, 'the function');
    ctx.state.requireInputAt = ctx.clock.now();
    const cfg = await ctx.aws.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }));
    // UpdateFunctionConfiguration replaces the whole environment: keep what is there.
    const variables = { ...(cfg.Environment?.Variables ?? {}), REQUIRE_INPUT: 'true' };
    await ctx.aws.lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: fn, Environment: { Variables: variables } }),
    );
    await ctx.out.progress('Waiting for the configuration update to finish', () =>
      waitUntilFunctionUpdatedV2(
        { client: ctx.aws.lambda, maxWaitTime: 120, minDelay: 1, maxDelay: 5 },
        { FunctionName: fn },
      ),
    );
    ctx.out.say(`Environment is now ${JSON.stringify(variables)}.`);
  },
  async check(ctx) {
    const fn = need(ctx.state.functionName, 'the function');
    const cfg = await ctx.aws.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }));
    return [
      expectEqual('REQUIRE_INPUT', 'true', cfg.Environment?.Variables?.REQUIRE_INPUT),
      expectEqual('BUCKET kept', ctx.state.bucket, cfg.Environment?.Variables?.BUCKET),
      expectEqual('last update status', 'Successful', cfg.LastUpdateStatus),
    ];
  },
};

const loudFailure: Step<Demo1State> = {
  id: 'loud-failure',
  title: 'Invoke for an hour with no data: a visible failure',
  narration: STEP_NARRATION['loud-failure'],
  async run(ctx) {
    const bucket = need(ctx.state.bucket, 'the bucket');
    // The same hour yesterday: no upstream delivered anything for it in this demo.
    const empty = shiftWindow(need(ctx.state.window, 'the window'), -24);
    ctx.state.emptyWindow = empty;
    const raw = await readRawWindow(ctx.aws.s3, bucket, empty);
    ctx.out.say(`${describeWindow(empty)} has ${raw.keys.length} raw files.`);
    const invokedAt = ctx.clock.now();
    const inv = await invokeForWindow(ctx, empty);
    const at = ctx.clock.now();
    ctx.state.loudFailure = {
      functionError: inv.functionError,
      errorType: (inv.response as { errorType?: string } | undefined)?.errorType,
      at,
      invokedAt,
    };
    const lines = await waitForLogLines(ctx, at, 'Waiting for the error to reach CloudWatch Logs', (l) =>
      l.some(mentionsMissingInput),
    );
    showLogLines(ctx.out, 'Log lines mentioning MissingInputError', lines.filter(mentionsMissingInput));
    await showErrorsMetric(ctx, invokedAt);
  },
  async check(ctx) {
    const f = need(ctx.state.loudFailure, 'the invocation result');
    const empty = need(ctx.state.emptyWindow, 'the empty window');
    const lines = (await functionLogLines(ctx, f.at)).filter(mentionsMissingInput);
    const s = await readSummary(ctx.aws.s3, need(ctx.state.bucket, 'the bucket'), empty);
    const invokedAt = f.invokedAt ?? f.at;
    const errors = (await readErrorsSinceChange(ctx, f.metricsTo ?? alignDown(ctx.clock.now()) + 60_000))
      .errors;
    return [
      expectEqual('Invoke response FunctionError', 'Unhandled', f.functionError),
      expectEqual('error type in the response', 'MissingInputError', f.errorType),
      expectThat('the error is in the logs', lines.length > 0, 'at least 1 line', `${lines.length} lines`),
      expectEqual(
        'no misleading empty summary for the empty hour',
        '(none)',
        s ? `record_count ${s.record_count}` : '(none)',
      ),
      atLeastCheck(
        'AWS/Lambda Errors since REQUIRE_INPUT=true',
        errors,
        1,
        invokedAt,
        'the failed invocation counted',
      ),
    ];
  },
};

const verifyWindows: Step<Demo1State> = {
  id: 'verify-windows',
  title: 'Verify every hour the demo touched',
  narration: STEP_NARRATION['verify-windows'],
  async run(ctx) {
    await curatedMatchesRaw(ctx, need(ctx.state.window, 'the window'), true);
    ctx.out.say(CLOSING_LESSON);
  },
  async check(ctx) {
    const bucket = need(ctx.state.bucket, 'the bucket');
    const results = await curatedMatchesRaw(ctx, need(ctx.state.window, 'the window'), false);
    const empty = need(ctx.state.emptyWindow, 'the empty window');
    const raw = await readRawWindow(ctx.aws.s3, bucket, empty);
    const s = await readSummary(ctx.aws.s3, bucket, empty);
    results.push(
      expectEqual(
        `${describeWindow(empty)}: no data and no summary (a failure, not a zero)`,
        'raw 0, no summary',
        `raw ${raw.stats.record_count}, ${s ? 'summary present' : 'no summary'}`,
      ),
    );
    return results;
  },
};

export const recoverySteps: Step<Demo1State>[] = [backfill, failLoudly, loudFailure, verifyWindows];
