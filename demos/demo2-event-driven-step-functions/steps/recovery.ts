/**
 * Recovery: end the outage and redrive the failed execution (it resumes at Load), re-deliver the
 * corrected file, and verify every hour the demo delivered against its raw files.
 */
import { ListExecutionsCommand, RedriveExecutionCommand } from '@aws-sdk/client-sfn';
import type { CheckResult, Step, StepContext } from '../../../src/course/model.js';
import { executionName } from '../../../src/course/execution/followExecution.js';
import { expectEqual, expectThat } from '../../shared/checks.js';
import { describeWindow, sameWindow, type HourWindow } from '../../shared/hourWindows.js';
import { listKeys, readRawWindow, readSummary } from '../../shared/orderStore.js';
import { changeEnvironment, readEnvironment } from '../../shared/functionEnvironment.js';
import { CLOSING_LESSON, STEP_NARRATION } from '../narration.js';
import { executionOf, readExecution, stateRuns, watchExecution } from '../pipelineRuns.js';
import { QUARANTINE_PREFIX } from '../names.js';
import { need, type Demo2State } from '../state.js';
import { deliver, succeededRunChecks } from './execution.js';
import { alarmTransitions, describeAlarm, transitionTable, waitForAlarmChange } from '../alarmWatch.js';

type Ctx = StepContext<Demo2State>;

const loadFunction = (ctx: Ctx): string => need(ctx.state.functions, 'the functions').load.name;

const removeLoadFault: Step<Demo2State> = {
  id: 'remove-load-fault',
  title: 'The outage is over: remove the fault from load',
  narration: STEP_NARRATION['remove-load-fault']!,
  async run(ctx) {
    const variables = await changeEnvironment(ctx, loadFunction(ctx), { LOAD_FAULT: undefined });
    const left = Object.keys(variables).length ? JSON.stringify(variables) : 'empty';
    ctx.out.say(`LOAD_FAULT removed: ${loadFunction(ctx)}'s environment is now ${left}.`);
  },
  async check(ctx) {
    const env = await readEnvironment(ctx, loadFunction(ctx));
    return [
      expectEqual('LOAD_FAULT', '(none)', env.variables.LOAD_FAULT ?? '(none)'),
      expectEqual('last update status', 'Successful', env.lastUpdateStatus),
    ];
  },
};

/** The names of the states entered after the execution's (last) ExecutionRedriven event. */
function enteredAfterRedrive(exec: Awaited<ReturnType<typeof readExecution>>): string[] {
  const at = exec.events.findLastIndex((e) => e.type === 'ExecutionRedriven');
  if (at < 0) return [];
  return exec.events
    .slice(at + 1)
    .filter((e) => e.type?.endsWith('StateEntered'))
    .map((e) => e.stateEnteredEventDetails?.name ?? '?');
}

const redrive: Step<Demo2State> = {
  id: 'redrive',
  title: 'Redrive the failed execution: it resumes at Load',
  narration: STEP_NARRATION.redrive!,
  async run(ctx) {
    const r = need(ctx.state.redrive, 'the execution that failed at Load');
    const before = await readExecution(ctx, r.executionArn);
    if (before.status === 'FAILED') {
      const out = await ctx.aws.sfn.send(new RedriveExecutionCommand({ executionArn: r.executionArn }));
      r.redrivenAt = out.redriveDate?.getTime() ?? ctx.clock.now();
      ctx.out.say(
        `Execution ${executionName(r.executionArn)} redriven at ${out.redriveDate ? ctx.time.clockTime(out.redriveDate.getTime()) : '?'}.`,
      );
    } else {
      ctx.out.note(
        `Execution ${executionName(r.executionArn)} is ${before.status}: it was redriven earlier.`,
      );
    }
    await watchExecution(ctx, r.executionArn, {
      afterEventId: r.lastEventIdBefore,
      label: 'Following the redriven execution',
    });
    const exec = await readExecution(ctx, r.executionArn);
    ctx.out.table({
      title: 'How often each state ran over both runs',
      columns: ['state', 'entered', 'in the redrive'],
      rows: ['Validate', 'Transform', 'Load'].map((s) => [
        s,
        stateRuns(exec.progress)[s]?.entries ?? 0,
        enteredAfterRedrive(exec).filter((n) => n === s).length,
      ]),
    });
  },
  async check(ctx) {
    const exec = await readExecution(ctx, need(ctx.state.redrive, 'the redriven execution').executionArn);
    const runs = stateRuns(exec.progress);
    return [
      ...(await succeededRunChecks(ctx, 'blocked')),
      expectEqual('redrive count', 1, exec.redriveCount),
      expectEqual('states entered after ExecutionRedriven', ['Load'], enteredAfterRedrive(exec)),
      expectEqual(
        'Validate and Transform ran once in total, Load twice',
        '1 1 2',
        `${runs.Validate?.entries} ${runs.Transform?.entries} ${runs.Load?.entries}`,
      ),
    ];
  },
};

const fixAndReupload: Step<Demo2State> = {
  id: 'fix-and-reupload',
  title: 'Fix the rejected file and deliver it again',
  narration: STEP_NARRATION['fix-and-reupload']!,
  async run(ctx) {
    const arn = await deliver(ctx, 'fixed');
    await watchExecution(ctx, arn);
  },
  async check(ctx) {
    const fixed = need(ctx.state.uploads.fixed, 'the fixed upload');
    const rejected = need(ctx.state.uploads.malformed, 'the rejected upload');
    return [
      ...(await succeededRunChecks(ctx, 'fixed')),
      expectEqual("delivered under the rejected file's key", rejected.key, fixed.key),
      expectThat(
        'a new execution, not the failed one',
        executionOf(ctx, 'fixed') !== executionOf(ctx, 'malformed'),
        'different executions',
        `${executionName(executionOf(ctx, 'fixed'))} vs ${executionName(executionOf(ctx, 'malformed'))}`,
      ),
    ];
  },
};

