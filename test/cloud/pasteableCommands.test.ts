/**
 * "Show details" prints each call as an AWS CLI v2 command; it must run as printed. Calls are made
 * through the cloud layer's clients (as demo1 makes them: an object body given as text, a policy
 * document longer than any line, a function zip, an invoke payload), the resources are deleted,
 * and then each printed command is run in a shell with the real AWS CLI against the sandbox: every
 * one must succeed and recreate exactly what the SDK call created.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  CreateBucketCommand,
} from '@aws-sdk/client-s3';
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetRolePolicyCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  waitUntilFunctionActiveV2,
} from '@aws-sdk/client-lambda';
import { connectTarget, type ConnectedTarget } from '../../src/cloud/target.js';
import { commandLines } from '../../src/course/callSummary.js';
import { makeTempDir } from '../helpers/sandbox.js';
import { pasteIntoShell } from '../helpers/pasteCommand.js';
import { AWS_CLI, requireTool } from '../helpers/tools.js';

let home: string;
let target: ConnectedTarget;

beforeAll(async () => {
  requireTool(AWS_CLI, 'awscli');
  home = makeTempDir('course-cli-pasteable-');
  target = await connectTarget({ kind: 'sandbox', timeScale: 60 }, { home });
}, 60_000);
afterAll(() => target?.close());

const paste = (line: string): Promise<void> => pasteIntoShell(home, line);

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
// Longer than any command-line value is shown in full: it must travel as a file.
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: ['raw', 'curated', 'reports', 'quarantine'].map((p, i) => ({
    Sid: `ReadWrite${i}`,
    Effect: 'Allow',
    Action: ['s3:GetObject', 's3:PutObject'],
    Resource: `arn:aws:s3:::course-demo1-pasteable-000000000000-data/${p}/*`,
  })),
});
const HANDLER = 'export const handler = async (event) => ({ echoed: event });\n';

describe('AWS CLI commands shown under "show details"', () => {
  it('run as printed and recreate what the SDK created', { timeout: 180_000 }, async () => {
    const c = target.clients;
    const bucket = 'course-demo1-pasteable-000000000000-data';
    const body = '{"order_id":"o-1","amount":12.5}\n{"order_id":"o-2","amount":7}\n';
    const zip = zipSync({ 'index.mjs': strToU8(HANDLER) });

    await c.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const mark = target.calls.mark();
    await c.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'raw/orders/x.jsonl', Body: body }));
    const role = await c.iam.send(
      new CreateRoleCommand({ RoleName: 'pasteable-role', AssumeRolePolicyDocument: TRUST }),
    );
    await c.iam.send(
      new PutRolePolicyCommand({ RoleName: 'pasteable-role', PolicyName: 'p', PolicyDocument: POLICY }),
    );
    await c.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'pasteable-fn',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: role.Role!.Arn!,
        Code: { ZipFile: zip },
      }),
    );
    const original = await c.lambda.send(new GetFunctionCommand({ FunctionName: 'pasteable-fn' }));
    await waitUntilFunctionActiveV2({ client: c.lambda, maxWaitTime: 60 }, { FunctionName: 'pasteable-fn' });
    const invokeMark = target.calls.mark();
    await c.lambda.send(
      new InvokeCommand({
        FunctionName: 'pasteable-fn',
        Payload: strToU8(JSON.stringify({ window: { dt: '2026-01-01', hour: '07' } })),
      }),
    );
    const creates = target.calls
      .since(mark)
      .filter((call) =>
        ['PutObject', 'CreateRole', 'PutRolePolicy', 'CreateFunction'].includes(call.operation),
      );
    const invoke = target.calls.since(invokeMark).find((call) => call.operation === 'Invoke')!;
    const lines = creates.map((call) => target.calls.toCli(call));
    expect(lines.some((l) => l.includes('fileb://function.zip'))).toBe(false);
    expect(lines.join('\n')).not.toContain('more chars');

    // Gone again, then recreated by the printed commands alone.
    await c.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'raw/orders/x.jsonl' }));
    await c.lambda.send(new DeleteFunctionCommand({ FunctionName: 'pasteable-fn' }));
    await c.iam.send(new DeleteRolePolicyCommand({ RoleName: 'pasteable-role', PolicyName: 'p' }));
    await c.iam.send(new DeleteRoleCommand({ RoleName: 'pasteable-role' }));
    // Pasted as "show details" lays them out on a 60-column terminal: `\` continuation lines.
    for (const line of lines) {
      const shown = commandLines(line, 60);
      // A line wider than 60 holds one flag whose value alone is wider (a path, a JSON document).
      for (const l of shown) if (l.length > 60) expect(l.trim().split(' --')).toHaveLength(1);
      await paste(shown.join('\n').replace(/^\s*\$ /, ''));
    }

    const object = await c.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'raw/orders/x.jsonl' }));
    expect(await object.Body!.transformToString()).toBe(body);
    const policy = await c.iam.send(
      new GetRolePolicyCommand({ RoleName: 'pasteable-role', PolicyName: 'p' }),
    );
    expect(JSON.parse(decodeURIComponent(policy.PolicyDocument!))).toEqual(JSON.parse(POLICY));
    const again = await c.lambda.send(new GetFunctionCommand({ FunctionName: 'pasteable-fn' }));
    expect(again.Configuration?.CodeSha256).toBe(original.Configuration?.CodeSha256);

    // The invoke writes its response where the command says (response.json, in the current directory).
    await waitUntilFunctionActiveV2({ client: c.lambda, maxWaitTime: 60 }, { FunctionName: 'pasteable-fn' });
    await paste(`${target.calls.toCli(invoke)} && grep -q '"hour":"07"' response.json`);
  });
});
