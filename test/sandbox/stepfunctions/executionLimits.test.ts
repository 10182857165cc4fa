/**
 * How AWS ends an execution on its own, through the SDK against the sandbox: a state machine's
 * TimeoutSeconds (TIMED_OUT at the deadline exactly, no error or cause on the execution, one
 * ExecutionTimedOut event pointing at no earlier event) and a full history (FAILED with
 * States.Runtime as the 25,000th event).
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
  sb = await startTestSandbox({ timeScale: 50 });
  sfn = new SFNClient(sb.clientConfig);
  role = await createRole(sb, 'limits-role');
});
afterAll(async () => {
  await sb?.stop();
});

async function start(name: string, definition: unknown, input: unknown = {}): Promise<string> {
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
  return executionArn!;
}

describe('executions AWS ends on its own', () => {
  it('TimeoutSeconds: TIMED_OUT at the deadline, the error only in the ExecutionTimedOut event', async () => {
    const arn = await start('top-wait', {
      StartAt: 'W',
      TimeoutSeconds: 3,
      States: { W: { Type: 'Wait', Seconds: 25, End: true } },
    });
    await waitForExecution(sfn, arn);
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(d.status).toBe('TIMED_OUT');
    expect(d.error).toBeUndefined();
    expect(d.cause).toBeUndefined();
    expect(d.stopDate!.getTime() - d.startDate!.getTime()).toBe(3000);
    expect(d.redriveStatus).toBe('REDRIVABLE');
    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn }));
    expect(events!.map((e) => [e.id, e.previousEventId, e.type])).toEqual([
      [1, 0, 'ExecutionStarted'],
      [2, 1, 'WaitStateEntered'],
      [3, 0, 'ExecutionTimedOut'],
    ]);
    expect(events![2]!.executionTimedOutEventDetails).toEqual({ error: 'States.Timeout' });
  });

  it('a full history: FAILED, States.Runtime, and ExecutionFailed is the 25,000th event', async () => {
    // AWS's own example: a Choice looping forever on {"spin": true}.
    const arn = await start(
      'runaway',
      {
        StartAt: 'Loop',
        States: {
          Loop: {
            Type: 'Choice',
            Choices: [{ Variable: '$.spin', BooleanEquals: true, Next: 'Loop' }],
            Default: 'Done',
          },
          Done: { Type: 'Succeed' },
        },
      },
      { spin: true },
    );
    // Meanwhile the sandbox keeps answering: the loop does not hold the event loop until its end.
    const meanwhile = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(meanwhile.status).toBe('RUNNING');
    const d = await waitForExecution(sfn, arn, 120_000);
    expect(d).toMatchObject({
      status: 'FAILED',
      error: 'States.Runtime',
      cause: 'The execution reached the maximum number of history events (25000).',
    });
    const { events } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: arn, reverseOrder: true, maxResults: 2 }),
    );
    expect(events!.map((e) => [e.id, e.previousEventId, e.type])).toEqual([
      [25000, 24999, 'ExecutionFailed'],
      [24999, 24998, 'ChoiceStateExited'],
    ]);
  }, 180_000);
});
