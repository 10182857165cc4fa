/**
 * On-disk state for the sandbox. Each service keeps its state in JSON documents and (for S3 object
 * bodies, Lambda code) blobs under one state directory, so a later process — `teardown` after a
 * crash, `sandbox start` tomorrow — sees what exists.
 *
 * Writes are atomic and durable (`writeFileAtomicSync`); directories are 0700 and files 0600, since
 * the state holds the sandbox's keys and the learner's code. A document that fails to parse raises
 * `CorruptStateError` naming the file; it is never silently replaced.
 *
 * Documents are written behind: a mutation marks the document dirty and it is flushed on the next
 * tick (coalescing bursts such as 10,000 PutObjects) and synchronously on `flushAll()` at stop.
 * Documents that change with nearly every request and only grow (log events, metric data) can ask
 * to be written at most once per `writeBehindMs` instead: rewriting them on every tick made the bytes
 * written grow with the square of the events (a 720-partition reconciliation wrote 565 MB of log
 * documents to store 3 MB).
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  fsyncDirectory,
  fsyncDirectorySync,
  writeFileAtomicSync,
  type AtomicWriteOptions,
} from '../files/atomicWrite.js';
import { makePrivateDir } from '../files/privateFiles.js';
import { CorruptStateError, StatePathEscapeError } from './errors.js';

export function readJsonFileSync<T>(file: string): T | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new CorruptStateError(file, (err as Error).message);
  }
}

/** A JSON document owned by one service; mutate `data` in place, then call `changed()`. */
export class PersistedDoc<T> {
  private dirty = false;
  private scheduled = false;

  constructor(
    readonly file: string,
    public data: T,
    private readonly onSchedule: (doc: PersistedDoc<unknown>) => void,
  ) {}

  /** Mark the document modified; it is written on the next tick. */
  changed(): void {
    this.dirty = true;
    if (!this.scheduled) {
      this.scheduled = true;
      this.onSchedule(this as PersistedDoc<unknown>);
    }
  }

  /**
   * Write now if modified; true when written. `syncDirectory: false` leaves the directory fsync to
   * the caller. A failed write leaves the document modified, to be written later.
   */
  flushSync(options?: AtomicWriteOptions): boolean {
    this.scheduled = false;
    if (!this.dirty) return false;
    this.dirty = false;
    try {
      writeFileAtomicSync(this.file, JSON.stringify(this.data), options);
    } catch (err) {
      this.dirty = true;
      throw err;
    }
    return true;
  }
}

export interface DocOptions {
  /** Write at most once per this many (real) milliseconds rather than on the next tick. */
  writeBehindMs?: number;
}

/** How long a document whose write failed waits before it is tried again, if nothing else changes. */
export const WRITE_RETRY_MS = 1000;

export class StateStore {
  private readonly docs = new Map<string, PersistedDoc<unknown>>();
  private readonly pending = new Set<PersistedDoc<unknown>>();
  private flushTimer: NodeJS.Immediate | undefined;
  /** Documents waiting for their write-behind interval, with the timer that will write them. */
  private readonly delayed = new Map<PersistedDoc<unknown>, NodeJS.Timeout>();
  /** Documents whose last write failed (disk full, a directory gone): retried with the next flush. */
  private readonly failed = new Set<PersistedDoc<unknown>>();
  private retryTimer: NodeJS.Timeout | undefined;

  /** `log` hears of writes that fail in the background (and of their later success). */
  constructor(
    readonly dir: string,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    makePrivateDir(dir);
  }

