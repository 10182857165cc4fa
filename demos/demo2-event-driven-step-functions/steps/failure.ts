/**
 * Failure, three ways: transient faults absorbed by Retry, a malformed file caught and quarantined,
 * and a destination outage that fails the execution at Load.
 */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { CheckResult, Step, StepContext } from '../../../src/course/model.js';
import { shortCause } from '../../../src/course/execution/executionProgress.js';
import { expectEqual, expectThat } from '../../shared/checks.js';
import { describeWindow, rawPrefix } from '../../shared/hourWindows.js';
import { listKeys, readSummary } from '../../shared/orderStore.js';
import { changeEnvironment, readEnvironment } from '../../shared/functionEnvironment.js';
import { STEP_NARRATION } from '../narration.js';
import { executionOf, readExecution, stateRuns, watchExecution } from '../pipelineRuns.js';
import { incomingFile } from '../sampleFiles.js';
import {
  alarmTransitions,
  describeAlarm,
  executionsFailedMetric,
  transitionTable,
  waitForAlarmChange,
} from '../alarmWatch.js';
import { alignDown, describeReading, readMetrics, type MetricReading } from '../../shared/metrics.js';
import { atLeastCheck, NOT_PUBLISHED } from '../../shared/metricWaits.js';
import { concludeFromSignals, nameList, signalsTable, type Signal } from '../../../src/course/signals.js';
import { need, type Demo2State } from '../state.js';
import { deliver, succeededRunChecks } from './execution.js';

type Ctx = StepContext<Demo2State>;

export const TRANSIENT_FAILURES = 2;
export const LOAD_FAULT_VALUE = 'unavailable';

const fnName = (ctx: Ctx, fn: 'validate' | 'transform' | 'load'): string =>
  need(ctx.state.functions, 'the functions')[fn].name;

/** The task events of one state (by the state entered before them), as table rows. */
export function taskEventRows(
  events: HistoryEvent[],
  state: string,
): Array<[string, number, string, string]> {
  const rows: Array<[string, number, string, string]> = [];
  let current: string | undefined;
  const start = events[0]?.timestamp?.getTime() ?? 0;
  for (const e of events) {
    if (e.type?.endsWith('StateEntered')) current = e.stateEnteredEventDetails?.name;
    if (current !== state) continue;
    if (e.type?.endsWith('StateExited')) current = undefined;
    const failure = e.taskFailedEventDetails;
    // The whole cause: the table wraps it.
    const detail = failure
      ? `${failure.error} — ${shortCause(failure.cause, Number.POSITIVE_INFINITY) ?? ''}`
      : '';
    rows.push([
      `+${(((e.timestamp?.getTime() ?? start) - start) / 1000).toFixed(1)} s`,
      e.id ?? 0,
      e.type ?? '',
      detail,
    ]);
  }
  return rows;
}

const transientFaults: Step<Demo2State> = {
  id: 'transient-faults',
  title: 'Transient faults in transform: Retry absorbs them',
  narration: STEP_NARRATION['transient-faults']!,
  async run(ctx) {
    const transform = fnName(ctx, 'transform');
    await changeEnvironment(ctx, transform, { FAIL_FIRST_ATTEMPTS: String(TRANSIENT_FAILURES) });
    ctx.out.say(
      `${transform} now fails its first ${TRANSIENT_FAILURES} attempts of every file (FAIL_FIRST_ATTEMPTS=${TRANSIENT_FAILURES}).`,
    );
    try {
      const arn = await deliver(ctx, 'flaky');
      const followed = await watchExecution(ctx, arn);
      ctx.out.table({
        title: "Transform's events in the history",
        columns: ['when', 'id', 'event', 'error'],
        rows: taskEventRows(followed.events, 'Transform'),
      });
    } finally {
      // The fault belongs to this step only: later files should not pay for it.
      await changeEnvironment(ctx, transform, { FAIL_FIRST_ATTEMPTS: undefined });
      ctx.out.say(`FAIL_FIRST_ATTEMPTS removed from ${transform} again.`);
    }
  },
  async check(ctx) {
    const exec = await readExecution(ctx, executionOf(ctx, 'flaky'));
    const failures = exec.events
      .filter((e) => e.type === 'TaskFailed')
      .map((e) => e.taskFailedEventDetails?.error);
    const env = await readEnvironment(ctx, fnName(ctx, 'transform'));
    return [
      ...(await succeededRunChecks(ctx, 'flaky')),
      expectEqual(
        'Transform attempts (1 + retries)',
        TRANSIENT_FAILURES + 1,
        stateRuns(exec.progress).Transform?.attempts,
      ),
      expectEqual('failed attempts, by error', Array(TRANSIENT_FAILURES).fill('TransientError'), failures),
      expectEqual('the fault is switched off again', '(none)', env.variables.FAIL_FIRST_ATTEMPTS ?? '(none)'),
    ];
  },
};

