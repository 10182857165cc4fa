/**
 * Failure: the missing hour pages; an outage begins; the missing hour arrives late and another hour
 * gets a resend, and both event runs fail after their retries — events alone leave one partition
 * without a summary and one with a stale summary.
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { CheckResult, Step, StepContext } from '../../../src/course/model.js';
import { readExecutionHistory } from '../../../src/course/execution/followExecution.js';
import { shortCause } from '../../../src/course/execution/executionProgress.js';
import { expectEqual, expectThat } from '../../shared/checks.js';
import { changeEnvironment, readEnvironment } from '../../shared/functionEnvironment.js';
import { rawObjects, readSummary, recountRaw } from '../curated.js';
import { describeExecution, executionNameOf, waitForEventRuns, watchExecution } from '../executions.js';
import { STEP_NARRATION } from '../narration.js';
import { NEW_SHARE, RESENT_SHARE, onTimeFile, resendFile, uploadFiles } from '../orderFiles.js';
import { pagerTable, pagesSinceSchedule, readAlarm, waitForPage } from '../paging.js';
import { need, type Demo3State } from '../state.js';
import { comparisonTable } from '../views.js';

type Ctx = StepContext<Demo3State>;

export const OUTAGE_VARIABLE = 'SIMULATE_OUTAGE';
/** ProcessArrival's Retry on TransientError: MaxAttempts 2, so 3 attempts in all. */
export const ATTEMPTS_PER_RUN = 3;

const processFunction = (ctx: Ctx): string => need(ctx.state.functions.process, 'process-partition').name;

const page: Step<Demo3State> = {
  id: 'page',
  title: 'The page: hour 03 is still missing after the grace period',
  narration: STEP_NARRATION.page!,
  async run(ctx) {
    const alarm = need(ctx.state.alarm, 'the alarm');
    const pager = need(ctx.state.pager, 'the pager');
    const since = need(ctx.state.scheduleEnabledAt, 'the time the schedule was switched on');
    const { alarm: a, page: p } = await waitForPage(ctx, {
      alarmName: alarm.name,
      logGroup: pager.logGroup,
      state: 'ALARM',
      since,
      label: 'Waiting for the alarm to fire and the page to arrive',
    });
    ctx.state.alarmFired = { at: Date.parse(p.time), reason: p.reason };
    ctx.out.table(pagerTable(ctx.time, pager.logGroup, [p]));
    ctx.out.say(`DescribeAlarms: ${a.AlarmName} is ${a.StateValue}.`);
  },
  async check(ctx) {
    const a = await readAlarm(ctx, need(ctx.state.alarm, 'the alarm').name);
    const pages = await pagesSinceSchedule(ctx);
    return [
      expectEqual('alarm state', 'ALARM', a?.StateValue),
      expectThat(
        'a page for the ALARM state reached the pager log group',
        pages.some((p) => p.state === 'ALARM'),
        'at least 1',
        pages.map((p) => `${p.previousState}→${p.state}`).join(', ') || 'none',
      ),
    ];
  },
};

const outage: Step<Demo3State> = {
  id: 'outage',
  title: 'An outage begins: process-partition fails with a transient error',
  narration: STEP_NARRATION.outage!,
  async run(ctx) {
    const fn = processFunction(ctx);
    await changeEnvironment(ctx, fn, { [OUTAGE_VARIABLE]: 'true' });
    ctx.state.outage = { startedAt: ctx.clock.now() };
    ctx.out.say(
      `${fn}: ${OUTAGE_VARIABLE}=true — every call now throws TransientError ("downstream unavailable").`,
    );
  },
  async check(ctx) {
    const env = await readEnvironment(ctx, processFunction(ctx));
    return [
      expectEqual(OUTAGE_VARIABLE, 'true', env.variables[OUTAGE_VARIABLE]),
      expectEqual('BUCKET kept', ctx.state.bucket, env.variables.BUCKET),
      expectEqual('last update status', 'Successful', env.lastUpdateStatus),
    ];
  },
};

/** The task attempts of ProcessArrival in an event run: one error per failed attempt. */
function attemptErrors(events: HistoryEvent[]): string[] {
  return events.filter((e) => e.type === 'TaskFailed').map((e) => e.taskFailedEventDetails?.error ?? '');
}

