/**
 * The README's "Poking at the sandbox with the AWS CLI" section, run as written: its `sandbox start`
 * line in one process (terminal 1), every other line in a second shell (terminal 2) — the demo run
 * uses the running sandbox and follows its clock at its time-scale, then the AWS CLI v2 commands see
 * what the run kept. The lines are read from README.md itself, so the test follows the README.
 *
 * Two stand-ins, both doing what the named command would: `npx course-cli` runs this package's bin
 * (real npx does exactly that, after seconds of resolving the dependency tree), and `aws` is
 * /usr/bin/aws (the AWS CLI v2; another `aws` may come first on PATH). And terminal 1 gets `--port`
 * with a free port, so two test runs on one machine do not fight over the default 4599.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, ensureBuilt } from './builtCli.js';
import { makeTempDir } from '../helpers/sandbox.js';
import { AWS_CLI, requireTool } from '../helpers/tools.js';
import { expectDemo1Finished } from './demo1RunOutcome.js';
import { freePort } from './sandboxProcess.js';

/** The shell lines of the README section's code block. */
function readmeLines(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.split('\n## Poking at the sandbox with the AWS CLI\n')[1];
  if (!section) throw new Error('README.md has no "Poking at the sandbox with the AWS CLI" section');
  const block = /```sh\n([\s\S]*?)```/.exec(section.split('\n## ')[0]!);
  if (!block) throw new Error('the README section has no sh code block');
  return block[1]!.trimEnd().split('\n');
}

const PRELUDE = [
  `npx() { if [ "$1" = course-cli ]; then shift; "${process.execPath}" "${BIN}" "$@"; else command npx "$@"; fi; }`,
  `aws() { "${AWS_CLI}" "$@"; }`,
];

interface Shell {
  code: Promise<number | null>;
  out(): string;
  kill(signal: NodeJS.Signals): void;
  pid: number | undefined;
}

function shell(script: string, env: NodeJS.ProcessEnv): Shell {
  // Its own process group, so killing the "terminal" ends what runs in it (as closing one does).
  const child = spawn('/bin/bash', ['-c', script], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return {
    code: new Promise((resolve) => child.on('close', resolve)),
    out: () => out,
    kill: (signal) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    },
    pid: child.pid,
  };
}

let terminal1: Shell | undefined;

beforeAll(() => {
  requireTool(AWS_CLI, 'awscli');
  ensureBuilt();
}, 300_000);
afterAll(() => terminal1?.kill('SIGKILL'));

describe('README: poking at the sandbox with the AWS CLI', () => {
  it('sandbox start in one terminal; sandbox env, demo1 run --keep and the AWS CLI in another', async () => {
    const lines = readmeLines();
    const startLine = lines.find((l) => /^npx course-cli sandbox start\b/.test(l));
    expect(startLine, lines.join('\n')).toBeDefined();
    const rest = lines.filter((l) => l !== startLine);
    expect(rest.join('\n')).toMatch(/sandbox env[\s\S]*demo1 run[\s\S]*aws --endpoint-url/);

    // A learner's machine: a home folder of its own, no AWS configuration.
    const userHome = makeTempDir('course-readme-');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: userHome,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
      NO_COLOR: '1',
    };
    const port = await freePort();
    const [command, comment = ''] = startLine!.split(/(?=\s#)/);
    terminal1 = shell([...PRELUDE, `${command!.trimEnd()} --port ${port} ${comment.trim()}`].join('\n'), env);
    const until = Date.now() + 60_000;
    while (!terminal1.out().includes('Press Ctrl-C to stop.')) {
      if (Date.now() > until) throw new Error(`terminal 1:\n${terminal1.out()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(terminal1.out()).toContain('time-scale 30');
    const lock = JSON.parse(
      fs.readFileSync(path.join(userHome, '.course-cli', 'sandbox', 'sandbox.lock'), 'utf8'),
    ) as { timeScale: number; clockAnchor: { sandboxMs: number; realMs: number } };
    expect(lock.timeScale).toBe(30);

    // Terminal 2, line by line as the README has them, each followed by its exit status.
    const marked = rest.flatMap((l) => [
      `echo "### ${l.replace(/["$`\\]/g, '\\$&')}"`,
      l,
      'echo "### exit $?"',
    ]);
    const terminal2 = shell([...PRELUDE, ...marked].join('\n'), env);
    const timer = setTimeout(() => terminal2.kill('SIGKILL'), 240_000);
    expect(await terminal2.code, terminal2.out()).toBe(0);
    clearTimeout(timer);
    const out = terminal2.out();
    const section = (line: RegExp): { text: string; exit: number } => {
      const parts = out.split(/^### /m);
      const i = parts.findIndex((p) => line.test(p.split('\n')[0]!));
      expect(i, out).toBeGreaterThan(0);
      return {
        text: parts[i]!.split('\n').slice(1).join('\n'),
        exit: Number(/^exit (\d+)/.exec(parts[i + 1] ?? '')?.[1]),
      };
    };
    expect(section(/sandbox env/).exit, out).toBe(0);
    const run = section(/demo1 run --keep/);
    // The run finished (it used to hang reading metrics, following the sandbox clock at 1×) and
    // the scheduled runs it waited for happened on the sandbox clock.
    expectDemo1Finished(run.text, run.exit);
    expect(run.text).toMatch(/✔ it was written by a scheduled run/);
    // The run used the sandbox of terminal 1 (no sandbox of its own), and it kept the resources.
    expect(run.text).toContain(`127.0.0.1:${port}`);
    for (const line of [/s3 ls/, /lambda list-functions/, /logs describe-log-groups/]) {
      expect(section(line).exit, section(line).text).toBe(0);
    }
    const bucket = /course-demo1-[a-z0-9]+-[a-z0-9-]*/.exec(section(/s3 ls/).text)?.[0];
    expect(bucket, section(/s3 ls/).text).toBeDefined();
    const functions = JSON.parse(section(/lambda list-functions/).text) as {
      Functions: Array<{ FunctionName: string }>;
    };
    const fn = functions.Functions.map((f) => f.FunctionName).find((n) => n.startsWith('course-demo1-'));
    expect(fn).toBeDefined();
    const groups = JSON.parse(section(/logs describe-log-groups/).text) as {
      logGroups: Array<{ logGroupName: string }>;
    };
    expect(groups.logGroups.map((g) => g.logGroupName)).toContain(`/aws/lambda/${fn}`);

    // Tidy up: tear down through terminal 2, then Ctrl-C in terminal 1 stops the sandbox.
    const teardown = shell([...PRELUDE, 'npx course-cli demo1 teardown --yes'].join('\n'), env);
    expect(await teardown.code, teardown.out()).toBe(0);
    terminal1.kill('SIGINT');
    expect(await terminal1.code, terminal1.out()).toBe(0);
  }, 360_000);
});
