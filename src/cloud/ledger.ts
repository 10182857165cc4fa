/**
 * The write-ahead ledger (design §3): one JSON file per target and demo, at
 * `<home>/ledgers/<target id>/<demo>.json`. The intent to create a resource is written *before* the
 * create call and confirmed after it, so a process killed at any moment leaves a ledger that names
 * everything that might exist; teardown walks it. Every write is atomic and durable
 * (`writeFileAtomicSync`: temp file, fsync, rename, fsync the directory), private (0600), and synchronous, so concurrent creates in one process never interleave a write. A file that cannot
 * be read as a ledger raises `CorruptLedgerError` and is never overwritten.
 *
 * The run id is born with the ledger and lives until teardown completes; then the ledger moves to
 * `archive/` next to it, so the next deployment gets a fresh run id.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../files/atomicWrite.js';
import { makePrivateDir } from '../files/privateFiles.js';
import { CorruptLedgerError } from './errors.js';
import { newRunId, RUN_ID_PATTERN } from './naming.js';
import type { CreatedResource, ResourceKind } from './resourceTypes.js';

export type LedgerEntryState = 'intended' | 'created' | 'deleted';

export interface LedgerEntry {
  seq: number;
  kind: ResourceKind;
  name: string;
  arn?: string;
  /** The resource this one lives in (a permission's function name). */
  parent?: string;
  state: LedgerEntryState;
  intendedAt: string;
  createdAt?: string;
  deletedAt?: string;
  /** Why an entry was closed without deleting anything (e.g. its tags were not ours). */
  note?: string;
}

export interface LedgerData {
  demo: string;
  runId: string;
  targetId: string;
  createdAt: string;
  entries: LedgerEntry[];
}

const KINDS: ReadonlySet<string> = new Set<ResourceKind>([
  's3-bucket',
  'iam-role',
  'log-group',
  'lambda-function',
  'lambda-permission',
  'events-rule',
  'state-machine',
  'alarm',
  'metric-filter',
  'log-resource-policy',
]);
const STATES: ReadonlySet<string> = new Set<LedgerEntryState>(['intended', 'created', 'deleted']);

export function ledgerDir(home: string, targetId: string): string {
  return path.join(home, 'ledgers', targetId);
}

export function ledgerPath(home: string, targetId: string, demo: string): string {
  return path.join(ledgerDir(home, targetId), `${demo}.json`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function validate(file: string, raw: unknown): LedgerData {
  const bad = (reason: string): never => {
    throw new CorruptLedgerError(file, reason);
  };
  if (!isObject(raw)) return bad('not a JSON object');
  for (const key of ['demo', 'runId', 'targetId', 'createdAt'] as const) {
    if (typeof raw[key] !== 'string') bad(`"${key}" missing or not a string`);
  }
  if (!RUN_ID_PATTERN.test(raw.runId as string)) bad(`run id "${String(raw.runId)}" is malformed`);
  if (!Array.isArray(raw.entries)) return bad('"entries" missing or not a list');
  raw.entries.forEach((e: unknown, i: number) => {
    if (!isObject(e)) return bad(`entry ${i} is not an object`);
    if (typeof e.seq !== 'number') bad(`entry ${i} has no seq`);
    if (typeof e.kind !== 'string' || !KINDS.has(e.kind))
      bad(`entry ${i} has unknown kind ${String(e.kind)}`);
    if (typeof e.name !== 'string' || e.name === '') bad(`entry ${i} has no name`);
    if (typeof e.state !== 'string' || !STATES.has(e.state)) bad(`entry ${i} has unknown state`);
    if (typeof e.intendedAt !== 'string') bad(`entry ${i} has no intendedAt`);
  });
  return raw as unknown as LedgerData;
}

/** Read and validate a ledger file; undefined when there is none. */
function readLedgerFile(file: string): LedgerData | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new CorruptLedgerError(file, `not valid JSON: ${(err as Error).message}`);
  }
  return validate(file, raw);
}

export class Ledger {
  private constructor(
    readonly file: string,
    private readonly data: LedgerData,
  ) {}

  /** The ledger for this target and demo if one exists (a deployment is in place or was interrupted). */
  static read(home: string, targetId: string, demo: string): Ledger | undefined {
    const file = ledgerPath(home, targetId, demo);
    const data = readLedgerFile(file);
    if (!data) return undefined;
    if (data.demo !== demo)
      throw new CorruptLedgerError(file, `it is for demo "${data.demo}", not "${demo}"`);
    if (data.targetId !== targetId) {
      throw new CorruptLedgerError(file, `it is for target "${data.targetId}", not "${targetId}"`);
    }
    return new Ledger(file, data);
  }

