/** Lambda through the AWS CLI v2 (`/usr/bin/aws`, botocore's restJson1 client). */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { awsCli, type AwsCliResult } from '../../helpers/awsCli.js';
import { makeTempDir, startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { AWS_CLI, requireTool } from '../../helpers/tools.js';
import { createFunction, createRole } from './fixtures.js';

let t: TestSandbox;
let work: string;

const aws = (...args: string[]): Promise<AwsCliResult> => awsCli(t, args);

describe('AWS CLI v2 against the sandbox Lambda', () => {
  beforeAll(async () => {
    requireTool(AWS_CLI, 'awscli');
    t = await startTestSandbox();
    work = makeTempDir('course-cli-lambda-cli-');
    const role = await createRole(t);
    await createFunction(new LambdaClient(t.clientConfig), role, 'cli-fn', {
      'index.mjs':
        'export const handler = async (e) => { console.log("hello from cli"); return { doubled: e.n * 2 }; };',
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('lambda list-functions and invoke (with --log-type Tail)', { timeout: 60_000 }, async () => {
    const list = await aws('lambda', 'list-functions');
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).Functions.map((f: { FunctionName: string }) => f.FunctionName)).toEqual([
      'cli-fn',
    ]);

    const outFile = path.join(work, 'out.json');
    const inv = await aws(
      'lambda',
      'invoke',
      '--function-name',
      'cli-fn',
      '--cli-binary-format',
      'raw-in-base64-out',
      '--payload',
      '{"n":21}',
      '--log-type',
      'Tail',
      outFile,
    );
    expect(inv.code, inv.stderr).toBe(0);
    const meta = JSON.parse(inv.stdout);
    expect(meta.StatusCode).toBe(200);
    expect(meta.ExecutedVersion).toBe('$LATEST');
    expect(Buffer.from(meta.LogResult, 'base64').toString()).toContain('hello from cli');
    expect(JSON.parse(fs.readFileSync(outFile, 'utf8'))).toEqual({ doubled: 42 });

    const missing = await aws('lambda', 'get-function', '--function-name', 'nope');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('ResourceNotFoundException');
    expect(missing.stderr).toContain(
      'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope',
    );
  });
});
