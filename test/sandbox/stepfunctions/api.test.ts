import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  ListTagsForResourceCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { createRole, rejectsWith, waitForExecution } from './fixtures.js';

let sb: TestSandbox;
let sfn: SFNClient;
let role: string;

const passDef = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
const waitDef = JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } });

beforeAll(async () => {
  sb = await startTestSandbox();
  sfn = new SFNClient(sb.clientConfig);
  role = await createRole(sb, 'sfn-api-role');
});
afterAll(async () => {
  await sb?.stop();
});

const create = (name: string, definition = passDef, more: Record<string, unknown> = {}) =>
  sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: role, ...more }));

describe('state machines', () => {
  it('creates, describes, updates, lists, tags and deletes', async () => {
    const made = await create('api-basic', passDef, { tags: [{ key: 'course', value: 'demo' }] });
    expect(made.stateMachineArn).toBe('arn:aws:states:us-east-1:000000000000:stateMachine:api-basic');
    expect(made.creationDate).toBeInstanceOf(Date);
    const again = await create('api-basic', passDef, { tags: [{ key: 'course', value: 'demo' }] });
    expect(again.stateMachineArn).toBe(made.stateMachineArn);

    const d = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: made.stateMachineArn }));
    expect(d).toMatchObject({
      name: 'api-basic',
      status: 'ACTIVE',
      type: 'STANDARD',
      definition: passDef,
      roleArn: role,
    });
    expect(d.loggingConfiguration).toEqual({ level: 'OFF', includeExecutionData: false, destinations: [] });

    const u = await sfn.send(
      new UpdateStateMachineCommand({ stateMachineArn: made.stateMachineArn, definition: waitDef }),
    );
    expect(u.revisionId).toBeTruthy();
    expect(u.updateDate).toBeInstanceOf(Date);
    const d2 = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: made.stateMachineArn }));
    expect(d2.definition).toBe(waitDef);
    expect(d2.revisionId).toBe(u.revisionId);

    await create('api-list-2');
    const page1 = await sfn.send(new ListStateMachinesCommand({ maxResults: 1 }));
    expect(page1.stateMachines).toHaveLength(1);
    expect(page1.nextToken).toBeTruthy();
    const page2 = await sfn.send(new ListStateMachinesCommand({ maxResults: 1, nextToken: page1.nextToken }));
    expect(page2.stateMachines![0]!.name).not.toBe(page1.stateMachines![0]!.name);

    await sfn.send(
      new TagResourceCommand({ resourceArn: made.stateMachineArn, tags: [{ key: 'team', value: 'a' }] }),
    );
    await sfn.send(new UntagResourceCommand({ resourceArn: made.stateMachineArn, tagKeys: ['course'] }));
    const tags = await sfn.send(new ListTagsForResourceCommand({ resourceArn: made.stateMachineArn }));
    expect(tags.tags).toEqual([{ key: 'team', value: 'a' }]);

    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: made.stateMachineArn }));
    for (let i = 0; i < 100; i++) {
      try {
        await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: made.stateMachineArn }));
      } catch (err) {
        expect((err as Error).name).toBe('StateMachineDoesNotExist');
        return;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('state machine was not deleted');
  });

  it('rejects bad definitions, names, roles, logging and duplicates as AWS does', async () => {
    const bad = await rejectsWith(create('bad-json', '{nope'), 'InvalidDefinition');
    expect(bad.message).toMatch(/^Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION/);
    const missing = await rejectsWith(
      create('bad-next', JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } })),
      'InvalidDefinition',
    );
    // AWS's answer, as reported from AWS for the same definition.
    expect(missing.message).toBe(
      "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: Nowhere at /States/A/Next, MISSING_END_STATE: Workflow has no terminal state'",
    );
    await rejectsWith(
      create(
        'jsonata',
        JSON.stringify({
          QueryLanguage: 'JSONata',
          StartAt: 'A',
          States: { A: { Type: 'Pass', End: true } },
        }),
      ),
      'InvalidDefinition',
    );
    await rejectsWith(create('has space'), 'InvalidName');
    await rejectsWith(
      sfn.send(
        new CreateStateMachineCommand({
          name: 'no-role',
          definition: passDef,
          roleArn: 'arn:aws:iam::000000000000:role/nope',
        }),
      ),
      'AccessDeniedException',
    );
    const lambdaRole = await createRole(sb, 'lambda-only-role', 'lambda.amazonaws.com');
    await rejectsWith(
      sfn.send(
        new CreateStateMachineCommand({ name: 'wrong-trust', definition: passDef, roleArn: lambdaRole }),
      ),
      'AccessDeniedException',
    );
    await rejectsWith(
      sfn.send(
        new CreateStateMachineCommand({ name: 'bad-role', definition: passDef, roleArn: 'not-an-arn' }),
      ),
      'InvalidArn',
    );
    const unqualified = await rejectsWith(
      create('bad-logging', passDef, {
        loggingConfiguration: {
          level: 'ALL',
          destinations: [
            { cloudWatchLogsLogGroup: { logGroupArn: 'arn:aws:logs:us-east-1:000000000000:log-group:x' } },
          ],
        },
      }),
      'InvalidLoggingConfiguration',
    );
    // AWS's message, as reported from AWS.
    expect(unqualified.message).toBe(
      "Invalid Logging Configuration: Log Group ARN must be provided with '*' qualifier.",
    );
    await rejectsWith(
      create('no-dest', passDef, { loggingConfiguration: { level: 'ERROR' } }),
      'InvalidLoggingConfiguration',
    );
    await create('dup');
    await rejectsWith(create('dup', waitDef), 'StateMachineAlreadyExists');
    await rejectsWith(
      sfn.send(
        new DescribeStateMachineCommand({
          stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:ghost',
        }),
      ),
      'StateMachineDoesNotExist',
    );
    await rejectsWith(
      sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'arn:aws:sqs:x' })),
      'InvalidArn',
    );
    await rejectsWith(
      sfn.send(new UpdateStateMachineCommand({ stateMachineArn: (await create('upd')).stateMachineArn })),
      'MissingRequiredParameter',
    );
  });
});