const alarmOk: Step<Demo2State> = {
  id: 'alarm-ok',
  title: 'The alarm returns to OK',
  narration: STEP_NARRATION['alarm-ok']!,
  async run(ctx) {
    const name = need(ctx.state.alarmName, 'the alarm');
    const lastFailure = need(
      (await readExecution(ctx, executionOf(ctx, 'blocked'))).events.find((e) => e.type === 'ExecutionFailed')
        ?.timestamp,
      'when the outage failed the execution',
    ).getTime();
    const history = await waitForAlarmChange(
      ctx,
      name,
      'OK',
      lastFailure,
      'Waiting for the alarm to return to OK',
    );
    ctx.state.alarm = { ...ctx.state.alarm, okAt: history.findLast((h) => h.to === 'OK')?.at };
    ctx.out.table(transitionTable(`Alarm ${name}: state changes`, history, ctx.time));
    const now = await describeAlarm(ctx, name);
    ctx.out.say(`Now ${now?.state}: ${now?.reason ?? ''}`);
    ctx.out.say(CLOSING_LESSON);
  },
  async check(ctx) {
    const name = need(ctx.state.alarmName, 'the alarm');
    const now = await describeAlarm(ctx, name);
    const history = await alarmTransitions(ctx, name);
    const fired = history.findIndex((h) => h.to === 'ALARM');
    const clearedAfter = fired >= 0 && history.slice(fired + 1).some((h) => h.to === 'OK');
    return [
      expectEqual('alarm state', 'OK', now?.state),
      expectThat(
        'it fired and cleared (ALARM, then OK, in its history)',
        clearedAfter,
        'ALARM … OK',
        history.map((h) => h.to).join(' → ') || '(no changes)',
      ),
    ];
  },
};

/** The distinct hours the demo delivered files for, in delivery order. */
function deliveredHours(ctx: Ctx): HourWindow[] {
  const hours: HourWindow[] = [];
  for (const u of Object.values(ctx.state.uploads)) {
    if (u && !hours.some((h) => sameWindow(h, u.window))) hours.push(u.window);
  }
  return hours;
}

async function failedExecutions(ctx: Ctx): Promise<string[]> {
  const out = await ctx.aws.sfn.send(
    new ListExecutionsCommand({
      stateMachineArn: need(ctx.state.stateMachineArn, 'the state machine'),
      statusFilter: 'FAILED',
    }),
  );
  return (out.executions ?? []).map((e) => e.executionArn ?? '').sort();
}

async function everyHourChecks(ctx: Ctx, show: boolean): Promise<CheckResult[]> {
  const bucket = need(ctx.state.bucket, 'the bucket');
  const rows: Array<Array<string | number>> = [];
  const results: CheckResult[] = [];
  for (const w of deliveredHours(ctx)) {
    const raw = await readRawWindow(ctx.aws.s3, bucket, w);
    const s = await readSummary(ctx.aws.s3, bucket, w);
    rows.push([
      describeWindow(w),
      raw.keys.length,
      raw.stats.record_count,
      s?.record_count ?? '(none)',
      s?.total_amount.toFixed(2) ?? '',
    ]);
    results.push(
      expectEqual(
        `${describeWindow(w)}: curated = raw (records, distinct, total)`,
        `${raw.stats.record_count} ${raw.stats.distinct_orders} ${raw.stats.total_amount}`,
        s ? `${s.record_count} ${s.distinct_orders} ${s.total_amount}` : '(no summary)',
      ),
    );
  }
  if (show) {
    ctx.out.table({
      title: 'Every hour the demo delivered, recounted from raw/',
      columns: ['hour', 'raw files', 'raw records', 'curated records', 'curated total'],
      rows,
    });
  }
  return results;
}

const verifyEverything: Step<Demo2State> = {
  id: 'verify-everything',
  title: 'Verify every hour, the quarantine and the failures',
  narration: STEP_NARRATION['verify-everything']!,
  async run(ctx) {
    await everyHourChecks(ctx, true);
    const quarantined = await listKeys(ctx.aws.s3, need(ctx.state.bucket, 'the bucket'), QUARANTINE_PREFIX);
    ctx.out.say(`quarantine/ holds: ${quarantined.join(', ') || '(nothing)'}.`);
    const failed = await failedExecutions(ctx);
    ctx.out.say(`Executions still FAILED: ${failed.map(executionName).join(', ') || 'none'}.`);
  },
  async check(ctx) {
    const rejected = need(ctx.state.uploads.malformed, 'the rejected upload');
    const quarantined = await listKeys(ctx.aws.s3, need(ctx.state.bucket, 'the bucket'), QUARANTINE_PREFIX);
    const failed = await failedExecutions(ctx);
    return [
      ...(await everyHourChecks(ctx, false)),
      expectEqual(
        'quarantine/ holds exactly the rejected file',
        [rejected.key.replace(/^incoming\//, QUARANTINE_PREFIX)],
        quarantined,
      ),
      expectEqual(
        "the only FAILED execution is the rejected file's (the outage was redriven)",
        [executionName(executionOf(ctx, 'malformed'))],
        failed.map(executionName),
      ),
    ];
  },
};

export const recoverySteps: Step<Demo2State>[] = [
  removeLoadFault,
  redrive,
  fixAndReupload,
  verifyEverything,
  alarmOk,
];
