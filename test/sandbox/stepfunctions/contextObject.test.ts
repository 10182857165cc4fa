/**
 * The context object `$$` is exactly AWS's (Execution, State, StateMachine, and Map.Item inside a
 * Map), with StartTime equal to the execution's startDate; literal strings that contain `$$.` pass
 * through untouched — through the SDK against the sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { createRole, waitForExecution } from './fixtures.js';

let sb: TestSandbox;
let sfn: SFNClient;
let role: string;

beforeAll(async () => {
  sb = await startTestSandbox();
  sfn = new SFNClient(sb.clientConfig);
  role = await createRole(sb, 'context-role');
});
afterAll(async () => {
  await sb?.stop();
});

async function execute(name: string, definition: unknown, input: unknown) {
  const made = await sfn.send(
    new CreateStateMachineCommand({ name, roleArn: role, definition: JSON.stringify(definition) }),
  );
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn: made.stateMachineArn,
      name: `${name}-run`,
      input: JSON.stringify(input),
    }),
  );
  const done = await waitForExecution(sfn, executionArn!);
  expect(done.status).toBe('SUCCEEDED');
  const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  return {
    made,
    executionArn: executionArn!,
    done,
    output: JSON.parse(done.output!),
    history: history.events!,
  };
}

describe('the context object', () => {
  it('is exactly AWS’s, StartTime equal to startDate and EnteredTime to the state’s entered event', async () => {
    const input = { order: 7 };
    const { made, executionArn, output, history } = await execute(
      'ctx-whole',
      { StartAt: 'Look', States: { Look: { Type: 'Pass', Parameters: { 'ctx.$': '$$' }, End: true } } },
      input,
    );
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const entered = history.find((e) => e.type === 'PassStateEntered')!;
    expect(output.ctx).toEqual({
      Execution: {
        Id: executionArn,
        Input: input,
        Name: 'ctx-whole-run',
        RoleArn: role,
        StartTime: described.startDate!.toISOString(),
        RedriveCount: 0,
      },
      State: { Name: 'Look', EnteredTime: entered.timestamp!.toISOString(), RetryCount: 0 },
      StateMachine: { Id: made.stateMachineArn, Name: 'ctx-whole' },
    });
  });

  it('members read by path and inside intrinsic functions; literal "$$." strings are untouched', async () => {
    const { executionArn, output } = await execute(
      'ctx-paths',
      {
        StartAt: 'Literal',
        States: {
          Literal: {
            Type: 'Pass',
            Result: { note: 'read $$.Execution.Input for the input' },
            ResultPath: '$.fromResult',
            Next: 'Read',
          },
          Read: {
            Type: 'Pass',
            Parameters: {
              'input.$': '$$.Execution.Input',
              'start.$': '$$.Execution.StartTime',
              literal: 'see $$.Execution.StartTime',
              'formatted.$': "States.Format('{} ran as $$.Execution.Name', $$.Execution.Name)",
              'kept.$': '$.fromResult.note',
            },
            End: true,
          },
        },
      },
      { a: 1 },
    );
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(output).toEqual({
      input: { a: 1 },
      start: described.startDate!.toISOString(),
      literal: 'see $$.Execution.StartTime',
      formatted: 'ctx-paths-run ran as $$.Execution.Name',
      kept: 'read $$.Execution.Input for the input',
    });
  });

  it('inside a Map iteration it has Map.Item (Index, Value), and State is the iteration’s state', async () => {
    const { output } = await execute(
      'ctx-map',
      {
        StartAt: 'Each',
        States: {
          Each: {
            Type: 'Map',
            ItemsPath: '$.items',
            ItemSelector: { 'index.$': '$$.Map.Item.Index', 'value.$': '$$.Map.Item.Value' },
            ItemProcessor: {
              StartAt: 'Inner',
              States: {
                Inner: { Type: 'Pass', Parameters: { 'item.$': '$', 'state.$': '$$.State.Name' }, End: true },
              },
            },
            End: true,
          },
        },
      },
      { items: ['a', 'b'] },
    );
    expect(output).toEqual([
      { item: { index: 0, value: 'a' }, state: 'Inner' },
      { item: { index: 1, value: 'b' }, state: 'Inner' },
    ]);
  });
});