describe('executions', () => {
  it('starts, describes, lists, pages history and stops', async () => {
    const { stateMachineArn } = await create('api-exec', waitDef);
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'run-1', input: '{"a":1}' }),
    );
    expect(started.executionArn).toBe('arn:aws:states:us-east-1:000000000000:execution:api-exec:run-1');
    // Same name and input while running: idempotent. Different input: ExecutionAlreadyExists.
    const same = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'run-1', input: '{"a":1}' }),
    );
    expect(same.executionArn).toBe(started.executionArn);
    await rejectsWith(
      sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'run-1', input: '{"a":2}' })),
      'ExecutionAlreadyExists',
    );
    await rejectsWith(
      sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{oops' })),
      'InvalidExecutionInput',
    );
    await rejectsWith(sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'a/b' })), 'InvalidName');

    const running = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(running).toMatchObject({
      status: 'RUNNING',
      input: '{"a":1}',
      name: 'run-1',
      redriveStatus: 'NOT_REDRIVABLE',
    });

    const listRunning = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING' }),
    );
    expect(listRunning.executions!.map((e) => e.name)).toEqual(['run-1']);

    const stop = await sfn.send(
      new StopExecutionCommand({
        executionArn: started.executionArn,
        error: 'Manual',
        cause: 'stopped by test',
      }),
    );
    expect(stop.stopDate).toBeInstanceOf(Date);
    const aborted = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(aborted).toMatchObject({
      status: 'ABORTED',
      error: 'Manual',
      cause: 'stopped by test',
      redriveStatus: 'REDRIVABLE',
    });

    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn }));
    expect(history.events!.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'WaitStateEntered',
      'WaitStateAborted',
      'ExecutionAborted',
    ]);
    expect(history.events![0]!.executionStartedEventDetails).toMatchObject({
      input: '{"a":1}',
      roleArn: role,
    });
    expect(history.events![3]!.executionAbortedEventDetails).toEqual({
      error: 'Manual',
      cause: 'stopped by test',
    });
    expect(history.events![0]!.timestamp).toBeInstanceOf(Date);

    const reversed = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn: started.executionArn,
        reverseOrder: true,
        maxResults: 2,
      }),
    );
    expect(reversed.events!.map((e) => e.id)).toEqual([4, 3]);
    const rest = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn: started.executionArn,
        reverseOrder: true,
        maxResults: 2,
        nextToken: reversed.nextToken,
      }),
    );
    expect(rest.events!.map((e) => e.id)).toEqual([2, 1]);
    expect(rest.nextToken).toBeUndefined();
    const noData = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: started.executionArn, includeExecutionData: false }),
    );
    expect(noData.events![0]!.executionStartedEventDetails!.input).toBeUndefined();

    await rejectsWith(
      sfn.send(new DescribeExecutionCommand({ executionArn: `${started.executionArn}-ghost` })),
      'ExecutionDoesNotExist',
    );
    await rejectsWith(
      sfn.send(new DescribeExecutionCommand({ executionArn: stateMachineArn })),
      'InvalidArn',
    );
    await rejectsWith(
      sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}-ghost` })),
      'StateMachineDoesNotExist',
    );
  });

  it('fails with the Fail state error, lists by status, and refuses to redrive a success', async () => {
    const failDef = JSON.stringify({
      StartAt: 'F',
      States: { F: { Type: 'Fail', Error: 'Boom', Cause: 'because' } },
    });
    const { stateMachineArn } = await create('api-fail', failDef);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn }));
    const d = await waitForExecution(sfn, executionArn!);
    expect(d).toMatchObject({ status: 'FAILED', error: 'Boom', cause: 'because', redriveCount: 0 });
    expect(d.stopDate).toBeInstanceOf(Date);
    const failed = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'FAILED' }));
    expect(failed.executions).toHaveLength(1);
    expect(
      (await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'SUCCEEDED' }))).executions,
    ).toEqual([]);

    const ok = await create('api-ok');
    const run = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: ok.stateMachineArn, input: '{"x":1}' }),
    );
    const done = await waitForExecution(sfn, run.executionArn!);
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '{"x":1}', redriveStatus: 'NOT_REDRIVABLE' });
    await rejectsWith(
      sfn.send(new RedriveExecutionCommand({ executionArn: run.executionArn })),
      'ExecutionNotRedrivable',
    );
  });

  it('runs EXPRESS state machines but does not list their executions', async () => {
    const { stateMachineArn } = await create('api-express', passDef, { type: 'EXPRESS' });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    expect(executionArn).toMatch(/^arn:aws:states:us-east-1:000000000000:express:api-express:/);
    await rejectsWith(
      sfn.send(new ListExecutionsCommand({ stateMachineArn })),
      'StateMachineTypeNotSupported',
    );
    await rejectsWith(sfn.send(new DescribeExecutionCommand({ executionArn })), 'InvalidArn');
  });
});
