import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FunctionError, createHarness, lambdaArn, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.stop();
});

describe('execution semantics', () => {
  it('runs Pass, Task (plain ARN and lambda:invoke) and returns the output', async () => {
    h.functions.set('add', (e) => ({ sum: (e as { a: number; b: number }).a + (e as { b: number }).b }));
    const sm = await h.createMachine('chain', {
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Result: { a: 1, b: 2 }, ResultPath: '$.nums', Next: 'Plain' },
        Plain: {
          Type: 'Task',
          Resource: lambdaArn('add'),
          InputPath: '$.nums',
          ResultPath: '$.plain',
          Next: 'Invoke',
        },
        Invoke: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'add', Payload: { 'a.$': '$.plain.sum', b: 10 } },
          ResultSelector: { 'value.$': '$.Payload.sum', 'code.$': '$.StatusCode' },
          End: true,
        },
      },
    });
    const d = await h.run(sm, { keep: true });
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output)).toEqual({ value: 13, code: 200 });
    const types = (await h.history(d.executionArn)).map((e) => e.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('retries with backoff on the sandbox clock, then catches into a handler state', async () => {
    let calls = 0;
    h.functions.set('flaky', () => {
      calls++;
      throw new FunctionError('TransientError', 'try again');
    });
    const sm = await h.createMachine('retry', {
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'flaky', 'Payload.$': '$' },
          Retry: [{ ErrorEquals: ['TransientError'], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 2 }],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Handled' }],
          End: true,
        },
        Handled: { Type: 'Pass', End: true },
      },
    });
    const d = await h.run(sm, { x: 1 });
    expect(d.status).toBe('SUCCEEDED');
    expect(calls).toBe(3);
    const out = JSON.parse(d.output);
    expect(out.x).toBe(1);
    expect(out.error.Error).toBe('TransientError');
    expect(JSON.parse(out.error.Cause).errorMessage).toBe('try again');
    const events = await h.history(d.executionArn);
    const failed = events.filter((e) => e.type === 'TaskFailed');
    expect(failed).toHaveLength(3);
    // 2 s then 4 s of sandbox time between attempts.
    const scheduled = events.filter((e) => e.type === 'TaskScheduled').map((e) => e.timestamp * 1000);
    expect(scheduled[1]! - scheduled[0]!).toBeGreaterThanOrEqual(2000);
    expect(scheduled[2]! - scheduled[1]!).toBeGreaterThanOrEqual(4000);
  });

  it('Choice, Wait (SecondsPath), Fail with error and cause', async () => {
    const sm = await h.createMachine('choice', {
      StartAt: 'Pick',
      States: {
        Pick: {
          Type: 'Choice',
          Choices: [{ Variable: '$.n', NumericGreaterThan: 5, Next: 'Big' }],
          Default: 'Small',
        },
        Big: { Type: 'Wait', SecondsPath: '$.wait', Next: 'Done' },
        Small: { Type: 'Fail', Error: 'TooSmall', Cause: 'n must exceed 5' },
        Done: { Type: 'Succeed' },
      },
    });
    const started = h.clock.now();
    const big = await h.run(sm, { n: 7, wait: 30 });
    expect(big.status).toBe('SUCCEEDED');
    expect(big.stopDate * 1000 - started).toBeGreaterThanOrEqual(30_000);
    const small = await h.run(sm, { n: 1 });
    expect(small.status).toBe('FAILED');
    expect(small.error).toBe('TooSmall');
    expect(small.cause).toBe('n must exceed 5');
    const types = (await h.history(small.executionArn)).map((e) => e.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'FailStateEntered',
      'ExecutionFailed',
    ]);
  });

  it('Map with ItemsPath, ItemSelector and the context object; Parallel branches', async () => {
    h.functions.set('double', (e) => (e as { v: number }).v * 2);
    const sm = await h.createMachine('fanout', {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          MaxConcurrency: 2,
          ItemSelector: { 'v.$': '$$.Map.Item.Value', 'i.$': '$$.Map.Item.Index' },
          ItemProcessor: {
            StartAt: 'Double',
            States: { Double: { Type: 'Task', Resource: lambdaArn('double'), End: true } },
          },
          ResultPath: '$.doubled',
          Next: 'Both',
        },
        Both: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'A',
              States: {
                A: {
                  Type: 'Pass',
                  Parameters: { 'id.$': '$$.Execution.Id', 'state.$': '$$.State.Name' },
                  End: true,
                },
              },
            },
            {
              StartAt: 'B',
              States: {
                B: {
                  Type: 'Pass',
                  Parameters: {
                    'len.$': 'States.ArrayLength($.doubled)',
                    'msg.$': "States.Format('first={}', $.doubled[0])",
                    'orig.$': '$$.Execution.Input.items',
                    'sm.$': '$$.StateMachine.Name',
                  },
                  End: true,
                },
              },
            },
          ],
          End: true,
        },
      },
    });
    const d = await h.run(sm, { items: [1, 2, 3] }, 'exec-1');
    expect(d.status).toBe('SUCCEEDED');
    const [a, b] = JSON.parse(d.output);
    expect(a).toEqual({ id: d.executionArn, state: 'A' });
    expect(b).toEqual({ len: 3, msg: 'first=2', orig: [1, 2, 3], sm: 'fanout' });
    const events = await h.history(d.executionArn);
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'MapIterationStarted')).toHaveLength(3);
    expect(types.filter((t) => t === 'MapIterationSucceeded')).toHaveLength(3);
    expect(types).toContain('MapStateStarted');
    expect(types).toContain('MapStateSucceeded');
    expect(types).toContain('ParallelStateStarted');
    expect(types).toContain('ParallelStateSucceeded');
    const mapStarted = events.find((e) => e.type === 'MapStateStarted')!;
    expect(mapStarted.mapStateStartedEventDetails).toEqual({ length: 3 });
    // Event ids are sequential and every event points at an earlier one.
    events.forEach((e, i) => {
      expect(e.id).toBe(i + 1);
      expect(e.previousEventId).toBeLessThan(e.id);
    });
  });
});
