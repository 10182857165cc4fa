/**
 * The proof tests' processes: the built CLI run as a learner would (`node bin/course-cli.js …`,
 * no terminal), with the test hooks in its environment, and a `sandbox start` process of its own
 * that outlives any CLI the tests kill (README, "Poking at the sandbox": a run with the same home
 * uses the running sandbox). Every process started here is stopped by the test that started it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { freePort } from '../cli/sandboxProcess.js';
import path from 'node:path';
import { BIN, ROOT } from '../cli/builtCli.js';
import { loadOrCreateCredentials } from '../../src/sandbox/index.js';
import type { SandboxAccess } from './demoResources.js';

export interface CliOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI to its end (or its death); `env` adds to a learner's plain environment. */
export function runCourseCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 180_000,
): Promise<CliOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', COLUMNS: '200', COURSE_CLI_HOME: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`course-cli ${args.join(' ')} did not end in time:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export interface SandboxProcess {
  access: SandboxAccess;
  pid: number;
  /** Ctrl-C, as in its terminal; resolves with its exit code. */
  stop(): Promise<number | null>;
}

/** `course-cli sandbox start` for `home`, in a process of its own, once it serves. */
export async function startSandboxProcess(home: string): Promise<SandboxProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'sandbox', 'start', '--home', home, '--port', String(port)], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', COURSE_CLI_HOME: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const until = Date.now() + 60_000;
  while (!out.includes('Press Ctrl-C to stop.')) {
    if (Date.now() > until || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`sandbox start did not come up:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const stateDir = path.join(home, 'sandbox');
  const lock = JSON.parse(fs.readFileSync(path.join(stateDir, 'sandbox.lock'), 'utf8')) as {
    endpoint: string;
  };
  return {
    access: { region: 'us-east-1', endpoint: lock.endpoint, credentials: loadOrCreateCredentials(stateDir) },
    pid: child.pid!,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}

export interface LedgerView {
  runId: string;
  entries: Array<{ kind: string; name: string; state: string; parent?: string }>;
}

/** The ledger of `demo` in `home` (sandbox target), or undefined when there is none. */
export function readLedger(home: string, demo: string): LedgerView | undefined {
  try {
    return JSON.parse(
      fs.readFileSync(path.join(home, 'ledgers', 'sandbox', `${demo}.json`), 'utf8'),
    ) as LedgerView;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
