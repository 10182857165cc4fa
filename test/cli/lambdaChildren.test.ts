/**
 * No Lambda child process outlives the CLI or the sandbox, whatever ends it. A handler in a busy
 * loop (it never reads the IPC channel closing) that has started a process of its own runs in the
 * sandbox of a real CLI process; then the CLI is ended — a double Ctrl-C during `demo1 run` (the
 * second one exits at once), SIGKILL or an unhandled signal of `sandbox start` — and the handler's
 * process and its child must be gone within seconds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InvokeCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { loadOrCreateCredentials, readLiveLock } from '../../src/sandbox/index.js';
import { BIN, ROOT, ensureBuilt } from './builtCli.js';
import { makeTempDir, type TestSandbox } from '../helpers/sandbox.js';
import { createFunction, createRole } from '../sandbox/lambda/fixtures.js';

const BUSY_HANDLER = `import { spawn } from 'node:child_process';
import fs from 'node:fs';
export const handler = async () => {
  const child = spawn('sleep', ['300'], { stdio: 'ignore' });
  fs.writeFileSync(process.env.MARKER, JSON.stringify({ pid: process.pid, child: child.pid }));
  for (;;) {}
};`;

/** Alive and not a zombie (an orphan nobody has reaped yet is dead for this purpose). */
function running(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

const started: ChildProcess[] = [];
const strays: number[] = [];
afterEach(() => {
  for (const p of started.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  for (const pid of strays.splice(0)) if (running(pid)) process.kill(pid, 'SIGKILL');
});

interface Cli {
  child: ChildProcess;
  output(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startCli(args: string[]): Cli {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', COURSE_CLI_HOME: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return {
    child,
    output: () => out,
    exit: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal }))),
  };
}

async function waitFor(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Deploy the busy handler into the home's running sandbox, invoke it (Event), return its pids. */
async function busyHandlerIn(home: string): Promise<{ pid: number; child: number }> {
  const stateDir = path.join(home, 'sandbox');
  await waitFor(() => !!readLiveLock(stateDir)?.endpoint, 'the sandbox to listen');
  const config = {
    region: 'us-east-1',
    endpoint: readLiveLock(stateDir)!.endpoint,
    credentials: loadOrCreateCredentials(stateDir),
    maxAttempts: 1,
  };
  const role = await createRole({ clientConfig: config } as TestSandbox, 'busy-role');
  const lambda = new LambdaClient(config);
  const marker = path.join(makeTempDir('course-busy-'), 'pids.json');
  await createFunction(
    lambda,
    role,
    'busy-loop',
    { 'index.mjs': BUSY_HANDLER },
    {
      Timeout: 900,
      Environment: { Variables: { MARKER: marker } },
    },
  );
  // As on AWS, a new function may be Pending for a moment before it can be invoked.
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 60 }, { FunctionName: 'busy-loop' });
  await lambda.send(new InvokeCommand({ FunctionName: 'busy-loop', InvocationType: 'Event' }));
  lambda.destroy();
  await waitFor(() => fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').length > 0, 'the handler');
  const pids = JSON.parse(fs.readFileSync(marker, 'utf8')) as { pid: number; child: number };
  strays.push(pids.pid, pids.child);
  expect(running(pids.pid) && running(pids.child)).toBe(true);
  return pids;
}

async function expectGone(pids: { pid: number; child: number }): Promise<void> {
  const end = Date.now() + 5000;
  while ((running(pids.pid) || running(pids.child)) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
  }
  expect({ handler: running(pids.pid), itsChild: running(pids.child) }).toEqual({
    handler: false,
    itsChild: false,
  });
}

beforeAll(() => ensureBuilt(), 300_000);

describe('Lambda child processes end with the CLI', () => {
  it('a double Ctrl-C during demo1 run', async () => {
    const home = makeTempDir('course-children-run-');
    const cli = startCli(['--home', home, 'demo1', 'run', '--yes']);
    await waitFor(() => /▶ Step 1\.2 ·/.test(cli.output()), 'the run to start');
    const pids = await busyHandlerIn(home);
    cli.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 30));
    cli.child.kill('SIGINT');
    // The second Ctrl-C exits at once: 130 from the CLI's own handler, or death by SIGINT when it
    // lands after the run has already stopped (the handler is gone by then).
    const exit = await cli.exit;
    expect(exit.code === 130 || exit.signal === 'SIGINT', `${JSON.stringify(exit)}\n${cli.output()}`).toBe(
      true,
    );
    await expectGone(pids);
  }, 120_000);

  it.each(['SIGKILL', 'SIGQUIT'] as const)(
    'sandbox start ended by %s',
    async (signal) => {
      const home = makeTempDir('course-children-sb-');
      const cli = startCli(['--home', home, 'sandbox', 'start', '--port', '0']);
      await waitFor(() => cli.output().includes('Press Ctrl-C to stop.'), 'the sandbox');
      const pids = await busyHandlerIn(home);
      cli.child.kill(signal);
      expect((await cli.exit).signal).toBe(signal);
      await expectGone(pids);
    },
    120_000,
  );
});