const malformedFile: Step<Demo2State> = {
  id: 'malformed-file',
  title: 'A malformed file: caught, quarantined, and the execution fails with the reason',
  narration: STEP_NARRATION['malformed-file']!,
  async run(ctx) {
    const file = incomingFile(ctx.state.seed, need(ctx.state.window, "the demo's hour"), 'malformed');
    ctx.out.table({
      title: 'What is wrong with the file (on purpose)',
      columns: ['line', 'problem'],
      rows: file.defects.map((d) => [d.line, d.problem]),
    });
    const arn = await deliver(ctx, 'malformed');
    await watchExecution(ctx, arn);
    const exec = await readExecution(ctx, arn);
    ctx.out.table({
      title: 'DescribeExecution',
      columns: ['field', 'value'],
      rows: [
        ['status', exec.status ?? '?'],
        ['error', exec.error ?? ''],
        ['cause', exec.cause ?? ''],
      ],
    });
  },
  async check(ctx) {
    const upload = need(ctx.state.uploads.malformed, 'the malformed upload');
    const exec = await readExecution(ctx, executionOf(ctx, 'malformed'));
    const bucket = need(ctx.state.bucket, 'the bucket');
    const file = incomingFile(ctx.state.seed, need(ctx.state.window, "the demo's hour"), 'malformed');
    const quarantined = upload.key.replace(/^incoming\//, 'quarantine/');
    const [inQuarantine, stillIncoming, rawKeys] = await Promise.all([
      listKeys(ctx.aws.s3, bucket, quarantined),
      listKeys(ctx.aws.s3, bucket, upload.key),
      listKeys(ctx.aws.s3, bucket, rawPrefix(upload.window)),
    ]);
    const size = inQuarantine.length
      ? (await ctx.aws.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: quarantined }))).ContentLength
      : undefined;
    const runs = stateRuns(exec.progress);
    return [
      expectEqual('execution status and error', 'FAILED OrdersFileRejected', `${exec.status} ${exec.error}`),
      expectThat(
        'the cause names both bad lines and where the file went',
        !!exec.cause &&
          /line 3/.test(exec.cause) &&
          /line 7/.test(exec.cause) &&
          exec.cause.includes(quarantined),
        `mentions line 3, line 7 and ${quarantined}`,
        exec.cause ?? '(none)',
      ),
      expectEqual('the file is in quarantine/, byte for byte', Buffer.byteLength(file.body), size),
      expectEqual('… and no longer in incoming/', [], stillIncoming),
      expectEqual('Transform and Load never ran', '0 0', `${runs.Transform?.entries} ${runs.Load?.entries}`),
      expectEqual(`nothing was written to raw/ for ${describeWindow(upload.window)}`, [], rawKeys),
    ];
  },
};

const loadOutage: Step<Demo2State> = {
  id: 'load-outage',
  title: 'The destination is down: the execution fails at Load',
  narration: STEP_NARRATION['load-outage']!,
  async run(ctx) {
    const load = fnName(ctx, 'load');
    await changeEnvironment(ctx, load, { LOAD_FAULT: LOAD_FAULT_VALUE });
    ctx.out.say(
      `${load} now refuses to write (LOAD_FAULT=${LOAD_FAULT_VALUE}) until recovery removes the fault.`,
    );
    const arn = await deliver(ctx, 'blocked');
    const followed = await watchExecution(ctx, arn);
    ctx.state.redrive = { executionArn: arn, lastEventIdBefore: followed.events.at(-1)?.id ?? 0 };
    ctx.out.table({
      title: "Load's events in the history",
      columns: ['when', 'id', 'event', 'error'],
      rows: taskEventRows(followed.events, 'Load'),
    });
  },
  async check(ctx) {
    const upload = need(ctx.state.uploads.blocked, 'the blocked upload');
    const exec = await readExecution(ctx, executionOf(ctx, 'blocked'));
    const bucket = need(ctx.state.bucket, 'the bucket');
    const runs = stateRuns(exec.progress);
    const rawKeys = await listKeys(ctx.aws.s3, bucket, rawPrefix(upload.window));
    const curated = await readSummary(ctx.aws.s3, bucket, upload.window);
    const results: CheckResult[] = [
      expectEqual(
        'execution status and error',
        'FAILED DestinationUnavailableError',
        `${exec.status} ${exec.error}`,
      ),
      expectEqual(
        'Load failed after its 2 retries',
        'failed 3',
        `${exec.progress.states.get('Load')?.status} ${runs.Load?.attempts}`,
      ),
      expectEqual(
        'Validate and Transform succeeded before it',
        'succeeded succeeded',
        `${exec.progress.states.get('Validate')?.status} ${exec.progress.states.get('Transform')?.status}`,
      ),
      expectEqual(`Transform's output is in raw/ for ${describeWindow(upload.window)}`, 1, rawKeys.length),
      expectEqual('no curated summary for that hour yet', '(none)', curated ? 'present' : '(none)'),
    ];
    return results;
  },
};