  /** The existing ledger, or a new one (new run id) written to disk at once. */
  static open(home: string, targetId: string, demo: string): Ledger {
    const existing = Ledger.read(home, targetId, demo);
    if (existing) return existing;
    const ledger = new Ledger(ledgerPath(home, targetId, demo), {
      demo,
      runId: newRunId(),
      targetId,
      createdAt: new Date().toISOString(),
      entries: [],
    });
    ledger.save();
    return ledger;
  }

  /** Every ledger of a target (one per demo with a deployment). */
  static readAll(home: string, targetId: string): Ledger[] {
    const dir = ledgerDir(home, targetId);
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return names
      .filter((n) => n.endsWith('.json'))
      .sort()
      .map((n) => Ledger.read(home, targetId, n.slice(0, -'.json'.length)))
      .filter((l): l is Ledger => l !== undefined);
  }

  get demo(): string {
    return this.data.demo;
  }
  get runId(): string {
    return this.data.runId;
  }
  get targetId(): string {
    return this.data.targetId;
  }
  get createdAt(): string {
    return this.data.createdAt;
  }

  /** All entries in creation order (copies; mutate through the methods). */
  entries(): LedgerEntry[] {
    return this.data.entries.map((e) => ({ ...e }));
  }

  /** Entries that may still exist in the cloud. */
  live(): LedgerEntry[] {
    return this.entries().filter((e) => e.state !== 'deleted');
  }

  find(kind: ResourceKind, name: string, parent?: string): LedgerEntry | undefined {
    const e = this.data.entries.find((x) => x.kind === kind && x.name === name && x.parent === parent);
    return e && { ...e };
  }

  /**
   * Record the intent to create (written before the create call). Returns the entry as it was
   * before, if any: a resource the ledger already named may be adopted even without tags.
   */
  intend(kind: ResourceKind, name: string, parent?: string): LedgerEntry | undefined {
    const existing = this.data.entries.find((x) => x.kind === kind && x.name === name && x.parent === parent);
    const before = existing && { ...existing };
    if (existing) {
      if (existing.state === 'deleted') {
        existing.state = 'intended';
        existing.intendedAt = new Date().toISOString();
        delete existing.createdAt;
        delete existing.deletedAt;
        delete existing.note;
      }
    } else {
      const seq = this.data.entries.reduce((m, x) => Math.max(m, x.seq), 0) + 1;
      this.data.entries.push({
        seq,
        kind,
        name,
        parent,
        state: 'intended',
        intendedAt: new Date().toISOString(),
      });
    }
    this.save();
    return before;
  }

  /** Confirm the create (written after the create call succeeded). */
  confirm(kind: ResourceKind, name: string, arn: string, parent?: string): void {
    const e = this.mustFind(kind, name, parent);
    e.arn = arn;
    if (e.state !== 'created') {
      e.state = 'created';
      e.createdAt = new Date().toISOString();
    }
    this.save();
  }

  /** Drop an intent whose create failed because the name belongs to someone else: nothing of ours exists. */
  forget(kind: ResourceKind, name: string, parent?: string): void {
    const i = this.data.entries.findIndex((x) => x.kind === kind && x.name === name && x.parent === parent);
    if (i >= 0 && this.data.entries[i].state === 'intended') {
      this.data.entries.splice(i, 1);
      this.save();
    }
  }

  markDeleted(kind: ResourceKind, name: string, parent?: string, note?: string): void {
    const e = this.mustFind(kind, name, parent);
    e.state = 'deleted';
    e.deletedAt = new Date().toISOString();
    if (note) e.note = note;
    this.save();
  }

  /** True when every entry is deleted (teardown complete). */
  get isClear(): boolean {
    return this.data.entries.every((e) => e.state === 'deleted');
  }

  /** Move the ledger to `archive/` (teardown complete): the next deployment gets a new run id. */
  archive(): string {
    const dir = path.join(path.dirname(this.file), 'archive');
    makePrivateDir(dir);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const dest = path.join(dir, `${this.demo}-${this.runId}-${stamp}.json`);
    fs.renameSync(this.file, dest);
    return dest;
  }

  toJSON(): LedgerData {
    return { ...this.data, entries: this.entries() };
  }

  toResource(e: LedgerEntry): CreatedResource {
    return { kind: e.kind, name: e.name, arn: e.arn ?? '' };
  }

  private mustFind(kind: ResourceKind, name: string, parent?: string): LedgerEntry {
    const e = this.data.entries.find((x) => x.kind === kind && x.name === name && x.parent === parent);
    if (!e) throw new Error(`ledger ${this.file} has no ${kind} ${name}`);
    return e;
  }

  private save(): void {
    writeFileAtomicSync(this.file, JSON.stringify(this.data, null, 2) + '\n');
  }
}
