/** Recovery: backfill the under-counted hour, then make missing input a visible failure. */
import {
  GetFunctionConfigurationCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import type { CheckResult, Step, StepContext } from '../../../src/course/model.js';
import {
  curatedKey,
  describeWindow,
  describeWindowShort,
  sameWindow,
  shiftWindow,
  windowStart,
  type HourWindow,
} from '../../shared/hourWindows.js';
import type { LogLine } from '../../shared/logEvents.js';
import { functionLogLines, waitForLogLines } from '../scheduledRuns.js';
import { alignDown } from '../../shared/metrics.js';
import { atLeastCheck } from '../../shared/metricWaits.js';
import { alarmFires, alarmOnErrors, routeAlarmEvents } from './alerting.js';
import { showComparison, showLogLines } from '../../shared/summaryView.js';
import { readRawWindow, readSummary } from '../../shared/orderStore.js';
import { expectEqual, expectThat } from '../../shared/checks.js';
import { invokeForWindow } from '../invokeWindow.js';
import { STEP_NARRATION } from '../narration.js';
import {
  A_CLOCK_IS_NOT_AN_ORCHESTRATOR,
  WHAT_RECOVERY_DID_NOT_FIX,
  WHERE_NEXT,
  closingObservations,
} from '../lesson.js';
import { groupRuns, type FunctionRun } from '../runs.js';
import { requestIdOf } from '../../shared/lambdaLogEntries.js';
import { deleteObjects, hoursInBucket } from '../../shared/hourInventory.js';
import { shortSource } from '../../../src/course/logTable.js';
import { readErrorsSinceChange, showErrorsMetric } from '../failureMetrics.js';
import { need, type Demo1State } from '../state.js';

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
        { client: ctx.aws.lambda, maxWaitTime: 120, minDelay: 0.2, maxDelay: 5 },
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

/** Failed runs other than the learner's own since `since`: scheduled runs for hours with no data. */
function showOtherFailures(ctx: Ctx, runs: FunctionRun[], since: number): void {
  const hourOf = (r: FunctionRun): string => {
    const w = r.lines.find((l) => l.fields?.message === 'run started')?.fields?.window as
      HourWindow | undefined;
    return w ? describeWindowShort(w) : '?';
  };
  ctx.out.table({
    title: `Other runs that failed since REQUIRE_INPUT=true (${ctx.time.at(since)})`,
    note: ctx.time.columnNote,
    columns: ['request', 'trigger', 'hour it processed (UTC)', 'attempts', ctx.time.columnTitle],
    rows: runs.map((r) => [
      shortSource(r.requestId),
      r.trigger ?? '?',
      hourOf(r),
      r.attempts,
      ctx.time.clockTime(r.startedAt),
    ]),
  });
  const retried = runs.filter((r) => r.attempts > 1).length;
  ctx.out.say(
    'These are scheduled runs for hours nobody delivered: with REQUIRE_INPUT on they fail instead of ' +
      'writing "0 orders". EventBridge invokes the function asynchronously, and Lambda retries a failed ' +
      'asynchronous run twice (about one and then two minutes later) with the same request id — ' +
      (retried
        ? `so ${retried} request id${retried === 1 ? '' : 's'} above ran more than once, and the Errors metric counts every attempt.`
        : 'so a request id can appear up to three times, and the Errors metric counts every attempt.'),
  );
}

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
    // Its log lines are shown from CloudWatch Logs below, where people look; not twice.
    const inv = await invokeForWindow(ctx, empty, { showTail: false });
    const at = ctx.clock.now();
    ctx.state.loudFailure = {
      functionError: inv.functionError,
      errorType: (inv.response as { errorType?: string } | undefined)?.errorType,
      requestId: inv.requestId,
      at,
      invokedAt,
    };
    // Your own invocation first: wait until all of its lines (through REPORT) are in the logs.
    const mine = (lines: LogLine[]): LogLine[] =>
      inv.requestId
        ? lines.filter((l) => requestIdOf(l) === inv.requestId)
        : lines.filter(mentionsMissingInput);
    const lines = await waitForLogLines(
      ctx,
      invokedAt,
      'Waiting for your invocation in CloudWatch Logs',
      (l) => mine(l).some((x) => x.kind === 'REPORT'),
    );
    showLogLines(
      ctx,
      `Your invocation${inv.requestId ? ` (request ${shortSource(inv.requestId)})` : ''}`,
      mine(lines),
    );
    const since = ctx.state.requireInputAt ?? invokedAt;
    const others = groupRuns(await functionLogLines(ctx, since)).filter(
      (r) => r.requestId !== inv.requestId && r.failed && r.startedAt >= since,
    );
    if (others.length) showOtherFailures(ctx, others, since);
    await showErrorsMetric(ctx, invokedAt);
  },
  async check(ctx) {
    const f = need(ctx.state.loudFailure, 'the invocation result');
    const empty = need(ctx.state.emptyWindow, 'the empty window');
    // Your own invocation's lines (other runs failing the same way do not count for it).
    const all = await functionLogLines(ctx, f.invokedAt ?? f.at);
    const lines = all.filter(
      (l) => mentionsMissingInput(l) && (!f.requestId || requestIdOf(l) === f.requestId),
    );
    const s = await readSummary(ctx.aws.s3, need(ctx.state.bucket, 'the bucket'), empty);
    const invokedAt = f.invokedAt ?? f.at;
    const errors = (await readErrorsSinceChange(ctx, f.metricsTo ?? alignDown(ctx.clock.now()) + 60_000))
      .errors;
    return [
      expectEqual('Invoke response FunctionError', 'Unhandled', f.functionError),
      expectEqual('error type in the response', 'MissingInputError', f.errorType),
      expectThat(
        'the error is in the logs, under your request id',
        lines.length > 0,
        'at least 1 line',
        `${lines.length} line${lines.length === 1 ? '' : 's'}`,
      ),
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

/** One hour as it stands: a recount of raw/ and the summary, if any. */
async function hourNow(ctx: Ctx, w: HourWindow) {
  const bucket = need(ctx.state.bucket, 'the bucket');
  const raw = await readRawWindow(ctx.aws.s3, bucket, w);
  const summary = await readSummary(ctx.aws.s3, bucket, w);
  return { w, raw: raw.stats, files: raw.keys.length, summary };
}

const counts = (s: { record_count: number; distinct_orders: number; total_amount: number }): string =>
  `${s.record_count} records, ${s.distinct_orders} orders, ${s.total_amount.toFixed(2)}`;

/** Right: a summary that agrees with raw/, or — for an hour with no data — no summary at all. */
function verdictOf(h: Awaited<ReturnType<typeof hourNow>>): string {
  if (h.raw.record_count === 0) {
    return h.summary ? `WRONG: a "${h.summary.record_count} orders" summary` : 'no data, no summary';
  }
  if (!h.summary) return 'WRONG: no summary';
  return counts(h.summary) === counts(h.raw) ? 'right' : 'WRONG: disagrees with raw/';
}

/** Every hour with raw files or a summary, plus the empty hour of 4.5 and the quiet zeros removed. */
async function touchedHours(ctx: Ctx): Promise<HourWindow[]> {
  const hours = await hoursInBucket(ctx.aws.s3, need(ctx.state.bucket, 'the bucket'));
  for (const w of [ctx.state.emptyWindow, ...(ctx.state.quietZeros ?? [])]) {
    if (w && !hours.some((h) => sameWindow(h, w))) hours.push(w);
  }
  return hours.sort((a, b) => windowStart(a) - windowStart(b));
}

const verifyWindows: Step<Demo1State> = {
  id: 'verify-windows',
  title: 'Verify every hour the demo touched',
  narration: STEP_NARRATION['verify-windows'],
  async run(ctx) {
    const bucket = need(ctx.state.bucket, 'the bucket');
    const before = await Promise.all((await touchedHours(ctx)).map((w) => hourNow(ctx, w)));
    const quiet = before.filter((h) => h.raw.record_count === 0 && h.summary?.record_count === 0);
    if (quiet.length) {
      await deleteObjects(
        ctx.aws.s3,
        bucket,
        quiet.map((h) => curatedKey(h.w)),
      );
      const known = ctx.state.quietZeros ?? [];
      const added = quiet.map((h) => h.w).filter((w) => !known.some((k) => sameWindow(k, w)));
      ctx.state.quietZeros = [...known, ...added];
      const one = quiet.length === 1;
      ctx.out.note(
        `While you worked, the clock moved on to ${one ? 'an hour' : `${quiet.length} hours`} nobody delivered, ` +
          `and before REQUIRE_INPUT was on the schedule summarised ${one ? 'it' : 'each'} as "0 orders" and ` +
          `reported success: ${quiet.map((h) => describeWindow(h.w)).join(', ')}. ` +
          `${one ? 'That summary is a quiet zero; it is' : 'Those summaries are quiet zeros; they are'} deleted ` +
          `now, so ${one ? 'the hour is' : 'each of those hours is'} visibly missing. From now on such an hour ` +
          'fails loudly instead.',
      );
    }
    const after = await Promise.all(before.map((h) => hourNow(ctx, h.w)));
    ctx.out.table({
      title: 'Every hour the demo touched (raw/ recounted now)',
      columns: ['hour (UTC)', 'raw/', 'curated summary', 'verdict'],
      rows: after.map((h) => [
        describeWindowShort(h.w),
        h.raw.record_count ? counts(h.raw) : 'no files',
        h.summary ? counts(h.summary) : '(none)',
        verdictOf(h),
      ]),
    });
    for (const text of [...closingObservations(ctx.state), A_CLOCK_IS_NOT_AN_ORCHESTRATOR]) ctx.out.say(text);
    ctx.out.note(WHAT_RECOVERY_DID_NOT_FIX);
    ctx.out.say(WHERE_NEXT);
  },
  async check(ctx) {
    const hours = await Promise.all((await touchedHours(ctx)).map((w) => hourNow(ctx, w)));
    return hours.map((h) =>
      h.raw.record_count === 0
        ? expectEqual(
            `${describeWindow(h.w)}: no data, so no summary (a failure, not a zero)`,
            '(no summary)',
            h.summary ? `a summary with record_count ${h.summary.record_count}` : '(no summary)',
          )
        : expectEqual(
            `${describeWindow(h.w)}: curated = raw`,
            counts(h.raw),
            h.summary ? counts(h.summary) : '(no summary)',
          ),
    );
  },
};

export const recoverySteps: Step<Demo1State>[] = [
  backfill,
  alarmOnErrors,
  routeAlarmEvents,
  failLoudly,
  loudFailure,
  alarmFires,
  verifyWindows,
];