/** When the first failed execution of this phase stopped (Step Functions' time). */
async function firstFailureAt(ctx: Ctx): Promise<number> {
  const exec = await readExecution(ctx, executionOf(ctx, 'malformed'));
  return need(exec.stopDate, "when the rejected file's execution stopped");
}

const alarmFires: Step<Demo2State> = {
  id: 'alarm-fires',
  title: 'The alarm fires',
  narration: STEP_NARRATION['alarm-fires']!,
  async run(ctx) {
    const name = need(ctx.state.alarmName, 'the alarm');
    const since = await firstFailureAt(ctx);
    const history = await waitForAlarmChange(
      ctx,
      name,
      'ALARM',
      since,
      'Waiting for the alarm to go to ALARM',
    );
    const alarmAt = history.find((h) => h.to === 'ALARM' && h.at >= since)!.at;
    ctx.state.alarm = { ...ctx.state.alarm, alarmAt };
    const m = await readFailedExecutions(ctx, since);
    const now = await describeAlarm(ctx, name);
    const signals = alarmSignals(ctx, alarmAt, now?.state, m);
    ctx.out.table(signalsTable(`What an on-call engineer would see (alarm ${name})`, signals));
    ctx.out.table(transitionTable('Its state changes (DescribeAlarmHistory)', history, ctx.time));
    ctx.out.say(alarmConclusion(signals, now?.state).text);
  },
  async check(ctx) {
    const name = need(ctx.state.alarmName, 'the alarm');
    const since = await firstFailureAt(ctx);
    const history = await alarmTransitions(ctx, name);
    const fired = history.find((h) => h.to === 'ALARM' && h.at >= since);
    const blocked = await readExecution(ctx, executionOf(ctx, 'blocked'));
    return [
      expectThat(
        'the alarm changed to ALARM after the first failed execution',
        fired !== undefined,
        `a change to ALARM at or after ${ctx.time.clockTime(since)}`,
        fired
          ? `${fired.from} → ALARM at ${ctx.time.clockTime(fired.at)}`
          : `no such change (${history.length} changes)`,
      ),
      atLeastCheck(
        'AWS/States ExecutionsFailed (Sum) since the first failure',
        await readFailedExecutions(ctx, since),
        2,
        need(blocked.stopDate, 'when the blocked execution stopped'),
        'the rejected file and the outage',
      ),
    ];
  },
};

/** The alarm's signals, each judged from what CloudWatch returned. */
function alarmSignals(ctx: Ctx, alarmAt: number, state: string | undefined, failed: MetricReading): Signal[] {
  return [
    { name: 'alarm fired', value: `ALARM at ${ctx.time.at(alarmAt)}`, status: 'failing', looks: 'FIRED' },
    {
      name: 'alarm now',
      value: state ?? '(none)',
      status: state === 'ALARM' ? 'failing' : state === 'OK' ? 'healthy' : 'pending',
    },
    {
      name: 'ExecutionsFailed since the first failure',
      value: describeReading(failed),
      status: failed.total > 0 ? 'failing' : 'pending',
      looks: failed.total > 0 ? 'FAILING' : NOT_PUBLISHED,
    },
  ];
}

/** The sentence under the signals: computed from them, so it cannot contradict the table. */
export function alarmConclusion(signals: Signal[], state: string | undefined) {
  const cleared =
    state === 'OK'
      ? ' It is already back to OK: a quiet minute counts as 0 (FILL), so it clears once the minutes it ' +
        'judges have no failure — the history above shows it fired.'
      : '';
  return concludeFromSignals(signals, {
    allHealthy: 'Nothing is failing: the alarm has not fired and ExecutionsFailed counts none.',
    someFailing: (failing) =>
      `The failures were noticed without anyone watching: ${nameList(failing)} ${failing.length === 1 ? 'shows' : 'show'} them.${cleared}`,
    somePending: (pending) => `${nameList(pending)}: not known yet.${cleared}`,
  });
}

/** ExecutionsFailed of the pipeline from `since` to the end of the current minute. */
async function readFailedExecutions(ctx: Ctx, since: number) {
  const metric = executionsFailedMetric(need(ctx.state.stateMachineArn, 'the state machine'));
  const refs = {
    failed: {
      namespace: metric.namespace,
      metricName: metric.metricName,
      dimensions: metric.dimensions ?? {},
    },
  };
  const r = await readMetrics(ctx.aws.cloudwatch, refs, {
    startTime: alignDown(since),
    endTime: alignDown(ctx.clock.now()) + 60_000,
  });
  return r.failed;
}

export const failureSteps: Step<Demo2State>[] = [transientFaults, malformedFile, loadOutage, alarmFires];
