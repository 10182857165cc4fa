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

  /** Write now if modified; true when written. `syncDirectory: false` leaves the directory fsync to the caller. */
  flushSync(options?: AtomicWriteOptions): boolean {
    this.scheduled = false;
    if (!this.dirty) return false;
    this.dirty = false;
    writeFileAtomicSync(this.file, JSON.stringify(this.data), options);
    return true;
  }
}

export interface DocOptions {
  /** Write at most once per this many (real) milliseconds rather than on the next tick. */
  writeBehindMs?: number;
}

export class StateStore {
  private readonly docs = new Map<string, PersistedDoc<unknown>>();
  private readonly pending = new Set<PersistedDoc<unknown>>();
  private flushTimer: NodeJS.Immediate | undefined;
  /** Documents waiting for their write-behind interval, with the timer that will write them. */
  private readonly delayed = new Map<PersistedDoc<unknown>, NodeJS.Timeout>();

  constructor(readonly dir: string) {
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

  private schedule(doc: PersistedDoc<unknown>): void {
    this.pending.add(doc);
    if (!this.flushTimer) {
      this.flushTimer = setImmediate(() => {
        this.flushTimer = undefined;
        this.flushPending(true);
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
   * Write the pending documents, then fsync each directory touched once. The background flush
   * leaves those directory fsyncs to the thread pool: the renames are done and visible, and the
   * event loop (clock timers at a fast time-scale) is not held up; a stop does them here and now.
   */
  private flushPending(background: boolean): void {
    const docs = [...this.pending];
    this.pending.clear();
    const dirs = new Set<string>();
    for (const d of docs) if (d.flushSync({ syncDirectory: false })) dirs.add(path.dirname(d.file));
    for (const dir of dirs) {
      if (background) void fsyncDirectory(dir);
      else fsyncDirectorySync(dir);
    }
  }

  /** Write every modified document now (called on stop, and by tests). */
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
    this.flushPending(false);
  }
}
