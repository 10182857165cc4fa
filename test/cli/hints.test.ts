/**
 * What the CLI tells a learner to type next works as typed: through npx the hints say
 * `npx course-cli …`; `help <command>` works; status suggests only commands that exist; and a shell
 * pointed at the sandbox by `sandbox env` is never taken for an AWS account.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './builtCli.js';
import { makeTempDir, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const VIA_NPX = { npm_command: 'exec', npm_lifecycle_event: 'npx' };

beforeAll(() => ensureBuilt(), 300_000);

describe('hints use the command the learner typed', () => {
  it('through npx: status, list and errors say npx course-cli', async () => {
    const home = makeTempDir('course-cli-hints-');
    const status = await runCli(['--home', home, 'demo1', 'status'], VIA_NPX);
    expect(status.stdout).toContain('Progress: not started. Run: npx course-cli demo1 run');
    const list = await runCli(['list'], VIA_NPX);
    expect(list.stdout).toContain('Run one with: npx course-cli demo1 run');
    const typo = await runCli(['--home', home, 'dmeo1'], VIA_NPX);
    expect(typo.stderr).toContain('See npx course-cli --help or npx course-cli list.');
    const help = await runCli(['--help'], VIA_NPX);
    expect(help.stdout).toContain('Start here: npx course-cli demo1 run');
  });

  it('run directly with node: the hints say so', async () => {
    const status = await runCli(['--home', makeTempDir('course-cli-hints-'), 'demo1', 'status'], {
      npm_command: undefined,
      npm_lifecycle_event: undefined,
    });
    expect(status.stdout).toContain('Run: node bin/course-cli.js demo1 run');
  });

  it("help <command> shows that command's help", async () => {
    const r = await runCli(['help', 'demo1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: course-cli demo1\|scheduler-lambda/);
  });

  it('every demo is in this release: status of the last one suggests its own run, as typed', async () => {
    // demo3 ships on this branch, so no catalog entry is left to say "not in this release".
    const r = await runCli(['--home', makeTempDir('course-cli-hints-'), 'demo3', 'status'], VIA_NPX);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('not in this release');
    expect(r.stdout).toContain('Progress: not started. Run: npx course-cli demo3 run');
  });
});

describe('credentials that lead to the sandbox', () => {
  let sandbox: TestSandbox | undefined;
  afterAll(() => sandbox?.stop());

  it('--target aws with `sandbox env` in the shell runs on the sandbox and says why; no aws ledger', async () => {
    const home = makeTempDir('course-cli-sandbox-env-');
    sandbox = await startTestSandbox({ stateDir: path.join(home, 'sandbox') });
    const env = {
      AWS_ENDPOINT_URL: sandbox.sandbox.endpoint,
      AWS_ACCESS_KEY_ID: sandbox.sandbox.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sandbox.sandbox.credentials.secretAccessKey,
      AWS_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    };
    const run = await runCli(
      ['--home', home, 'demo1', 'run', '--target', 'aws', '--yes', '--phase', 'setup', '--keep'],
      env,
      120_000,
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout.replace(/\s+/g, ' ')).toContain(
      `AWS_ENDPOINT_URL (${sandbox.sandbox.endpoint}) points at this home's sandbox`,
    );
    expect(run.stdout).toContain(`Target: sandbox (${sandbox.sandbox.endpoint})`);
    expect(run.stdout).not.toMatch(/This run creates resources in AWS account|Small costs/);
    const ledgers = fs.readdirSync(path.join(home, 'ledgers'));
    expect(ledgers).toEqual(['sandbox']);
    const down = await runCli(['--home', home, 'demo1', 'teardown', '--yes'], {}, 120_000);
    expect(down.code, down.stdout + down.stderr).toBe(0);
  }, 180_000);
});
