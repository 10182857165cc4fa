/** Shared test fixtures: in-memory zips, an execution role, a Lambda client against a test sandbox. */
import { zipSync, strToU8 } from 'fflate';
import { AttachRolePolicyCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient, type CreateFunctionCommandInput } from '@aws-sdk/client-lambda';
import type { TestSandbox } from '../../helpers/sandbox.js';

export function zipOf(files: Record<string, string>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)])));
}

export const LAMBDA_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

export const BASIC_EXECUTION_POLICY = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

export async function createRole(
  sb: TestSandbox,
  name = 'lambda-exec',
  trust = LAMBDA_TRUST,
): Promise<string> {
  const iam = new IAMClient(sb.clientConfig);
  const out = await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust }));
  // Lambda writes the function's logs with its role: give it what AWS would require.
  await iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: BASIC_EXECUTION_POLICY }));
  return out.Role!.Arn!;
}

export async function createFunction(
  lambda: LambdaClient,
  role: string,
  name: string,
  files: Record<string, string>,
  more: Partial<CreateFunctionCommandInput> = {},
): Promise<void> {
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs22.x',
      Role: role,
      Handler: 'index.handler',
      Code: { ZipFile: zipOf(files) },
      ...more,
    }),
  );
}

export const decode = (p: Uint8Array | undefined): unknown =>
  p && p.length > 0 ? JSON.parse(Buffer.from(p).toString('utf8')) : undefined;
