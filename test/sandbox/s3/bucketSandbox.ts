/**
 * Test helper: a sandbox with one bucket for a test file's S3 tests — started before them, stopped
 * after — and an SDK client for it. `env.s3` and `env.sandbox` are set once `beforeAll` has run.
 */
import { afterAll, beforeAll } from 'vitest';
import { CreateBucketCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';

export interface BucketSandbox {
  sandbox: TestSandbox;
  s3: S3Client;
  /** Restart the sandbox (its state kept) and give `s3` a client for the restarted one. */
  restart(): Promise<void>;
}

export function sandboxWithBucket(bucket: string, client: Partial<S3ClientConfig> = {}): BucketSandbox {
  const env = {
    async restart() {
      await env.sandbox.restart();
      env.s3 = new S3Client({ ...env.sandbox.clientConfig, ...client });
    },
  } as BucketSandbox;
  beforeAll(async () => {
    env.sandbox = await startTestSandbox();
    env.s3 = new S3Client({ ...env.sandbox.clientConfig, ...client });
    await env.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(async () => {
    await env.sandbox?.stop();
  });
  return env;
}
