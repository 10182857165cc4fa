/**
 * DescribeStateMachineForExecution and EXPRESS StartSyncExecution through the SDK v3 (and the AWS
 * CLI v2 where it can reach the sandbox). On AWS, StartSyncExecution is served on the `sync-states`
 * host; the SDK prepends `sync-` to the endpoint's host name unless `disableHostPrefix` is set, which
 * a client for a local endpoint (like course-cli's, see src/cloud/clients.ts) must do. The AWS CLI
 * always prepends it and has no switch to stop it, so `aws stepfunctions start-sync-execution`
 * cannot reach a local endpoint (`sync-127.0.0.1` does not resolve); there is no CLI test for it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { buildClients } from '../../../src/cloud/clients.js';
import { RecordingCallLog } from '../../../src/cloud/callLog.js';
import { awsCliJson } from '../../helpers/awsCli.js';
import { errorOf } from '../../helpers/awsErrors.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { AWS_CLI, requireTool } from '../../helpers/tools.js';
import { createRole, waitForExecution } from './fixtures.js';

let sb: TestSandbox;
let sfn: SFNClient;
let role: string;
let expressArn: string;
let standardArn: string;

const passDef = (result: unknown) =>
  JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: result, End: true } } });
const failDef = JSON.stringify({
  StartAt: 'F',
  States: { F: { Type: 'Fail', Error: 'OrderRejected', Cause: 'amount is negative' } },
});

beforeAll(async () => {
  sb = await startTestSandbox();
  sfn = new SFNClient({ ...sb.clientConfig, disableHostPrefix: true });
  role = await createRole(sb, 'exec-apis-role');
  expressArn = (
    await sfn.send(
      new CreateStateMachineCommand({
        name: 'express-echo',
        roleArn: role,
        type: 'EXPRESS',
        definition: JSON.stringify({
          StartAt: 'Echo',
          States: { Echo: { Type: 'Pass', Parameters: { 'got.$': '$.order' }, End: true } },
        }),
      }),
    )
  ).stateMachineArn!;
  standardArn = (
    await sfn.send(
      new CreateStateMachineCommand({ name: 'standard-v1', roleArn: role, definition: passDef('v1') }),
    )
  ).stateMachineArn!;
});
afterAll(async () => {
  await sb?.stop();
});

describe('DescribeStateMachineForExecution', () => {
  it('answers with the state machine as the execution started it, even after an update', async () => {
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: standardArn }));
    await waitForExecution(sfn, executionArn!);
    await sfn.send(
      new UpdateStateMachineCommand({ stateMachineArn: standardArn, definition: passDef('v2') }),
    );
    const d = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
    expect(d).toMatchObject({
      stateMachineArn: standardArn,
      name: 'standard-v1',
      definition: passDef('v1'),
      roleArn: role,
      loggingConfiguration: { level: 'OFF', includeExecutionData: false, destinations: [] },
      tracingConfiguration: { enabled: false },
    });
    expect(d.updateDate).toBeInstanceOf(Date);

    const later = await sfn.send(new StartExecutionCommand({ stateMachineArn: standardArn }));
    const d2 = await sfn.send(
      new DescribeStateMachineForExecutionCommand({ executionArn: later.executionArn }),
    );
    expect(d2.definition).toBe(passDef('v2'));
    expect(d2.revisionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses an execution that does not exist', async () => {
    const arn = 'arn:aws:states:us-east-1:000000000000:execution:standard-v1:ghost';
    expect(
      await errorOf(sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: arn }))),
    ).toEqual({
      name: 'ExecutionDoesNotExist',
      message: `Execution Does Not Exist: '${arn}'`,
      status: 400,
    });
  });

  it('the AWS CLI reads it too', async () => {
    requireTool(AWS_CLI, 'awscli');
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: standardArn }));
    const out = await awsCliJson(sb, [
      'stepfunctions',
      'describe-state-machine-for-execution',
      '--execution-arn',
      executionArn!,
    ]);
    expect(out).toMatchObject({ stateMachineArn: standardArn, name: 'standard-v1', roleArn: role });
  });
});

describe('StartSyncExecution', () => {
  it('runs an EXPRESS execution to its end and answers with its output', async () => {
    const out = await sfn.send(
      new StartSyncExecutionCommand({ stateMachineArn: expressArn, name: 'sync-1', input: '{"order":42}' }),
    );
    expect(out).toMatchObject({
      stateMachineArn: expressArn,
      name: 'sync-1',
      status: 'SUCCEEDED',
      input: '{"order":42}',
      inputDetails: { included: true },
      output: '{"got":42}',
      outputDetails: { included: true },
    });
    expect(out.executionArn).toMatch(
      /^arn:aws:states:us-east-1:000000000000:express:express-echo:sync-1:[0-9a-f-]{36}$/,
    );
    expect(out.stopDate!.getTime()).toBeGreaterThanOrEqual(out.startDate!.getTime());
    expect(out.billingDetails?.billedMemoryUsedInMB).toBe(64);
    expect(out.billingDetails!.billedDurationInMilliseconds! % 100).toBe(0);

    const bare = await sfn.send(
      new StartSyncExecutionCommand({
        stateMachineArn: expressArn,
        input: '{"order":1}',
        includedData: 'METADATA_ONLY',
      }),
    );
    expect(bare.status).toBe('SUCCEEDED');
    expect(bare.output).toBeUndefined();
    expect(bare.input).toBeUndefined();
  });

  it('reports a failed execution with its error and cause', async () => {
    const arn = (
      await sfn.send(
        new CreateStateMachineCommand({
          name: 'express-fail',
          roleArn: role,
          type: 'EXPRESS',
          definition: failDef,
        }),
      )
    ).stateMachineArn!;
    const out = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn }));
    expect(out).toMatchObject({ status: 'FAILED', error: 'OrderRejected', cause: 'amount is negative' });
    expect(out.output).toBeUndefined();
  });

  it('refuses a STANDARD state machine and bad input as AWS does', async () => {
    expect(await errorOf(sfn.send(new StartSyncExecutionCommand({ stateMachineArn: standardArn })))).toEqual({
      name: 'StateMachineTypeNotSupported',
      message: 'This operation is not supported by this type of state machine',
      status: 400,
    });
    const bad = await errorOf(
      sfn.send(new StartSyncExecutionCommand({ stateMachineArn: expressArn, input: '{' })),
    );
    expect(bad.name).toBe('InvalidExecutionInput');
  });

  it('course-cli’s own SFN client reaches it on a local endpoint; a client with the sync- host prefix cannot', async () => {
    const clients = buildClients(
      { region: 'us-east-1', endpoint: sb.sandbox.endpoint, credentials: sb.clientConfig.credentials },
      new RecordingCallLog(),
    );
    const out = await clients.sfn.send(
      new StartSyncExecutionCommand({ stateMachineArn: expressArn, input: '{"order":7}' }),
    );
    expect(out.output).toBe('{"got":7}');
    const prefixed = new SFNClient(sb.clientConfig);
    const e = await errorOf(prefixed.send(new StartSyncExecutionCommand({ stateMachineArn: expressArn })));
    expect(e.message).toMatch(/sync-127\.0\.0\.1/);
  });
});
