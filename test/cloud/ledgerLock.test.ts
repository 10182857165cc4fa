/**
 * The ledger lock between processes: while another live process holds a demo's ledger, a second
 * one waits briefly and then refuses with LedgerBusyError naming that pid; a holder that goes away
 * within the wait (here: dies, leaving its lock behind) lets the waiter in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LedgerBusyError } from '../../src/cloud/errors.js';
import { ledgerLockPath, lockLedger, lockLedgerNow } from '../../src/cloud/ledgerLock.js';
import { makeTempDir } from '../helpers/sandbox.js';

const others: ChildProcess[] = [];
afterEach(() => {
  for (const p of others.splice(0)) p.kill('SIGKILL');
});

/** A live process other than this one, recorded as the holder of the demo's ledger lock. */
function heldByAnotherProcess(home: string): ChildProcess {
  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  others.push(holder);
  const file = ledgerLockPath(home, 'sandbox', 'demo1');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ pid: holder.pid, nonce: 'n', startedAt: '' }));
  return holder;
}

describe('ledger lock', () => {
  it('a second holder is refused at once or after a brief wait, naming the pid that holds it', async () => {
    const home = makeTempDir('course-ledgerlock-');
    const holder = heldByAnotherProcess(home);
    expect(() => lockLedgerNow(home, 'sandbox', 'demo1')).toThrow(LedgerBusyError);
    const started = performance.now();
    const err = await lockLedger(home, 'sandbox', 'demo1', 400).catch((e: unknown) => e);
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect(err).toBeInstanceOf(LedgerBusyError);
    expect((err as Error).message).toContain(`pid ${holder.pid}`);
    expect((err as Error).message).not.toContain('\n');
  });

  it('waits for a holder that goes away, then holds it until released', async () => {
    const home = makeTempDir('course-ledgerlock-');
    const holder = heldByAnotherProcess(home);
    setTimeout(() => holder.kill('SIGKILL'), 300);
    const lock = await lockLedger(home, 'sandbox', 'demo1', 10_000);
    const record = JSON.parse(fs.readFileSync(ledgerLockPath(home, 'sandbox', 'demo1'), 'utf8')) as {
      pid: number;
    };
    expect(record.pid).toBe(process.pid);
    // Another holder in this process is refused too: one writer per ledger.
    expect(() => lockLedgerNow(home, 'sandbox', 'demo1')).toThrow(LedgerBusyError);
    lock.release();
    expect(fs.existsSync(ledgerLockPath(home, 'sandbox', 'demo1'))).toBe(false);
    lockLedgerNow(home, 'sandbox', 'demo1').release();
  });
});
