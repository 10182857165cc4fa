/**
 * One sandbox server per state directory. The lock file records the pid and endpoint of the server
 * that owns the directory, so a second start can say where the running one is, and clients (the
 * CLI) can find and reuse it. A lock left by a dead process is taken over.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SandboxAlreadyRunningError } from './errors.js';
import { readJsonFileSync, writeFileAtomicSync } from './store.js';

export const LOCK_FILE = 'sandbox.lock';

/** Directories this process holds: a lock carrying our own pid is live only if listed here. */
const heldByThisProcess = new Set<string>();

export interface LockInfo {
  pid: number;
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

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live server for this state directory, if any (a stale lock is ignored). */
export function readLiveLock(stateDir: string): LockInfo | undefined {
  const info = readJsonFileSync<LockInfo>(path.join(stateDir, LOCK_FILE));
  if (!info || typeof info.pid !== 'number') return undefined;
  if (info.pid !== process.pid && !isProcessAlive(info.pid)) return undefined;
  return info;
}

/** Claim the directory for this process (pid recorded; port filled in by `updateLock`). */
export function acquireLock(stateDir: string): void {
  fs.mkdirSync(stateDir, { recursive: true });
  const file = path.join(stateDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(
        fd,
        JSON.stringify({ pid: process.pid, port: 0, endpoint: '', startedAt: new Date().toISOString() }),
      );
      fs.closeSync(fd);
      heldByThisProcess.add(path.resolve(stateDir));
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let info: LockInfo | undefined;
    try {
      info = readJsonFileSync<LockInfo>(file);
    } catch {
      info = undefined; // an unreadable lock is not a live server
    }
    const live =
      info &&
      typeof info.pid === 'number' &&
      (info.pid === process.pid ? heldByThisProcess.has(path.resolve(stateDir)) : isProcessAlive(info.pid));
    if (info && live) {
      throw new SandboxAlreadyRunningError(stateDir, info.pid, info.endpoint || '(starting)');
    }
    fs.rmSync(file, { force: true });
  }
  throw new Error(`Could not lock sandbox state directory ${stateDir}`);
}

export function updateLock(stateDir: string, info: LockInfo): void {
  writeFileAtomicSync(path.join(stateDir, LOCK_FILE), JSON.stringify(info));
}

export function releaseLock(stateDir: string): void {
  const file = path.join(stateDir, LOCK_FILE);
  heldByThisProcess.delete(path.resolve(stateDir));
  try {
    const info = readJsonFileSync<LockInfo>(file);
    if (info?.pid === process.pid) fs.rmSync(file, { force: true });
  } catch {
    // A corrupt lock is not ours to judge here.
  }
}