  /** Absolute path of a file inside the state directory; a path that would leave it is refused. */
  pathOf(...parts: string[]): string {
    const full = path.join(this.dir, ...parts);
    const rel = path.relative(this.dir, full);
    if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel) || full.includes('\0')) {
      throw new StatePathEscapeError(this.dir, parts.join('/'));
    }
    return full;
  }

  /**
   * Open (load or create) a JSON document, e.g. `store.doc('s3/buckets.json', () => ({ buckets: {} }))`.
   * The same name returns the same document.
   */
  doc<T>(name: string, initial: () => T, options: DocOptions = {}): PersistedDoc<T> {
    const existing = this.docs.get(name);
    if (existing) return existing as PersistedDoc<T>;
    const file = this.pathOf(name);
    const loaded = readJsonFileSync<T>(file);
    const delay = options.writeBehindMs;
    const doc = new PersistedDoc<T>(file, loaded ?? initial(), (d) =>
      delay ? this.scheduleLater(d, delay) : this.schedule(d),
    );
    this.docs.set(name, doc as PersistedDoc<unknown>);
    return doc;
  }

  /** Write a blob atomically (e.g. an S3 object body). */
  writeBlob(name: string, data: Uint8Array): void {
    writeFileAtomicSync(this.pathOf(name), data);
  }

  readBlob(name: string): Buffer | undefined {
    try {
      return fs.readFileSync(this.pathOf(name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  deleteBlob(name: string): void {
    fs.rmSync(this.pathOf(name), { force: true });
  }

  /** Remove a whole sub-tree (e.g. a deleted function's extracted code). */
  removeTree(name: string): void {
    fs.rmSync(this.pathOf(name), { recursive: true, force: true });
  }

  /** Whether some document's last write failed (and is waiting for its retry). */
  get writesFailing(): boolean {
    return this.failed.size > 0;
  }

  private schedule(doc: PersistedDoc<unknown>): void {
    this.pending.add(doc);
    if (!this.flushTimer) {
      this.flushTimer = setImmediate(() => {
        this.flushTimer = undefined;
        this.flushPending();
      });
    }
  }

  private scheduleLater(doc: PersistedDoc<unknown>, delayMs: number): void {
    if (this.delayed.has(doc)) return;
    const timer = setTimeout(() => {
      this.delayed.delete(doc);
      this.schedule(doc);
    }, delayMs);
    // A running server keeps the process alive; the stop writes what is still waiting.
    timer.unref();
    this.delayed.set(doc, timer);
  }

  /**
   * Write the scheduled documents, and those whose last write failed. Writes run on a timer here,
   * where a throw would end the process: a failure is logged and retried instead, so a full disk
   * or a vanished directory costs durability until it is fixed, never the sandbox.
   */
  private flushPending(): void {
    this.writeDocs(true);
    if (this.failed.size > 0 && !this.retryTimer) {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.flushPending();
      }, WRITE_RETRY_MS);
      this.retryTimer.unref();
    }
  }

  /**
   * Write every modified document now (called on stop, and by tests); a failed write throws, and
   * nothing is retried behind the caller's back (a stopped sandbox writes nothing more).
   */
  flushAll(): void {
    if (this.flushTimer) {
      clearImmediate(this.flushTimer);
      this.flushTimer = undefined;
    }
    for (const [doc, timer] of this.delayed) {
      clearTimeout(timer);
      this.pending.add(doc);
    }
    this.delayed.clear();
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    const error = this.writeDocs(false);
    if (error !== undefined) throw error;
  }

  /**
   * Write pending and previously failed documents, then fsync each directory touched once; returns
   * the first error, if any. In the background those directory fsyncs go to the thread pool: the
   * renames are done and visible, and the event loop (clock timers at a fast time-scale) is not held
   * up; a stop does them here and now.
   */
  private writeDocs(background: boolean): unknown {
    const docs = new Set([...this.failed, ...this.pending]);
    this.pending.clear();
    const dirs = new Set<string>();
    let firstError: unknown;
    for (const d of docs) {
      try {
        if (d.flushSync({ syncDirectory: false })) dirs.add(path.dirname(d.file));
        if (this.failed.delete(d)) this.log(`state written again: ${d.file}`);
      } catch (err) {
        firstError ??= err;
        if (!this.failed.has(d)) {
          this.log(`state write failed (kept in memory, will retry): ${d.file}: ${(err as Error).message}`);
        }
        this.failed.add(d);
      }
    }
    for (const dir of dirs) {
      if (background) {
        // fsyncDirectory never rejects; the catch only satisfies the no-floating-promise rule.
        fsyncDirectory(dir).catch(() => undefined);
        continue;
      }
      try {
        fsyncDirectorySync(dir);
      } catch (err) {
        firstError ??= err;
      }
    }
    return firstError;
  }
}
