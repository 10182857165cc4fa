/**
 * The deployment package: built in memory from the project's own files, deterministic, and it runs
 * unmodified in the sandbox's Lambda (child Node process, SDK resolved as the runtime provides it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { EXECUTION_POLICY_NAME, executionRolePolicy } from '../../../demos/demo1-scheduler-lambda/policy.js';
import {
  CreateFunctionCommand,
  InvokeCommand,
  LambdaClient,
  waitUntilFunctionActiveV2,
} from '@aws-sdk/client-lambda';
import { LambdaSourceMissingError, buildLambdaZip } from '../../../demos/shared/lambdaZip.js';
import { fromPackageRoot } from '../../../demos/shared/packagePaths.js';
import { LAMBDA_FILES, LAMBDA_SOURCE_DIR } from '../../../demos/demo1-scheduler-lambda/names.js';
import { readSummary } from '../../../demos/shared/orderStore.js';
import { rawOrderFile } from '../../../demos/shared/orders.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';

const sourceDir = fromPackageRoot(...LAMBDA_SOURCE_DIR);

describe('buildLambdaZip', () => {
  it('holds exactly the handler files, byte for byte, at the archive root', () => {
    const zip = buildLambdaZip(sourceDir, LAMBDA_FILES);
    const entries = unzipSync(zip.bytes);
    expect(Object.keys(entries).sort()).toEqual(['aggregate.mjs', 'index.mjs']);
    for (const name of LAMBDA_FILES) {
      expect(Buffer.from(entries[name]!).equals(fs.readFileSync(path.join(sourceDir, name)))).toBe(true);
    }
  });

  it('is deterministic, so unchanged code keeps its CodeSha256', () => {
    expect(Buffer.from(buildLambdaZip(sourceDir, LAMBDA_FILES).bytes)).toEqual(
      Buffer.from(buildLambdaZip(sourceDir, [...LAMBDA_FILES].reverse()).bytes),
    );
  });

  it('names a missing source file', () => {
    expect(() => buildLambdaZip(sourceDir, ['nope.mjs'])).toThrow(LambdaSourceMissingError);
  });
});

describe('the zip in the sandbox Lambda', () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await startTestSandbox();
  });
  afterAll(async () => {
    await sb?.stop();
  });

  it('runs on nodejs22.x and writes the summary to S3', async () => {
    const bucket = 'demo1-zip-test';
    const window = { dt: '2024-05-01', hour: '10' };
    const s3 = new S3Client({ ...sb.clientConfig, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const file = rawOrderFile({ seed: 'zip', window, count: 40, fileLabel: 'part-0000' });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: file.key, Body: file.body }));
    const iam = new IAMClient(sb.clientConfig);
    const role = await iam.send(
      new CreateRoleCommand({
        RoleName: 'demo1-zip-test',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    );
    // The handler runs as its role: give it the demo's own least-privilege policy.
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'demo1-zip-test',
        PolicyName: EXECUTION_POLICY_NAME,
        PolicyDocument: JSON.stringify(
          executionRolePolicy({
            bucket,
            region: 'us-east-1',
            accountId: '000000000000',
            functionName: 'demo1-zip-test',
          }),
        ),
      }),
    );
    const lambda = new LambdaClient(sb.clientConfig);
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'demo1-zip-test',
        Runtime: 'nodejs22.x',
        Role: role.Role!.Arn!,
        Handler: 'index.handler',
        Code: { ZipFile: buildLambdaZip(sourceDir, LAMBDA_FILES).bytes },
        Environment: { Variables: { BUCKET: bucket } },
        Timeout: 30,
      }),
    );
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'demo1-zip-test' });
    const res = await lambda.send(
      new InvokeCommand({
        FunctionName: 'demo1-zip-test',
        Payload: new TextEncoder().encode(JSON.stringify({ window })),
        LogType: 'Tail',
      }),
    );
    const tail = Buffer.from(res.LogResult ?? '', 'base64').toString('utf8');
    expect(res.FunctionError, tail).toBeUndefined();
    expect(JSON.parse(new TextDecoder().decode(res.Payload))).toMatchObject({
      status: 'processed',
      record_count: 40,
    });
    expect(tail).toMatch(/summary written/);
    expect(await readSummary(s3, bucket, window)).toMatchObject({
      ...file.stats,
      trigger: { type: 'backfill' },
    });
  });
});
