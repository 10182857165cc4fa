/**
 * Test helper: an embedded sandbox in a fresh temp state directory, and SDK client config for it.
 * Real HTTP on 127.0.0.1 with real SigV4 — never a mocked SDK.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/sandbox/index.js';

export interface TestSandbox {
  sandbox: RunningSandbox;
  stateDir: string;
  /** Spread into any `new XxxClient(...)`. */
  clientConfig: {
    region: string;
    endpoint: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
    maxAttempts: number;
  };
  /** Environment for the AWS CLI v2 (`/usr/bin/aws`) against this sandbox. */
  cliEnv: NodeJS.ProcessEnv;
  /** Stop and start again on the same state directory (persistence tests). */
  restart(opts?: Partial<SandboxOptions>): Promise<void>;
  stop(): Promise<void>;
}

export function makeTempDir(prefix = 'course-cli-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Lambda functions are usable at once here (no Pending/InProgress window) unless a test asks for
 * one with `lambdaTransitionMs`: the windows have tests of their own, and the CLI's sandbox (and the
 * demos' honest waits) keep the default.
 */
export async function startTestSandbox(opts: Partial<SandboxOptions> = {}): Promise<TestSandbox> {
  opts = { lambdaTransitionMs: 0, ...opts };
  const stateDir = opts.stateDir ?? makeTempDir();
  const t = {} as TestSandbox;
  const apply = (sb: RunningSandbox): void => {
    t.sandbox = sb;
    t.stateDir = stateDir;
    t.clientConfig = {
      region: 'us-east-1',
      endpoint: sb.endpoint,
      credentials: { ...sb.credentials },
      maxAttempts: 1,
    };
    t.cliEnv = {
      ...process.env,
      AWS_ACCESS_KEY_ID: sb.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sb.credentials.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: sb.endpoint,
      AWS_PAGER: '',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    };
  };
  apply(await startSandbox({ ...opts, stateDir }));
  t.restart = async (more = {}) => {
    await t.sandbox.stop();
    apply(await startSandbox({ ...opts, ...more, stateDir }));
  };
  t.stop = () => t.sandbox.stop();
  return t;
}
