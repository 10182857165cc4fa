import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../helpers/sandbox.js';
import { FunctionError, createHarness, lambdaArn, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const chain = {
  StartAt: 'First',
  States: {
    First: { Type: 'Task', Resource: lambdaArn('first'), ResultPath: '$.first', Next: 'Second' },
    Second: { Type: 'Task', Resource: lambdaArn('second'), ResultPath: '$.second', End: true },
  },
};

describe('RedriveExecution', () => {
  it('resumes at the failed state without re-running the states that succeeded', async () => {
    h = await createHarness();
    let secondFails = true;
    h.functions.set('first', () => 'one');
    h.functions.set('second', () => {
      if (secondFails) throw new FunctionError('NotYet', 'second is not ready');
      return 'two';
    });
    const sm = await h.createMachine('redrive-me', chain);
    const failed = await h.run(sm, { start: 1 });
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toBe('NotYet');
    expect(failed.redriveStatus).toBe('REDRIVABLE');

    secondFails = false;
    const { redriveDate } = await h.call('RedriveExecution', { executionArn: failed.executionArn });
    expect(typeof redriveDate).toBe('number');
    const done = await h.waitDone(failed.executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.redriveCount).toBe(1);
    expect(JSON.parse(done.output)).toEqual({ start: 1, first: 'one', second: 'two' });
    expect(h.invocations.filter((i) => i.functionName === 'first')).toHaveLength(1);

    const types = (await h.history(failed.executionArn)).map((e) => e.type);
    const redriven = types.indexOf('ExecutionRedriven');
    expect(redriven).toBeGreaterThan(types.indexOf('ExecutionFailed'));
    expect(types.slice(redriven)).toEqual([
      'ExecutionRedriven',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    const listed = await h.call('ListExecutions', { stateMachineArn: sm, redriveFilter: 'REDRIVEN' });
    expect(listed.executions.map((e: { name: string }) => e.name)).toEqual([failed.name]);

    const again = await h.fail('RedriveExecution', { executionArn: failed.executionArn });
    expect(again.code).toBe('ExecutionNotRedrivable');
  });

  it('re-runs only the failed iterations of an inline Map', async () => {
    h = await createHarness();
    let broken = true;
    h.functions.set('item', (e) => {
      const n = e as number;
      if (n === 2 && broken) throw new FunctionError('BadItem', 'item 2 failed');
      return n * 10;
    });
    const sm = await h.createMachine('map-redrive', {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          MaxConcurrency: 1,
          ItemProcessor: {
            StartAt: 'Do',
            States: { Do: { Type: 'Task', Resource: lambdaArn('item'), End: true } },
          },
          End: true,
        },
      },
    });
    const failed = await h.run(sm, [1, 2, 3]);
    expect(failed.status).toBe('FAILED');
    broken = false;
    const before = h.invocations.length;
    await h.call('RedriveExecution', { executionArn: failed.executionArn });
    const done = await h.waitDone(failed.executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output)).toEqual([10, 20, 30]);
    // Item 1 succeeded before the redrive and is not invoked again; 2 failed and 3 was aborted/not started.
    expect(h.invocations.slice(before).map((i) => i.payload)).toEqual([2, 3]);
  });

  it('refuses a succeeded execution', async () => {
    h = await createHarness();
    const sm = await h.createMachine('ok', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const d = await h.run(sm, {});
    expect(d.redriveStatus).toBe('NOT_REDRIVABLE');
    const err = await h.fail('RedriveExecution', { executionArn: d.executionArn });
    expect(err.code).toBe('ExecutionNotRedrivable');
  });

  it('an execution running at a clean stop is ABORTED and can be redriven after restart', async () => {
    const stateDir = makeTempDir('sfn-restart-');
    h = await createHarness({ stateDir });
    h.functions.set('first', () => 'one');
    h.functions.set('second', () => 'two');
    const sm = await h.createMachine('slow', {
      StartAt: 'First',
      States: {
        First: { Type: 'Task', Resource: lambdaArn('first'), ResultPath: '$.first', Next: 'Pause' },
        Pause: { Type: 'Wait', Seconds: 1500, Next: 'Second' },
        Second: { Type: 'Task', Resource: lambdaArn('second'), ResultPath: '$.second', End: true },
      },
    });
    const { executionArn } = await h.call('StartExecution', { stateMachineArn: sm, input: '{}' });
    for (let i = 0; i < 200; i++) {
      const types = (await h.history(executionArn)).map((e) => e.type);
      if (types.includes('WaitStateEntered')) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    await h.stop();

    h = await createHarness({ stateDir });
    h.functions.set('first', () => 'one');
    h.functions.set('second', () => 'two');
    const d = await h.call('DescribeExecution', { executionArn });
    expect(d.status).toBe('ABORTED');
    expect(d.error).toBe('Sandbox.Stopped');
    expect(d.redriveStatus).toBe('REDRIVABLE');
    expect((await h.history(executionArn)).map((e) => e.type)).toContain('WaitStateAborted');
    await h.call('RedriveExecution', { executionArn });
    const done = await h.waitDone(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(h.invocations.map((i) => i.functionName)).toEqual(['second']);
  });
});
