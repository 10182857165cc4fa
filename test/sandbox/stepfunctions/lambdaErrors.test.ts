/**
 * Lambda service failures in Task states carry AWS's names, so Retry/Catch written for AWS match
 * the same errors here: `Lambda.<Code>` for the errors Lambda's Invoke declares, and
 * `Lambda.AWSLambdaException` for any other service error (such as an IAM denial).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateStateMachineCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { AwsError } from '../../../src/sandbox/errors.js';
import { lambdaErrorName, lambdaServiceFailure } from '../../../src/sandbox/stepfunctions/lambdaErrors.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { createFunction, createRole, trustFor, waitForExecution } from './fixtures.js';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';

describe('Lambda error names', () => {
  it.each([
    ['ResourceNotFoundException', 'Lambda.ResourceNotFoundException'],
    ['TooManyRequestsException', 'Lambda.TooManyRequestsException'],
    ['ResourceConflictException', 'Lambda.ResourceConflictException'],
    ['InvalidParameterValueException', 'Lambda.InvalidParameterValueException'],
    ['RequestTooLargeException', 'Lambda.RequestTooLargeException'],
    ['ServiceException', 'Lambda.ServiceException'],
    ['ResourceNotReadyException', 'Lambda.ResourceNotReadyException'],
    ['KMSAccessDeniedException', 'Lambda.KMSAccessDeniedException'],
    ['AccessDeniedException', 'Lambda.AWSLambdaException'],
    ['ThrottlingException', 'Lambda.AWSLambdaException'],
  ])('%s → %s', (code, name) => {
    expect(lambdaErrorName(code)).toBe(name);
    const f = lambdaServiceFailure(new AwsError(code, 'it failed', 400));
    expect(f.error).toBe(name);
    expect(f.causeText).toMatch(
      new RegExp(
        `^it failed \\(Service: AWSLambda; Status Code: 400; Error Code: ${code}; Request ID: [0-9a-f-]{36}; Proxy: null\\)$`,
      ),
    );
  });

  it('no answer at all is Lambda.SdkClientException', () => {
    expect(lambdaServiceFailure(new Error('socket hang up')).error).toBe('Lambda.SdkClientException');
  });
});

describe('through the SDK against the sandbox', () => {
  let sb: TestSandbox;
  let sfn: SFNClient;
  let role: string;

  beforeAll(async () => {
    sb = await startTestSandbox();
    sfn = new SFNClient(sb.clientConfig);
    role = await createRole(sb, 'lambda-errors-sfn');
    const fnRole = await createRole(sb, 'lambda-errors-fn', 'lambda.amazonaws.com');
    await createFunction(sb, fnRole, 'ok-fn', 'async () => ({ ok: true })');
  }, 60_000);
  afterAll(async () => {
    await sb?.stop();
  });

  const run = async (name: string, roleArn: string, task: Record<string, unknown>) => {
    const made = await sfn.send(
      new CreateStateMachineCommand({
        name,
        roleArn,
        definition: JSON.stringify({
          StartAt: 'Call',
          States: {
            Call: {
              Type: 'Task',
              ...task,
              Catch: [
                { ErrorEquals: ['Lambda.ResourceNotFoundException'], ResultPath: '$.caught', Next: 'Caught' },
              ],
              End: true,
            },
            Caught: { Type: 'Pass', End: true },
          },
        }),
      }),
    );
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: made.stateMachineArn }),
    );
    return { executionArn: executionArn!, done: await waitForExecution(sfn, executionArn!) };
  };

  it('a Catch on Lambda.ResourceNotFoundException catches a missing function (lambda:invoke and a plain ARN)', async () => {
    const viaIntegration = await run('missing-integration', role, {
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'not-there' },
    });
    expect(viaIntegration.done.status).toBe('SUCCEEDED');
    expect(JSON.parse(viaIntegration.done.output!).caught.Error).toBe('Lambda.ResourceNotFoundException');

    const viaArn = await run('missing-arn', role, {
      Resource: 'arn:aws:lambda:us-east-1:000000000000:function:not-there',
    });
    expect(viaArn.done.status).toBe('SUCCEEDED');
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: viaArn.executionArn }));
    const failed = history.events!.find((e) => e.type === 'LambdaFunctionFailed');
    expect(failed?.lambdaFunctionFailedEventDetails?.error).toBe('Lambda.ResourceNotFoundException');
  });

  it('a role without lambda:InvokeFunction fails with Lambda.AWSLambdaException, uncaught by that Catch', async () => {
    const iam = new IAMClient(sb.clientConfig);
    const bare = await iam.send(
      new CreateRoleCommand({
        RoleName: 'no-invoke',
        AssumeRolePolicyDocument: trustFor('states.amazonaws.com'),
      }),
    );
    const { done } = await run('denied', bare.Role!.Arn!, {
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'ok-fn' },
    });
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('Lambda.AWSLambdaException');
    expect(done.cause).toContain('Status Code: 403; Error Code: AccessDeniedException');
  });
});
