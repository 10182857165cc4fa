/**
 * Fault profiles on the command line, as processes: a bad profile (flag or environment) is one line
 * and exit 2 before anything is created; `sandbox start --faults` says what it injects and logs each
 * fault; a demo command reaching that sandbox is told, and a COURSE_SANDBOX_FAULTS it cannot apply
 * is called out rather than silently ignored.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
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

const run = promisify(execFile);

beforeAll(() => {
  requireTool(AWS_CLI, 'awscli');
  ensureBuilt();
}, 300_000);
afterAll(killStartedSandboxes);

describe('a bad fault profile', () => {
  it('on sandbox start: one line, exit 2, nothing started', async () => {
    const home = makeTempDir('course-cli-faults-cli-');
    const r = await runCli(['--home', home, 'sandbox', 'start', '--port', '0', '--faults', 'aws-lik']);
    expect(expectOneErrorLine(r, 2)).toBe(
      'error: --faults: unknown fault profile "aws-lik": use none, aws-like, hostile, or a path to a .json file.',
    );
    expect(fs.existsSync(path.join(home, 'sandbox', 'sandbox.lock'))).toBe(false);
    const file = path.join(home, 'bad.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ extends: 'aws-like', services: { lambda: { operations: { Invok: {} } } } }),
    );
    const op = await runCli(['--home', home, 'sandbox', 'start', '--port', '0', '--faults', file]);
    expect(expectOneErrorLine(op, 2)).toBe(
      `error: fault profile ${file}: services.lambda.operations.Invok: lambda has no operation Invok.`,
    );
  });

  it('in COURSE_SANDBOX_FAULTS for a demo run: one line, exit 2, no ledger', async () => {
    const home = makeTempDir('course-cli-faults-cli-');
    const file = path.join(home, 'p.json');
    fs.writeFileSync(file, '{"throttling": 2}');
    const r = await runCli(['--home', home, 'demo1', 'run', '--yes'], { COURSE_SANDBOX_FAULTS: file });
    expect(expectOneErrorLine(r, 2)).toBe(
      `error: COURSE_SANDBOX_FAULTS: fault profile ${file}: throttling must be a fraction from 0 to 1 (0.1 means 10% of requests).`,
    );
    expect(fs.existsSync(path.join(home, 'ledgers'))).toBe(false);
  });
});

describe('sandbox start --faults', () => {
  it('says what it injects, logs each fault, and demo commands reaching it are told', async () => {
    const home = makeTempDir('course-cli-faults-cli-');
    const port = await freePort();
    const file = path.join(home, 'sts-down.json');
    fs.writeFileSync(file, JSON.stringify({ seed: 77, services: { sts: { serverErrors: 1 } } }));
    const bg = await startSandboxInBackground(home, port, ['--faults', file]);
    const out = bg.stdout();
    expect(out).toContain(`Faults: ${file} (seed 77): sts: 100% server errors\n`);
    expect(out).toContain(`to meet the same ones again: --faults ${file}`);

    // The AWS CLI meets the faults (and retries them); the sandbox logs each one.
    const env = await runCli(['--home', home, 'sandbox', 'env']);
    const script = `eval "$("${process.execPath}" "${BIN}" --home "${home}" sandbox env)" && "${AWS_CLI}" --endpoint-url "$AWS_ENDPOINT_URL" sts get-caller-identity`;
    expect(env.code).toBe(0);
    const cli = await run('bash', ['-c', script], {
      env: {
        ...process.env,
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_PAGER: '',
      },
    }).then(
      () => ({ stderr: '' }),
      (e: { stderr: string }) => e,
    );
    expect(cli.stderr).toMatch(
      /\((InternalFailure|ServiceUnavailable)\) when calling the GetCallerIdentity operation \(reached max retries: \d+\)/,
    );
    expect(bg.stderr()).toMatch(
      /^\[sandbox\] fault: failed sts GetCallerIdentity with (InternalFailure 500|ServiceUnavailable 503) \(root request /m,
    );

    // A demo command reaching it says so; a profile it cannot apply is not silently dropped.
    const told = await runCli(['--home', home, 'teardown', '--all', '--yes']);
    expect(told.code, told.stderr).toBe(0);
    // (Notes are wrapped to the output's width: compare them as one line.)
    const flat = (text: string): string => text.replace(/\s+/g, ' ');
    expect(flat(told.stdout + told.stderr)).toContain(`runs under fault profile ${file} (seed 77)`);
    const ignored = await runCli(['--home', home, 'teardown', '--all', '--yes'], {
      COURSE_SANDBOX_FAULTS: 'hostile',
    });
    expect(flat(ignored.stdout + ignored.stderr)).toContain(
      `uses fault profile ${file} (seed 77); COURSE_SANDBOX_FAULTS applies only to a sandbox this run starts.`,
    );

    bg.child.kill('SIGINT');
    expect(await bg.exited).toBe(0);
  }, 120_000);
});
