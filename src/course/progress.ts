/**
 * Saved progress per target and demo: which steps are done, the demo's state, and the check
 * results so far. Written atomically after every step so a crash or Ctrl-C loses at most the step
 * in flight. A file that cannot be read is reported, never silently replaced.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../files/atomicWrite.js';

export const PROGRESS_VERSION = 1;

export interface StepRecord {
  completedAt: string;
  passed: number;
  failed: number;
}

export interface ProgressData {
  version: typeof PROGRESS_VERSION;
  demo: string;
  target: string;
  /** The deployment (ledger run id) this progress belongs to, when known. */
  runId?: string;
  startedAt: string;
  updatedAt: string;
  /** Completed steps by step id. */
  steps: Record<string, StepRecord>;
  /** The demo's own state (resource names, counts, ARNs). */
  state: unknown;
}

/** Raised when a progress file exists but is not valid progress; names the file and what to do. */
export class CorruptProgressError extends Error {
  override readonly name = 'CorruptProgressError';
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(
      `Progress file ${file} is unreadable (${reason}); move it aside (resources it describes stay in the ledger) and run again.`,
    );
  }
}

export function progressFile(home: string, targetId: string, demoId: string): string {
  return path.join(home, 'progress', targetId, `${demoId}.json`);
}

function isProgress(v: unknown): v is ProgressData {
  if (!v || typeof v !== 'object') return false;
  const p = v as Partial<ProgressData>;
  return (
    p.version === PROGRESS_VERSION &&
    typeof p.demo === 'string' &&
    typeof p.target === 'string' &&
    !!p.steps &&
    typeof p.steps === 'object' &&
    !Array.isArray(p.steps)
  );
}

export class ProgressStore {
  readonly file: string;

  constructor(
    home: string,
    readonly targetId: string,
    readonly demoId: string,
  ) {
    this.file = progressFile(home, targetId, demoId);
  }

  /** The saved progress, undefined when there is none; throws CorruptProgressError when unreadable. */
  load(): ProgressData | undefined {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new CorruptProgressError(this.file, (err as Error).message);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new CorruptProgressError(this.file, 'not valid JSON');
    }
    if (!isProgress(parsed)) throw new CorruptProgressError(this.file, 'not a course-cli progress file');
    if (parsed.demo !== this.demoId) {
      throw new CorruptProgressError(this.file, `it belongs to ${parsed.demo}, not ${this.demoId}`);
    }
    return parsed;
  }

  fresh(state: unknown, runId?: string): ProgressData {
    const now = new Date().toISOString();
    return {
      version: PROGRESS_VERSION,
      demo: this.demoId,
      target: this.targetId,
      runId,
      startedAt: now,
      updatedAt: now,
      steps: {},
      state,
    };
  }

  /** Write atomically and durably, like the ledger (`writeFileAtomicSync`). */
  save(data: ProgressData): void {
    data.updatedAt = new Date().toISOString();
    writeFileAtomicSync(this.file, `${JSON.stringify(data, null, 2)}\n`);
  }

  /** Forget progress (after a complete teardown). */
  reset(): void {
    fs.rmSync(this.file, { force: true });
  }
}