const lateArrivals: Step<Demo3State> = {
  id: 'late-arrivals',
  title: 'During the outage, hour 03 arrives late and hour 01 gets a resend',
  narration: STEP_NARRATION['late-arrivals']!,
  async run(ctx) {
    const withheld = need(ctx.state.withheld, 'the withheld hour');
    const resent = need(ctx.state.resent, 'the resent hour');
    const files = [
      { partition: withheld, file: onTimeFile(ctx.state.seed, withheld, ctx.state.recordsPerHour) },
      { partition: resent, file: resendFile(ctx.state.seed, resent, ctx.state.recordsPerHour) },
    ];
    const uploadedAt = ctx.clock.now();
    const uploaded = await uploadFiles(ctx, need(ctx.state.bucket, 'the bucket'), files);
    ctx.out.table({
      title: 'Late deliveries',
      columns: ['partition', 'file', 'records', 'distinct orders'],
      rows: uploaded.map((u) => [
        u.partition,
        u.key.split('/').pop()!,
        u.stats.record_count,
        u.stats.distinct_orders,
      ]),
    });
    ctx.out.say(
      `The resend repeats ${Math.ceil(ctx.state.recordsPerHour * RESENT_SHARE)} of hour 01's orders byte for ` +
        `byte and adds ${Math.ceil(ctx.state.recordsPerHour * NEW_SHARE)} new ones.`,
    );
    const runs = await waitForEventRuns(
      ctx,
      uploaded.map((u) => u.key),
      uploadedAt,
      'Waiting for both event runs to give up',
    );
    ctx.state.late = {
      uploadedAt,
      files: uploaded,
      executions: Object.fromEntries(uploaded.map((u) => [u.key, runs.get(u.key)!.executionArn!])),
    };
    await watchExecution(
      ctx,
      runs.get(uploaded[1]!.key)!.executionArn!,
      `Following the event run for ${resent}`,
      'path',
    );
  },
  async check(ctx) {
    const late = need(ctx.state.late, 'the late deliveries');
    const results: CheckResult[] = [];
    for (const f of late.files) {
      const arn = late.executions[f.key]!;
      const d = await describeExecution(ctx, arn);
      const errors = attemptErrors(await readExecutionHistory(ctx.aws.sfn, arn));
      results.push(
        expectEqual(
          `${f.partition}: event run ${executionNameOf(arn).slice(0, 13)}`,
          'FAILED TransientError',
          `${d.status} ${d.error ?? ''}`.trim(),
        ),
        expectEqual(
          `${f.partition}: attempts before giving up (Retry MaxAttempts 2)`,
          Array<string>(ATTEMPTS_PER_RUN).fill('TransientError').join(', '),
          errors.join(', ') || shortCause(d.cause) || 'none',
        ),
      );
    }
    return results;
  },
};

const stalePartitions: Step<Demo3State> = {
  id: 'stale-partitions',
  title: 'What events alone leave behind: curated disagrees with raw',
  narration: STEP_NARRATION['stale-partitions']!,
  async run(ctx) {
    for (const p of [
      need(ctx.state.resent, 'the resent hour'),
      need(ctx.state.withheld, 'the withheld hour'),
    ]) {
      ctx.out.table(comparisonTable(p, await recountRaw(ctx, p), await readSummary(ctx, p)));
    }
    ctx.out.note(
      'No event will fire again for these files: the event path is done with them. A naive fix — add the ' +
        "late file's records to the summary — would count the resent orders twice.",
    );
  },
  async check(ctx) {
    const resent = need(ctx.state.resent, 'the resent hour');
    const withheld = need(ctx.state.withheld, 'the withheld hour');
    const [raw01, sum01, raw03, sum03, alarm] = await Promise.all([
      recountRaw(ctx, resent),
      readSummary(ctx, resent),
      rawObjects(ctx, withheld),
      readSummary(ctx, withheld),
      readAlarm(ctx, need(ctx.state.alarm, 'the alarm').name),
    ]);
    return [
      expectThat(
        `${resent}: curated disagrees with raw`,
        sum01 !== undefined &&
          (sum01.record_count !== raw01.stats.record_count || sum01.sources.length !== raw01.keys.length),
        'curated ≠ raw',
        `curated ${sum01?.record_count ?? '(none)'} records from ${sum01?.sources.length ?? 0} file${sum01?.sources.length === 1 ? '' : 's'}, raw ${raw01.stats.record_count} in ${raw01.keys.length}`,
      ),
      expectEqual(
        `${withheld}: raw files, summary`,
        '1 raw file, no summary',
        `${raw03.length} raw file${raw03.length === 1 ? '' : 's'}, ${sum03 ? 'a summary' : 'no summary'}`,
      ),
      expectEqual('the alarm, still firing', 'ALARM', alarm?.StateValue),
    ];
  },
};

export const failureSteps: Step<Demo3State>[] = [page, outage, lateArrivals, stalePartitions];
