/**
 * The sandbox lock between real processes: many processes released at the same instant onto a
 * stale lock (its owner is dead) — exactly one takes it over, every other one names the winner;
 * and a process reading the lock all the while never sees a half-written or missing-content lock.
 * The processes use the built module (dist), as the CLI does.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ensureBuilt } from '../cli/builtCli.js';
import { makeTempDir } from '../helpers/sandbox.js';

const LOCK_MODULE = path.join(ROOT, 'dist', 'src', 'sandbox', 'lock.js');

/** Waits for "go" on stdin, tries to take the lock, prints the outcome, stays alive until stdin ends. */
const CONTENDER = `
import { acquireLock } from ${JSON.stringify(LOCK_MODULE)};
const dir = process.env.LOCK_DIR;
let phase = 0;
process.stdin.on('data', () => {
  if (phase++ > 0) return;
  let outcome;
  try {
    acquireLock(dir);
    outcome = 'won';
  } catch (e) {
    outcome = e.name === 'SandboxAlreadyRunningError' ? 'lost ' + e.pid : 'error ' + e.name + ': ' + e.message;
  }
  process.stdout.write(outcome + '\\n');
});
process.stdin.on('end', () => process.exit(0));
process.stdout.write('ready\\n');
`;

/** Takes and releases the lock in a loop for a second and a half after "go"; prints how many times. */
const CHURNER = `
import { acquireLock, releaseLock } from ${JSON.stringify(LOCK_MODULE)};
const dir = process.env.LOCK_DIR;
process.stdin.once('data', () => {
  const end = Date.now() + 1500;
  let n = 0;
  while (Date.now() < end) { acquireLock(dir); releaseLock(dir); n++; }
  process.stdout.write(n + '\\n');
});
process.stdin.on('end', () => process.exit(0));
process.stdout.write('ready\\n');
`;

/** Reads the lock in a loop until stdin ends; prints how many reads failed and how many saw a holder. */
const READER = `
import { readLiveLock } from ${JSON.stringify(LOCK_MODULE)};
const dir = process.env.LOCK_DIR;
let reads = 0, failures = 0, seen = 0, stop = false;
const first = [];
process.stdin.on('end', () => { stop = true; });
process.stdin.resume();
process.stdout.write('ready\\n');
const loop = () => {
  const until = Date.now() + 20;
  while (Date.now() < until) {
    reads++;
    try { if (readLiveLock(dir)) seen++; } catch (e) { failures++; if (first.length < 3) first.push(e.message); }
  }
  if (stop) { process.stdout.write(JSON.stringify({ reads, failures, seen, first }) + '\\n'); process.exit(0); }
  setImmediate(loop);
};
loop();
`;

interface Proc {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  closed: Promise<void>;
}

function startScript(source: string, dir: string): Proc {
  const child = spawn(process.execPath, ['--input-type=module', '-e', source], {
    env: { ...process.env, LOCK_DIR: dir },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d;
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr.on('data', (d) => lines.push(`stderr: ${d}`));
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return { child, lines, closed };
}

async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The pid of a process that has exited (its lock is stale). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

beforeAll(() => ensureBuilt(), 300_000);

describe('sandbox lock between processes', () => {
  it('of many processes taking over a stale lock at once exactly one wins; readers never see a broken lock', async () => {
    const CONTENDERS = 6;
    const ROUNDS = 2;
    for (let round = 0; round < ROUNDS; round++) {
      const dir = makeTempDir('course-lockrace-');
      fs.writeFileSync(
        path.join(dir, 'sandbox.lock'),
        JSON.stringify({ pid: deadPid(), port: 1, endpoint: 'http://127.0.0.1:1', startedAt: '' }),
      );
      const reader = startScript(READER, dir);
      const contenders = Array.from({ length: CONTENDERS }, () => startScript(CONTENDER, dir));
      const all = [reader, ...contenders];
      await until(() => all.every((p) => p.lines.includes('ready')), 'the processes to load');
      for (const c of contenders) c.child.stdin.write('go\n');
      await until(() => contenders.every((c) => c.lines.length >= 2), 'every contender to try');
      for (const p of all) p.child.stdin.end();
      await Promise.all(all.map((p) => p.closed));

      const outcomes = contenders.map((c) => c.lines[1]);
      const winners = contenders.filter((c) => c.lines[1] === 'won');
      expect(winners, `round ${round}: ${outcomes.join(', ')}`).toHaveLength(1);
      const losers = outcomes.filter((o) => o !== 'won');
      expect(losers).toEqual(losers.map(() => `lost ${winners[0]!.child.pid}`));
      const read = JSON.parse(reader.lines[1] ?? '{}') as {
        reads: number;
        failures: number;
        first: string[];
      };
      expect(read.reads).toBeGreaterThan(0);
      expect(read.failures, read.first.join('\n')).toBe(0);
      // Takeover guards and temp files are gone; only the (now stale) lock remains.
      expect(fs.readdirSync(dir)).toEqual(['sandbox.lock']);
    }
  }, 120_000);

  it('a process reading the lock while another takes and releases it never finds it unreadable', async () => {
    const dir = makeTempDir('course-lockread-');
    const churner = startScript(CHURNER, dir);
    const reader = startScript(READER, dir);
    await until(
      () => churner.lines.includes('ready') && reader.lines.includes('ready'),
      'the processes to load',
    );
    churner.child.stdin.write('go\n');
    await until(() => churner.lines.length >= 2, 'the churn to finish');
    for (const p of [churner, reader]) p.child.stdin.end();
    await Promise.all([churner.closed, reader.closed]);
    expect(Number(churner.lines[1])).toBeGreaterThan(10);
    const read = JSON.parse(reader.lines[1] ?? '{}') as {
      reads: number;
      failures: number;
      seen: number;
      first: string[];
    };
    expect(read.seen).toBeGreaterThan(0);
    expect(read.failures, read.first.join('\n')).toBe(0);
  }, 60_000);
});
