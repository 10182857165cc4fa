/** S3 through the AWS CLI v2 (`/usr/bin/aws`, botocore's own signer and transfer manager). */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli, type AwsCliResult } from '../../helpers/awsCli.js';
import { AWS_CLI, requireTool } from '../../helpers/tools.js';
import { makeTempDir, startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';

let t: TestSandbox;
let work: string;

const aws = (...args: string[]): Promise<AwsCliResult> => awsCli(t, args);

describe('AWS CLI v2 against the sandbox S3', () => {
  beforeAll(async () => {
    requireTool(AWS_CLI, 'awscli');
    t = await startTestSandbox();
    work = makeTempDir('course-cli-s3-cli-');
  });
  afterAll(async () => {
    await t?.stop();
  });

  it(
    'mb, cp (multipart) up and down byte-exact, ls, list-objects-v2, rm, rb',
    { timeout: 120_000 },
    async () => {
      const mb = await aws('s3', 'mb', 's3://cli-bucket');
      expect(mb.stderr).toBe('');
      expect(mb.stdout).toContain('make_bucket: cli-bucket');

      // Above the CLI's 8 MB threshold, so the upload goes multipart.
      const data = randomBytes(9 * 1024 * 1024 + 17);
      const local = path.join(work, 'up.bin');
      fs.writeFileSync(local, data);
      const up = await aws('s3', 'cp', local, 's3://cli-bucket/data/up.bin');
      expect(up.stderr).toBe('');
      expect(up.code).toBe(0);

      const back = path.join(work, 'down.bin');
      const down = await aws('s3', 'cp', 's3://cli-bucket/data/up.bin', back);
      expect(down.code).toBe(0);
      expect(fs.readFileSync(back).equals(data)).toBe(true);

      const ls = await aws('s3', 'ls', 's3://cli-bucket/data/');
      expect(ls.stdout).toMatch(/9437201 up\.bin/);
      const lsRoot = await aws('s3', 'ls', 's3://cli-bucket');
      expect(lsRoot.stdout).toContain('PRE data/');
      const buckets = await aws('s3', 'ls');
      expect(buckets.stdout).toContain('cli-bucket');

      const api = await aws('s3api', 'list-objects-v2', '--bucket', 'cli-bucket', '--output', 'json');
      const listed = JSON.parse(api.stdout) as { Contents: Array<{ Key: string; Size: number }> };
      expect(listed.Contents).toHaveLength(1);
      expect(listed.Contents[0]).toMatchObject({ Key: 'data/up.bin', Size: 9437201 });

      const rbFull = await aws('s3', 'rb', 's3://cli-bucket');
      expect(rbFull.code).not.toBe(0);
      expect(rbFull.stderr).toContain('BucketNotEmpty');

      const rm = await aws('s3', 'rm', 's3://cli-bucket/data/up.bin');
      expect(rm.code).toBe(0);
      expect(rm.stdout).toContain('delete: s3://cli-bucket/data/up.bin');
      const rb = await aws('s3', 'rb', 's3://cli-bucket');
      expect(rb.code).toBe(0);
      expect(rb.stdout).toContain('remove_bucket: cli-bucket');
    },
  );

  it('s3api errors come back with AWS codes', { timeout: 60_000 }, async () => {
    const bad = await aws('s3api', 'create-bucket', '--bucket', 'Bad_Name');
    expect(bad.stderr).toContain('InvalidBucketName');
    // botocore, unlike the JS SDK, sends no location constraint unless told to.
    const eu = await aws('s3api', 'create-bucket', '--bucket', 'cli-eu-bucket', '--region', 'eu-west-1');
    expect(eu.stderr).toContain('IllegalLocationConstraintException');
    const ok = await aws(
      's3api',
      'create-bucket',
      '--bucket',
      'cli-eu-bucket',
      '--region',
      'eu-west-1',
      '--create-bucket-configuration',
      'LocationConstraint=eu-west-1',
    );
    expect(ok.code).toBe(0);
  });

  it('recursive copy up and recursive delete', { timeout: 120_000 }, async () => {
    await aws('s3', 'mb', 's3://cli-tree');
    const dir = path.join(work, 'tree');
    fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'a.txt'), 'alpha');
    fs.writeFileSync(path.join(dir, 'sub', 'b.txt'), 'beta');
    const cp = await aws('s3', 'cp', dir, 's3://cli-tree/in/', '--recursive');
    expect(cp.code).toBe(0);
    const rm = await aws('s3', 'rm', 's3://cli-tree/', '--recursive');
    expect(rm.code).toBe(0);
    expect(rm.stdout).toContain('delete: s3://cli-tree/in/sub/b.txt');
    expect(rm.stdout).toContain('delete: s3://cli-tree/in/a.txt');
  });
});
