/** Step Functions driving the sandbox's real Lambda: a 3-task chain, errors, logs and the AWS CLI. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateStateMachineCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { allowLogDelivery, createFunction, createRole, waitForExecution } from './fixtures.js';

const run = promisify(execFile);
let sb: TestSandbox;
let sfn: SFNClient;
let sfnRole: string;
let chainArn: string;

beforeAll(async () => {
  sb = await startTestSandbox();
  sfn = new SFNClient(sb.clientConfig);
  sfnRole = await createRole(sb, 'sfn-chain-role');
  await allowLogDelivery(sb, 'sfn-chain-role');
  const lambdaRole = await createRole(sb, 'lambda-chain-role', 'lambda.amazonaws.com');
  await Promise.all([
    createFunction(sb, lambdaRole, 'extract', 'async (e) => ({ rows: e.rows.map((r) => r * 2) })'),
    createFunction(
      sb,
      lambdaRole,
      'transform',
      'async (e) => ({ total: e.rows.reduce((a, b) => a + b, 0) })',
    ),
    createFunction(
      sb,
      lambdaRole,
      'load',
      'async (e) => ({ stored: e.total, by: process.env.AWS_LAMBDA_FUNCTION_NAME })',
    ),
    createFunction(
      sb,
      lambdaRole,
      'explode',
      "async () => { const e = new Error('disk full'); e.name = 'TransientError'; throw e; }",
    ),
  ]);
  const logs = new CloudWatchLogsClient(sb.clientConfig);
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/vendedlogs/states/chain' }));
  const made = await sfn.send(
    new CreateStateMachineCommand({
      name: 'etl-chain',
      roleArn: sfnRole,
      definition: JSON.stringify({
        StartAt: 'Extract',
        States: {
          Extract: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'extract', 'Payload.$': '$' },
            OutputPath: '$.Payload',
            Next: 'Transform',
          },
          Transform: {
            Type: 'Task',
            Resource: 'arn:aws:lambda:us-east-1:000000000000:function:transform',
            Next: 'Load',
          },
          Load: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'load', 'Payload.$': '$' },
            ResultSelector: { 'result.$': '$.Payload' },
            End: true,
          },
        },
      }),
      loggingConfiguration: {
        level: 'ALL',
        includeExecutionData: true,
        destinations: [
          {
            cloudWatchLogsLogGroup: {
              logGroupArn: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/vendedlogs/states/chain:*',
            },
          },
        ],
      },
    }),
  );
  chainArn = made.stateMachineArn!;
}, 120_000);

afterAll(async () => {
  await sb?.stop();
});

describe('Step Functions with Lambda', () => {
  it('runs a 3-task chain and logs its history to CloudWatch Logs', async () => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: chainArn, input: JSON.stringify({ rows: [1, 2, 3] }) }),
    );
    const d = await waitForExecution(sfn, executionArn!);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output!)).toEqual({ result: { stored: 12, by: 'load' } });

    const h = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const succeeded = h.events!.find((e) => e.type === 'TaskSucceeded')!;
    const extractResult = JSON.parse(succeeded.taskSucceededEventDetails!.output!);
    expect(extractResult).toMatchObject({
      StatusCode: 200,
      ExecutedVersion: '$LATEST',
      Payload: { rows: [2, 4, 6] },
    });
    expect(extractResult.SdkHttpMetadata.HttpStatusCode).toBe(200);
    expect(h.events!.map((e) => e.type)).toContain('LambdaFunctionSucceeded');

    const logs = new CloudWatchLogsClient(sb.clientConfig);
    const group = '/aws/vendedlogs/states/chain';
    let messages: Array<Record<string, string>> = [];
    for (let i = 0; i < 100 && !messages.some((m) => m.type === 'ExecutionSucceeded'); i++) {
      await new Promise((r) => setTimeout(r, 20));
      const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }));
      messages = [];
      for (const s of streams.logStreams ?? []) {
        expect(s.logStreamName).toMatch(/^states\/etl-chain\/\d{4}-\d{2}-\d{2}-\d{2}-\d{2}\/[0-9a-f]+$/);
        const ev = await logs.send(
          new GetLogEventsCommand({ logGroupName: group, logStreamName: s.logStreamName }),
        );
        messages.push(...(ev.events ?? []).map((e) => JSON.parse(e.message!) as Record<string, string>));
      }
    }
    const mine = messages.filter((m) => m.execution_arn === executionArn);
    expect(mine[0]).toMatchObject({ id: '1', type: 'ExecutionStarted', previous_event_id: '0' });
    expect(mine.at(-1)!.type).toBe('ExecutionSucceeded');
    expect(mine).toHaveLength(h.events!.length);
  });

  it('names a function error by its errorType and lets Catch handle it', async () => {
    const made = await sfn.send(
      new CreateStateMachineCommand({
        name: 'explode-caught',
        roleArn: sfnRole,
        definition: JSON.stringify({
          StartAt: 'Call',
          States: {
            Call: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Parameters: { FunctionName: 'explode', Payload: {} },
              Catch: [{ ErrorEquals: ['TransientError'], ResultPath: '$.err', Next: 'Recover' }],
              End: true,
            },
            Recover: { Type: 'Pass', End: true },
          },
        }),
      }),
    );
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: made.stateMachineArn }),
    );
    const d = await waitForExecution(sfn, executionArn!);
    expect(d.status).toBe('SUCCEEDED');
    const out = JSON.parse(d.output!);
    expect(out.err.Error).toBe('TransientError');
    expect(JSON.parse(out.err.Cause)).toMatchObject({
      errorType: 'TransientError',
      errorMessage: 'disk full',
    });
  });

  it('reports a missing function as Lambda.ResourceNotFoundException, as AWS names it', async () => {
    const made = await sfn.send(
      new CreateStateMachineCommand({
        name: 'missing-fn',
        roleArn: sfnRole,
        definition: JSON.stringify({
          StartAt: 'Call',
          States: {
            Call: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Parameters: { FunctionName: 'does-not-exist' },
              End: true,
            },
          },
        }),
      }),
    );
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: made.stateMachineArn }),
    );
    const d = await waitForExecution(sfn, executionArn!);
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('Lambda.ResourceNotFoundException');
    expect(d.cause).toMatch(
      /^Function not found: arn:aws:lambda:us-east-1:000000000000:function:does-not-exist \(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: [0-9a-f-]{36}; Proxy: null\)$/,
    );
  });

  it('is driven by the AWS CLI v2: start-execution, describe-execution, get-execution-history', async () => {
    const cli = async (...args: string[]): Promise<any> => {
      const { stdout } = await run(
        '/usr/bin/aws',
        ['--endpoint-url', sb.sandbox.endpoint, '--output', 'json', 'stepfunctions', ...args],
        {
          env: sb.cliEnv,
        },
      );
      return JSON.parse(stdout);
    };
    const started = await cli(
      'start-execution',
      '--state-machine-arn',
      chainArn,
      '--name',
      'cli-run',
      '--input',
      '{"rows":[5]}',
    );
    expect(started.executionArn).toMatch(/:execution:etl-chain:cli-run$/);
    await waitForExecution(sfn, started.executionArn);
    const d = await cli('describe-execution', '--execution-arn', started.executionArn);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output)).toEqual({ result: { stored: 10, by: 'load' } });
    const h = await cli('get-execution-history', '--execution-arn', started.executionArn);
    expect(h.events[0].type).toBe('ExecutionStarted');
    expect(h.events.at(-1).type).toBe('ExecutionSucceeded');
  }, 60_000);
});
