// What the service benches share: the median, a sandbox on a fresh state directory, SDK client
// configuration for it, and the IAM role + Node function setup most of them start with.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { AttachRolePolicyCommand, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { startSandbox } from '../dist/src/sandbox/index.js';

/** The middle sample (the mean of the two middle ones for an even count). */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Start a sandbox on a new temporary state directory, run `fn(sandbox, stateDir)`, then stop the
 * sandbox and remove the directory whatever happened.
 */
export async function withSandbox(dirPrefix, options, fn) {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), dirPrefix));
  const sb = await startSandbox({ ...options, stateDir });
  try {
    return await fn(sb, stateDir);
  } finally {
    await sb.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

/** SDK client configuration for the sandbox; no retries, so a failure shows at once. */
export function clientConfig(sb) {
  return { region: 'us-east-1', endpoint: sb.endpoint, credentials: sb.credentials, maxAttempts: 1 };
}

/** A role `service` may assume; returns its ARN. */
export async function createServiceRole(iam, roleName, service, { statements, managedPolicyArns } = {}) {
  const out = await iam.send(
    new CreateRoleCommand({
      RoleName: roleName,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  // The sandbox enforces IAM for roles: give each what the real service would need.
  if (statements) {
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: roleName,
        PolicyName: 'bench',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
      }),
    );
  }
  for (const arn of managedPolicyArns ?? []) {
    await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn }));
  }
  return out.Role.Arn;
}

/** Lambda execution roles write their logs, as AWSLambdaBasicExecutionRole allows. */
export const LAMBDA_BASIC = {
  managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
};

/** Lambda's function waiters, polling often (the sandbox's Pending/InProgress windows are brief). */
export const LAMBDA_WAIT = { minDelay: 0.05, maxDelay: 0.5, maxWaitTime: 60 };

/**
 * A nodejs22.x function with `index.handler` from `files` (name → source), once it is Active (as on
 * AWS, a new function is Pending for a moment); returns CreateFunction's answer.
 */
export async function createNodeFunction(lambda, { name, roleArn, files, environment }) {
  const zip = Object.fromEntries(Object.entries(files).map(([file, source]) => [file, strToU8(source)]));
  const out = await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs22.x',
      Role: roleArn,
      Handler: 'index.handler',
      Code: { ZipFile: zipSync(zip) },
      ...(environment ? { Environment: { Variables: environment } } : {}),
    }),
  );
  await waitUntilFunctionActiveV2({ client: lambda, ...LAMBDA_WAIT }, { FunctionName: name });
  return out;
}
