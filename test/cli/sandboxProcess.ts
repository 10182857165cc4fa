/**
 * Test helper: `course-cli sandbox start` as a background process (once its banner is out; killed
 * by `afterAll(killStartedSandboxes)` if a test fails before stopping it), a free port for it, and the shape every refused command must have — one line on stderr, nothing on
 * stdout, no stack trace.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import net from 'node:net';
import { expect } from 'vitest';
import { BIN, ROOT, type CliResult } from './builtCli.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** One line on stderr, nothing on stdout, no stack trace, exit `code`; the line. */
export function expectOneErrorLine(r: CliResult, code: number): string {
  expect(r.code, r.stdout + r.stderr).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\bat \S+:\d+:\d+/);
  return r.stderr.trimEnd();
}

/** Started by this test file and perhaps still running (a failed test may not have stopped it). */
const started = new Set<ChildProcessWithoutNullStreams>();

/** SIGKILL whatever this file started that is still running: for `afterAll`. */
export function killStartedSandboxes(): void {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  started.clear();
}

export interface BackgroundSandbox {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

/** `sandbox start --port <port> [more]` in the background, once it says how to stop it. */
export async function startSandboxInBackground(
  home: string,
  port: number,
  more: string[] = [],
): Promise<BackgroundSandbox> {
  const child = spawn(
    process.execPath,
    [BIN, '--home', home, 'sandbox', 'start', '--port', String(port), ...more],
    {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', COURSE_CLI_HOME: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  started.add(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const until = Date.now() + 30_000;
  while (!out.includes('Press Ctrl-C to stop.')) {
    if (Date.now() > until || child.exitCode !== null) throw new Error(`sandbox start:\n${out}${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, stdout: () => out, stderr: () => err, exited };
}
