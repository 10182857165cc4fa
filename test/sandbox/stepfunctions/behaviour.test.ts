import { afterEach, describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../../src/sandbox/stepfunctions/retry.js';
import { makeTempDir } from '../../helpers/sandbox.js';
import { createHarness, lambdaArn, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const pass = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };

describe('timeouts, waits and intrinsic functions', () => {
  it('times a Task out (TaskTimedOut, States.Timeout) and an execution out (TIMED_OUT)', async () => {
    h = await createHarness();
    h.functions.set('hang', () => new Promise(() => undefined));
    const sm = await h.createMachine('task-timeout', {
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'hang' },
          TimeoutSeconds: 30,
          End: true,
        },
      },
    });
    const d = await h.run(sm);
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect((await h.history(d.executionArn)).map((e) => e.type)).toContain('TaskTimedOut');

    const slow = await h.createMachine('exec-timeout', {
      TimeoutSeconds: 20,
      StartAt: 'W',
      States: { W: { Type: 'Wait', Seconds: 3600, End: true } },
    });
    const t = await h.run(slow);
    // As AWS: no error or cause on the execution; States.Timeout only in its ExecutionTimedOut event.
    expect(t.status).toBe('TIMED_OUT');
    expect(t.error).toBeUndefined();
    const last = (await h.history(t.executionArn)).at(-1)!;
    expect(last.type).toBe('ExecutionTimedOut');
    expect(last.executionTimedOutEventDetails).toEqual({ error: 'States.Timeout' });
  });

  it('waits until a Timestamp / TimestampPath on the sandbox clock', async () => {
    h = await createHarness();
    const sm = await h.createMachine('until', {
      StartAt: 'W',
      States: { W: { Type: 'Wait', TimestampPath: '$.at', End: true } },
    });
    const at = new Date(h.clock.now() + 60_000).toISOString();
    const d = await h.run(sm, { at });
    expect(d.status).toBe('SUCCEEDED');
    expect(d.stopDate * 1000).toBeGreaterThanOrEqual(Date.parse(at));
    const bad = await h.run(sm, { at: 'tomorrow' });
    expect(bad).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  it('evaluates intrinsic functions and context object members', async () => {
    h = await createHarness();
    const sm = await h.createMachine('intrinsics', {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Pass',
          Parameters: {
            'sum.$': 'States.MathAdd($.a, 5)',
            'parsed.$': 'States.StringToJson($.json)',
            'parts.$': "States.StringSplit($.csv, ',')",
            'hash.$': "States.Hash('abc', 'SHA-256')",
            'has.$': 'States.ArrayContains($.list, 2)',
            'name.$': '$$.Execution.Name',
            'role.$': '$$.Execution.RoleArn',
            'start.$': '$$.Execution.StartTime',
            'entered.$': '$$.State.EnteredTime',
          },
          End: true,
        },
      },
    });
    const d = await h.run(sm, { a: 1, json: '{"k":true}', csv: 'x,y', list: [1, 2] }, 'intr');
    const out = JSON.parse(d.output);
    expect(out).toMatchObject({
      sum: 6,
      parsed: { k: true },
      parts: ['x', 'y'],
      hash: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      has: true,
      name: 'intr',
      role: 'arn:aws:iam::000000000000:role/sfn-role',
    });
    expect(Date.parse(out.start)).toBe(d.startDate * 1000);
    expect(Date.parse(out.entered)).toBeGreaterThanOrEqual(d.startDate * 1000);
  });

  it('computes retry delays with backoff, MaxDelaySeconds and FULL jitter', () => {
    expect(retryDelayMs({ ErrorEquals: [] }, 0)).toBe(1000);
    expect(retryDelayMs({ ErrorEquals: [], IntervalSeconds: 3, BackoffRate: 2 }, 2)).toBe(12000);
    expect(retryDelayMs({ ErrorEquals: [], IntervalSeconds: 3, BackoffRate: 2, MaxDelaySeconds: 5 }, 2)).toBe(
      5000,
    );
    expect(retryDelayMs({ ErrorEquals: [], IntervalSeconds: 4, JitterStrategy: 'FULL' }, 0, () => 0.25)).toBe(
      1000,
    );
  });
});

