/**
 * One sandbox server per state directory. The lock file records the pid and endpoint of the server
 * that owns the directory, so a second start can say where the running one is, and its time-scale
 * and a clock anchor, so clients (the CLI in another terminal) find it, reuse it and follow its
 * clock. A lock left by a dead process is taken over; creation and takeover are atomic
 * (`PidLockFile`), so two starts never both win and a reader never sees a half-written lock.
 */
import path from 'node:path';
import { PidLockFile } from '../files/pidLockFile.js';
import { SandboxAlreadyRunningError } from './errors.js';

export const LOCK_FILE = 'sandbox.lock';

export interface LockInfo {
  pid: number;
  /** Random per lock: tells this lock from any earlier one with the same pid. */
  nonce: string;
  port: number;
  endpoint: string;
  startedAt: string;
  /** Sandbox seconds per real second. */
  timeScale?: number;
  /** A point on the sandbox clock and the real time it was read, so other processes can follow the clock. */
  clockAnchor?: { sandboxMs: number; realMs: number };
  /** The fault profile the sandbox runs under, when it has one (so a demo run can say so). */
  faults?: { profile: string; seed: number };
}

export type LockDetails = Omit<LockInfo, 'pid' | 'nonce'>;

function lockFile(stateDir: string): PidLockFile<LockInfo> {
  return new PidLockFile<LockInfo>(path.join(stateDir, LOCK_FILE));
}

/** The live server for this state directory, if any (a stale or unreadable lock is ignored). */
export function readLiveLock(stateDir: string): LockInfo | undefined {
  return lockFile(stateDir).readLive();
}

/** Claim the directory for this process (pid recorded; port and clock filled in by `updateLock`). */
export function acquireLock(stateDir: string): void {
  const attempt = lockFile(stateDir).tryAcquire({
    port: 0,
    endpoint: '',
    startedAt: new Date().toISOString(),
  });
  if (attempt.acquired) return;
  const holder = attempt.holder;
  if (holder) throw new SandboxAlreadyRunningError(stateDir, holder.pid, holder.endpoint || '(starting)');
  throw new Error(
    `Could not lock sandbox state directory ${stateDir}: another process keeps taking it over.`,
  );
}

export function updateLock(stateDir: string, details: LockDetails): void {
  lockFile(stateDir).update(details);
}

export function releaseLock(stateDir: string): void {
  lockFile(stateDir).release();
}
