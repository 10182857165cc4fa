/** SDK-level fixtures: a role Step Functions may assume, Lambda functions from inline code, polling. */
import { strToU8, zipSync } from 'fflate';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { TestSandbox } from '../../helpers/sandbox.js';

export const trustFor = (service: string): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });

export async function createRole(
  sb: TestSandbox,
  name: string,
  service = 'states.amazonaws.com',
): Promise<string> {
  const iam = new IAMClient(sb.clientConfig);
  const out = await iam.send(
    new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trustFor(service) }),
  );
  // Each role gets what AWS would require of it: a state machine invokes the account's functions,
  // a function writes its logs.
  if (service === 'states.amazonaws.com') {
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: name,
        PolicyName: 'invoke-functions',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'lambda:InvokeFunction',
              Resource: 'arn:aws:lambda:us-east-1:000000000000:function:*',
            },
          ],
        }),
      }),
    );
  } else if (service === 'lambda.amazonaws.com') {
    await iam.send(
      new AttachRolePolicyCommand({
        RoleName: name,
        PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      }),
    );
  }
  return out.Role!.Arn!;
}

/** The policy AWS's Step Functions guide gives a state machine role for logging to CloudWatch Logs. */
export const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];

/** Give a role an inline policy allowing these logs actions on `*` (the log-delivery actions need `*`). */
export async function allowLogDelivery(
  sb: TestSandbox,
  roleName: string,
  actions: string[] = LOG_DELIVERY_ACTIONS,
): Promise<void> {
  const iam = new IAMClient(sb.clientConfig);
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: roleName,
      PolicyName: 'log-delivery',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
      }),
    }),
  );
}

/** Create a Node.js function whose `index.mjs` exports `handler = <handlerSource>`. */
export async function createFunction(
  sb: TestSandbox,
  role: string,
  name: string,
  handlerSource: string,
): Promise<string> {
  const lambda = new LambdaClient(sb.clientConfig);
  const zip = zipSync({ 'index.mjs': strToU8(`export const handler = ${handlerSource};\n`) });
  const out = await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs22.x',
      Role: role,
      Handler: 'index.handler',
      Code: { ZipFile: zip },
      Timeout: 10,
    }),
  );
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: name });
  return out.FunctionArn!;
}

export async function waitForExecution(
  sfn: SFNClient,
  executionArn: string,
  timeoutMs = 30_000,
): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== 'RUNNING' || Date.now() > deadline) return d;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Expect a promise to reject with an SDK error of this name; returns the error. */
export async function rejectsWith(p: Promise<unknown>, name: string): Promise<Error & { message: string }> {
  try {
    await p;
  } catch (err) {
    if ((err as Error).name !== name) {
      throw new Error(`expected ${name}, got ${(err as Error).name}: ${(err as Error).message}`);
    }
    return err as Error;
  }
  throw new Error(`expected ${name}, but the call succeeded`);
}