describe('service behaviour', () => {
  it('publishes AWS/States metrics and logs at the configured level', async () => {
    h = await createHarness();
    const group = 'arn:aws:logs:us-east-1:000000000000:log-group:sfn-errors:*';
    const sm = await h.createMachine(
      'logged',
      { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'E', Cause: 'C' } } },
      {
        loggingConfiguration: {
          level: 'ERROR',
          includeExecutionData: false,
          destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: group } }],
        },
      },
    );
    const d = await h.run(sm, { secret: 1 });
    await new Promise((r) => setImmediate(r));
    const lines = h.logs.flatMap((l) => l.events.map((e) => JSON.parse(e.message)));
    expect(h.logs.every((l) => l.group === 'sfn-errors' && l.stream.startsWith('states/logged/'))).toBe(true);
    expect(lines.map((l) => l.type)).toEqual(['ExecutionFailed']);
    expect(lines[0]).toMatchObject({ execution_arn: d.executionArn, details: { error: 'E', cause: 'C' } });
    const names = h.metrics.filter((m) => m.namespace === 'AWS/States').map((m) => m.metricName);
    expect(names).toEqual(expect.arrayContaining(['ExecutionsStarted', 'ExecutionsFailed', 'ExecutionTime']));
    expect(h.metrics[0]!.dimensions).toEqual([{ Name: 'StateMachineArn', Value: sm }]);
  });

  it('starts executions for EventBridge through the starter, with StartExecution errors', async () => {
    h = await createHarness();
    const sm = await h.createMachine('from-events', pass);
    const r = await h.service.starter.startExecution({
      region: 'us-east-1',
      stateMachineArn: sm,
      input: '{"e":1}',
    });
    expect(r.executionArn).toContain(':execution:from-events:');
    expect((await h.waitDone(r.executionArn)).output).toBe('{"e":1}');
    await expect(
      h.service.starter.startExecution({ region: 'us-east-1', stateMachineArn: `${sm}x`, input: '{}' }),
    ).rejects.toMatchObject({ code: 'StateMachineDoesNotExist' });
    await expect(
      h.service.starter.startExecution({ region: 'us-east-1', stateMachineArn: sm, input: 'nope' }),
    ).rejects.toMatchObject({ code: 'InvalidExecutionInput' });
  });

  it('stops running executions when their state machine is deleted', async () => {
    h = await createHarness();
    const sm = await h.createMachine('doomed', {
      StartAt: 'W',
      States: { W: { Type: 'Wait', Seconds: 99999, End: true } },
    });
    const { executionArn } = await h.call('StartExecution', { stateMachineArn: sm });
    await h.call('DeleteStateMachine', { stateMachineArn: sm });
    const describing = await h.call('DescribeStateMachine', { stateMachineArn: sm }).catch((e) => e);
    expect(describing.status ?? describing.code).toMatch(/DELETING|StateMachineDoesNotExist/);
    await expect(h.call('StartExecution', { stateMachineArn: sm })).rejects.toMatchObject({
      code: expect.stringMatching(/StateMachineDeleting|StateMachineDoesNotExist/),
    });
    for (let i = 0; i < 100; i++) {
      const e = await h.call('DescribeExecution', { executionArn }).catch((err) => err);
      if (e.code === 'ExecutionDoesNotExist') return;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error('execution of a deleted state machine still exists');
  });

  it('marks executions interrupted by a crash as ABORTED and not redrivable', async () => {
    const stateDir = makeTempDir('sfn-crash-');
    h = await createHarness({ stateDir });
    h.functions.set('slow', () => new Promise(() => undefined));
    const sm = await h.createMachine('crashy', {
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: lambdaArn('slow'), End: true } },
    });
    const { executionArn } = await h.call('StartExecution', { stateMachineArn: sm, input: '{"i":1}' });
    await new Promise((r) => setTimeout(r, 20));
    h.store.flushAll(); // what was on disk when the process died; no clean stop
    h.clock.stop();
    h = await createHarness({ stateDir });
    const d = await h.call('DescribeExecution', { executionArn });
    expect(d).toMatchObject({
      status: 'ABORTED',
      error: 'Sandbox.Interrupted',
      input: '{"i":1}',
      redriveStatus: 'NOT_REDRIVABLE',
    });
    const types = (await h.history(executionArn)).map((e) => e.type);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types.at(-1)).toBe('ExecutionAborted');
  });
});
