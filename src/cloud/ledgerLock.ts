/**
 * One process at a time per ledger. A `run` and a `teardown` of the same demo on the same target,
 * each with its own copy of the ledger, would overwrite each other's writes and lose create
 * intents (orphans on AWS). The process that writes a ledger holds `<demo>.lock` next to it for as
 * long as it may write; a second one waits briefly, then refuses, naming the pid that holds it.
 * A lock whose process died is taken over (`PidLockFile`).
 */
import path from 'node:path';
import { PidLockFile, type PidLockRecord } from '../files/pidLockFile.js';
import { LedgerBusyError } from './errors.js';
import { ledgerDir } from './ledger.js';

interface LedgerLockRecord extends PidLockRecord {
  startedAt: string;
}

/** How long a second process waits for the ledger before refusing. */
export const LEDGER_LOCK_WAIT_MS = 3000;
const POLL_MS = 100;

export function ledgerLockPath(home: string, targetId: string, demo: string): string {
  return path.join(ledgerDir(home, targetId), `${demo}.lock`);
}

export interface HeldLedgerLock {
  release(): void;
}

function attempt(
  home: string,
  targetId: string,
  demo: string,
): PidLockFile<LedgerLockRecord> | number | undefined {
  const lock = new PidLockFile<LedgerLockRecord>(ledgerLockPath(home, targetId, demo));
  const result = lock.tryAcquire({ startedAt: new Date().toISOString() });
  return result.acquired ? lock : result.holder?.pid;
}

function held(lock: PidLockFile<LedgerLockRecord>): HeldLedgerLock {
  return { release: () => lock.release() };
}

/** Take the ledger's lock now, or throw LedgerBusyError naming the holder. */
export function lockLedgerNow(home: string, targetId: string, demo: string): HeldLedgerLock {
  const got = attempt(home, targetId, demo);
  if (got instanceof PidLockFile) return held(got);
  throw new LedgerBusyError(demo, targetId, got);
}

/** Take the ledger's lock, waiting up to `waitMs` for another process to let go of it. */
export async function lockLedger(
  home: string,
  targetId: string,
  demo: string,
  waitMs = LEDGER_LOCK_WAIT_MS,
): Promise<HeldLedgerLock> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const got = attempt(home, targetId, demo);
    if (got instanceof PidLockFile) return held(got);
    if (Date.now() >= deadline) throw new LedgerBusyError(demo, targetId, got);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
