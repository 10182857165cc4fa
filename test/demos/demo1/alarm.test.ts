/**
 * demo1's alerting against a real embedded sandbox, through the demo's own steps: the alarm on the
 * function's Errors starts out of ALARM, a failing invocation of the real function moves it to ALARM
 * (history and state read back), the state-change event reaches the log group through the rule and
 * the Logs resource policy, and the teardown leaves no alarm, filter, rule, group or policy.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { connectTarget, type ConnectedTarget } from '../../../src/cloud/target.js';
import { targetTime } from '../../../src/course/targetTime.js';
import type { CheckResult, Step, StepContext } from '../../../src/course/model.js';
import { setupSteps } from '../../../demos/demo1-scheduler-lambda/steps/setup.js';
import { recoverySteps } from '../../../demos/demo1-scheduler-lambda/steps/recovery.js';
import { remainingResources } from '../../../demos/demo1-scheduler-lambda/steps/teardown.js';
import {
  alarmEpisode,
  deliveredAlarmEvents,
  stateTransitions,
  type StateTransition,
} from '../../../demos/demo1-scheduler-lambda/alerting.js';
import { initialDemo1State, type Demo1State } from '../../../demos/demo1-scheduler-lambda/state.js';
import { RecordingIO } from '../../course/fakes.js';

let home: string;
let target: ConnectedTarget;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'course-demo1-alarm-'));
  // A sandbox minute in one real second: the alarm is evaluated on the sandbox clock.
  target = await connectTarget({ kind: 'sandbox', timeScale: 60 }, { home });
}, 60_000);

afterAll(async () => {
  await target?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

function context(state: Demo1State, io: RecordingIO): StepContext<Demo1State> {
  return {
    aws: target.clients,
    target: target.info,
    clock: target.clock,
    time: targetTime('sandbox', target.clock),
    resources: target.resources('demo1'),
    state,
    out: io,
    calls: target.calls,
    signal: new AbortController().signal,
    teardown: () => target.teardown('demo1'),
  };
}

const step = (steps: Step<Demo1State>[], id: string): Step<Demo1State> => steps.find((s) => s.id === id)!;

async function runAndCheck(ctx: StepContext<Demo1State>, s: Step<Demo1State>): Promise<CheckResult[]> {
  await s.run(ctx);
  return s.check(ctx);
}

const failed = (results: CheckResult[]) => results.filter((r) => !r.passed);

describe('demo1 alerting on the sandbox', () => {
  it('the alarm goes to ALARM on a failed run, its event arrives, and teardown leaves nothing', async () => {
    const state = initialDemo1State();
    const io = new RecordingIO(false);
    const ctx = context(state, io);
    for (const id of ['create-bucket', 'create-role', 'create-log-group', 'deploy-function']) {
      expect(failed(await runAndCheck(ctx, step(setupSteps, id))), id).toEqual([]);
    }
    // Before anything fails: the alarm exists, is not in ALARM, and the route is in place.
    for (const id of ['alarm-on-errors', 'route-alarm-events', 'fail-loudly']) {
      expect(failed(await runAndCheck(ctx, step(recoverySteps, id))), id).toEqual([]);
    }
    const fires = step(recoverySteps, 'alarm-fires');
    // Nothing has failed yet: the check says so instead of passing.
    expect(failed(await fires.check(ctx)).map((r) => r.label)).toEqual([
      'the alarm went to ALARM once REQUIRE_INPUT=true (its history)',
      'its state now (DescribeAlarms)',
      'the "CloudWatch Alarm State Change" event reached the log group',
    ]);

    // The real function, for an hour with no data, with REQUIRE_INPUT=true: MissingInputError.
    const inv = await target.clients.lambda.send(
      new InvokeCommand({
        FunctionName: state.functionName,
        Payload: new TextEncoder().encode(JSON.stringify({ window: { dt: '2020-01-01', hour: '00' } })),
      }),
    );
    expect(inv.FunctionError).toBe('Unhandled');

    const results = await runAndCheck(ctx, fires);
    expect(failed(results)).toEqual([]);
    const toAlarm = (await stateTransitions(ctx, state.requireInputAt!)).filter((t) => t.to === 'ALARM');
    expect(toAlarm.length).toBeGreaterThanOrEqual(1);
    expect(toAlarm[0]!.reason).toMatch(/^Threshold Crossed: 1 datapoint \[1\.0 /);
    const events = await deliveredAlarmEvents(ctx, state.alarmCreatedAt!);
    expect(events.find((e) => e.state === 'ALARM')).toMatchObject({
      detailType: 'CloudWatch Alarm State Change',
      resources: [state.alarmArn],
      alarmName: state.alarmName,
      previous: 'OK',
    });
    expect(state.alarmFired?.eventLoggedAt).toBeDefined();
    expect(io.lines.join('\n')).toMatch(/OK → ALARM/);

    const report = await target.teardown('demo1');
    expect(report.failed).toEqual([]);
    expect(report.leftovers).toEqual([]);
    expect(report.deleted.map((r) => r.kind).sort()).toEqual(
      [
        'alarm',
        'events-rule',
        'iam-role',
        'lambda-function',
        'log-group',
        'log-group',
        'log-resource-policy',
        'metric-filter',
        's3-bucket',
      ].sort(),
    );
    expect(await remainingResources(ctx)).toEqual([]);
  }, 120_000);
});

describe('the ALARM episode for failures from a moment on', () => {
  const t = (at: number, from: string, to: string): StateTransition => ({ at, from, to, summary: '' });
  const history = [t(10, 'INSUFFICIENT_DATA', 'OK'), t(20, 'OK', 'ALARM'), t(30, 'ALARM', 'OK')];

  it('is the first change to ALARM at or after it', () => {
    expect(alarmEpisode(history, 15)).toEqual(history[1]);
    expect(alarmEpisode([...history, t(40, 'OK', 'ALARM')], 25)?.at).toBe(40);
  });
  it('is the change that put it there when the alarm was still in ALARM (a repeated run)', () => {
    expect(alarmEpisode(history, 25)).toEqual(history[1]);
  });
  it('is none when the alarm was OK then and has not fired since', () => {
    expect(alarmEpisode(history, 35)).toBeUndefined();
    expect(alarmEpisode(history.slice(0, 1), 15)).toBeUndefined();
  });
});
