/**
 * `course-cli sandbox start | env | reset` as real processes: a foreground sandbox prints its export
 * lines, `eval "$(course-cli sandbox env)"` points the AWS CLI at it, a second start and a reset
 * are refused while it runs, Ctrl-C stops it with its state saved, and `reset --yes` wipes it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt, runCli } from './builtCli.js';
import {
  expectOneErrorLine,
  freePort,
  killStartedSandboxes,
  startSandboxInBackground,
} from './sandboxProcess.js';
import { makeTempDir } from '../helpers/sandbox.js';
import { AWS_CLI, requireTool } from '../helpers/tools.js';
import { startSandbox } from '../../src/sandbox/index.js';

const run = promisify(execFile);

/** The buckets in a stopped sandbox's state directory, asked through ListBuckets. */
async function bucketsIn(stateDir: string): Promise<string[]> {
  const sb = await startSandbox({ stateDir });
  try {
    const s3 = new S3Client({
      region: sb.region,
      endpoint: sb.endpoint,
      credentials: sb.credentials,
      forcePathStyle: true,
      maxAttempts: 1,
    });
    const out = await s3.send(new ListBucketsCommand({}));
    return (out.Buckets ?? []).map((b) => b.Name ?? '');
  } finally {
    await sb.stop();
  }
}

beforeAll(() => {
  requireTool(AWS_CLI, 'awscli');
  ensureBuilt();
}, 300_000);
afterAll(killStartedSandboxes);

describe('sandbox start, env, reset', () => {
  it('serves the AWS CLI, refuses a second start and a reset while running, stops on Ctrl-C, resets', async () => {
    const home = makeTempDir('course-cli-sandbox-cmd-');
    const stateDir = path.join(home, 'sandbox');
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;

    const bg = await startSandboxInBackground(home, port);
    const server = bg.child;
    const out = bg.stdout();
    expect(out).toContain(`Sandbox running at ${endpoint} (region us-east-1`);
    expect(out).toContain(`State: ${stateDir}`);
    expect(out).toContain(`  export AWS_ENDPOINT_URL=${endpoint}\n`);
    expect(out).toMatch(/ {2}export AWS_ACCESS_KEY_ID=\S+\n {2}export AWS_SECRET_ACCESS_KEY=\S+\n/);

    // `sandbox env` prints the same export lines, for eval.
    const env = await runCli(['--home', home, 'sandbox', 'env']);
    expect(env.code, env.stderr).toBe(0);
    expect(env.stderr).toBe('');
    for (const line of env.stdout.trimEnd().split('\n')) expect(out).toContain(`  ${line}\n`);

    // eval "$(course-cli sandbox env)" in a shell with no AWS configuration of its own.
    const script = [
      `eval "$("${process.execPath}" "${BIN}" --home "${home}" sandbox env)"`,
      `"${AWS_CLI}" --endpoint-url "$AWS_ENDPOINT_URL" s3 mb s3://poked-by-hand`,
      `"${AWS_CLI}" --endpoint-url "$AWS_ENDPOINT_URL" s3 ls`,
    ].join(' && ');
    const shell = await run('/bin/bash', ['-c', script], {
      env: {
        PATH: process.env.PATH,
        HOME: home,
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_PAGER: '',
      },
      timeout: 60_000,
    });
    expect(shell.stdout).toContain('make_bucket: poked-by-hand');
    expect(shell.stdout).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d poked-by-hand/);

    // One sandbox per home: a second start (other port or the same) and a reset are refused.
    for (const p of [await freePort(), port]) {
      const again = await runCli(['--home', home, 'sandbox', 'start', '--port', String(p)]);
      const line = expectOneErrorLine(again, 1);
      expect(line).toContain(`pid ${server.pid}`);
      expect(line).toContain(endpoint);
    }
    const refused = expectOneErrorLine(await runCli(['--home', home, 'sandbox', 'reset', '--yes']), 1);
    expect(refused).toContain(`pid ${server.pid}`);
    expect(refused).toContain(endpoint);
    expect(fs.existsSync(stateDir)).toBe(true);

    // Ctrl-C: exit 0, state saved.
    server.kill('SIGINT');
    expect(await bg.exited).toBe(0);
    expect(bg.stdout()).toContain('Sandbox stopped; its state is saved.');
    expect(bg.stderr()).toBe('');
    expectOneErrorLine(await runCli(['--home', home, 'sandbox', 'env']), 1);
    expect(await bucketsIn(stateDir)).toEqual(['poked-by-hand']);

    // Without a terminal, reset needs --yes; with it, the state is gone.
    const unconfirmed = expectOneErrorLine(await runCli(['--home', home, 'sandbox', 'reset']), 2);
    expect(unconfirmed).toContain('--yes');
    expect(fs.existsSync(stateDir)).toBe(true);
    const reset = await runCli(['--home', home, 'sandbox', 'reset', '--yes']);
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stderr).toBe('');
    expect(reset.stdout).toContain(`Sandbox reset: removed ${stateDir}`);
    expect(fs.existsSync(stateDir)).toBe(false);
    expect(await bucketsIn(stateDir)).toEqual([]);
  }, 60_000);

  it('closing its terminal (SIGHUP) saves the state like Ctrl-C', async () => {
    const home = makeTempDir('course-cli-sandbox-hup-');
    const stateDir = path.join(home, 'sandbox');
    const bg = await startSandboxInBackground(home, await freePort());
    bg.child.kill('SIGHUP');
    expect(await bg.exited, bg.stderr()).toBe(0);
    // The sandbox clock is saved only by a clean stop; the lock is released.
    expect(fs.existsSync(path.join(stateDir, 'clock.json'))).toBe(true);
    expect(fs.existsSync(path.join(stateDir, 'sandbox.lock'))).toBe(false);
    expectOneErrorLine(await runCli(['--home', home, 'sandbox', 'env']), 1);
  }, 30_000);
});
