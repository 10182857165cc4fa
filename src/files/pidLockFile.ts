/**
 * A lock file owned by one process, between processes of the same user: the sandbox's lock on its
 * state directory, a ledger's lock. The file holds a JSON record with the owner's pid (so others
 * can say who holds it) and a random nonce (so a record is never mistaken for another).
 *
 * Every change of the file is atomic:
 * - create: the record is written to a temp file and hard-linked into place, so the lock appears
 *   with its content (a reader never sees an empty or half-written lock) and only one link wins;
 * - takeover of a stale lock (its owner is dead): only the process holding a takeover guard named
 *   after the exact stale record may rename its own record over it, after checking the file still
 *   holds that record. So of two processes taking over the same stale lock exactly one wins, and
 *   the lock file never goes missing in between.
 * A guard whose holder died mid-takeover is passed over for the next guard number.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { fsyncDirectorySync, writeFileAtomicSync, writeTempFileSync } from './atomicWrite.js';
import { makePrivateDir } from './privateFiles.js';

/** What every lock record carries; owners add their own fields. */
export interface PidLockRecord {
  pid: number;
  nonce: string;
}

export type LockAttempt<T> =
  | { acquired: true; record: T }
  /** `holder` is undefined while another process is in the middle of taking over a stale lock. */
  | { acquired: false; holder: T | undefined };

/** Lock files this process holds, with the nonce of its record (a pid alone cannot tell two owners in one process apart). */
const heldHere = new Map<string, string>();

/** A guard older than this is abandoned even if its pid is in use (a reused pid must not block forever). */
const GUARD_STALE_MS = 10_000;
/** Takeover guards tried per stale record before giving up for this attempt. */
const MAX_GUARDS = 8;

export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Block this thread briefly (lock acquisition is synchronous; contention lasts microseconds). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export class PidLockFile<T extends PidLockRecord> {
  readonly file: string;

  constructor(file: string) {
    this.file = path.resolve(file);
  }

  /** One attempt to take the lock (a stale one is taken over); never waits on a live holder. */
  tryAcquire(fields: Omit<T, 'pid' | 'nonce'>): LockAttempt<T> {
    const dir = path.dirname(this.file);
    makePrivateDir(dir);
    const record = { ...fields, pid: process.pid, nonce: randomBytes(8).toString('hex') } as T;
    const tmp = writeTempFileSync(this.file, JSON.stringify(record));
    try {
      for (let attempt = 0; attempt < 20; attempt++) {
        if (linkIfAbsent(tmp, this.file)) return this.won(record);
        const seen = readBytes(this.file);
        if (seen === undefined) continue; // released in the meantime: try to create it again
        const holder = parseRecord<T>(seen);
        if (holder && this.isLive(holder)) return { acquired: false, holder };
        const outcome = this.takeOver(seen, tmp);
        if (outcome === 'won') return this.won(record);
        if (outcome === 'busy') sleepSync(2);
      }
      return { acquired: false, holder: undefined };
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }

  /** Rewrite the record this process holds (e.g. the port, once known). */
  update(fields: Omit<T, 'pid' | 'nonce'>): T {
    const nonce = heldHere.get(this.file);
    if (nonce === undefined) throw new Error(`${this.file} is not held by this process`);
    const record = { ...fields, pid: process.pid, nonce } as T;
    writeFileAtomicSync(this.file, JSON.stringify(record));
    return record;
  }

  /** Remove the lock if this process holds it; a lock someone else holds is left alone. */
  release(): void {
    const nonce = heldHere.get(this.file);
    heldHere.delete(this.file);
    if (nonce === undefined) return;
    const seen = readBytes(this.file);
    if (seen !== undefined && parseRecord<T>(seen)?.nonce === nonce) fs.rmSync(this.file, { force: true });
  }

  /** Whether this process holds the lock. */
  get held(): boolean {
    return heldHere.has(this.file);
  }

  /** The record of a live holder (this process included), or undefined when free or stale. */
  readLive(): T | undefined {
    const seen = readBytes(this.file);
    if (seen === undefined) return undefined;
    const holder = parseRecord<T>(seen);
    return holder && this.isLive(holder) ? holder : undefined;
  }

  private isLive(holder: T): boolean {
    if (holder.pid === process.pid) return heldHere.get(this.file) === holder.nonce;
    return isProcessAlive(holder.pid);
  }

  private won(record: T): LockAttempt<T> {
    heldHere.set(this.file, record.nonce);
    fsyncDirectorySync(path.dirname(this.file));
    return { acquired: true, record };
  }

  /** Replace the stale record `seen` with ours (the temp file `tmp`), if no one else does first. */
  private takeOver(seen: Buffer, tmp: string): 'won' | 'changed' | 'busy' {
    const id = createHash('sha256').update(seen).digest('hex').slice(0, 16);
    const guardOf = (k: number): string => `${this.file}.takeover-${id}-${k}`;
    const claim = writeTempFileSync(this.file, JSON.stringify({ pid: process.pid }));
    let guard = -1;
    try {
      for (let k = 0; k < MAX_GUARDS && guard < 0; k++) {
        if (linkIfAbsent(claim, guardOf(k))) guard = k;
        else if (guardIsLive(guardOf(k))) return 'busy';
      }
    } finally {
      fs.rmSync(claim, { force: true });
    }
    if (guard < 0) return 'busy';
    try {
      // Holding a guard for `seen`, no one else may replace it; but it may already be replaced.
      const now = readBytes(this.file);
      if (now === undefined || !now.equals(seen)) return 'changed';
      fs.renameSync(tmp, this.file);
      return 'won';
    } finally {
      for (let k = 0; k <= guard; k++) fs.rmSync(guardOf(k), { force: true });
    }
  }
}

function guardIsLive(guard: string): boolean {
  try {
    const stat = fs.statSync(guard);
    if (Date.now() - stat.mtimeMs > GUARD_STALE_MS) return false;
    const holder = parseRecord<{ pid: number }>(fs.readFileSync(guard));
    return holder !== undefined && isProcessAlive(holder.pid);
  } catch (err) {
    // Gone already: its holder finished; look again.
    return (err as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/** Hard-link `from` to `to` unless `to` exists; true when the link was made. */
function linkIfAbsent(from: string, to: string): boolean {
  try {
    fs.linkSync(from, to);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
  }
  // A filesystem without hard links: an exclusive copy still lets only one process win, though a
  // reader may then briefly see the new file before its content.
  try {
    fs.copyFileSync(from, to, fs.constants.COPYFILE_EXCL);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

function readBytes(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The record in a lock file; undefined when unreadable (a lock nobody can prove live is stale). */
function parseRecord<T extends { pid: number }>(bytes: Buffer): T | undefined {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const pid = (value as { pid?: unknown }).pid;
    return typeof pid === 'number' ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}
