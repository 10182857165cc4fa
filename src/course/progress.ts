/**
 * Saved progress per target and demo: which steps are done, the demo's state, and the check
 * results so far. Written atomically after every step so a crash or Ctrl-C loses at most the step
 * in flight. A file that cannot be read is reported, never silently replaced.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../files/atomicWrite.js';

export const PROGRESS_VERSION = 1;

/** The latest attempt of a step. Only an attempt without error whose checks all passed completes it. */
export interface StepRecord {
  /** When the attempt ended (completed or not). */
  completedAt: string;
  passed: number;
  failed: number;
  /** The step's action failed with this (one line); its checks did not run. */
  error?: string;
}

/** A step counts as done only when its action succeeded and every check passed; resume re-runs it otherwise. */
export function isStepComplete(record: StepRecord | undefined): boolean {
  return record !== undefined && record.error === undefined && record.failed === 0;
}

/** How the last run of a deployment ended, kept after its teardown so `status` can say so. */
export interface FinishedRun {
  at: string;
  passed: number;
  failed: number;
  failedSteps: number;
  /** Everything the ledger named was deleted. */
  tornDown: boolean;
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
  /** Set once the deployment was torn down: the progress is history, the next run starts fresh. */
  finished?: FinishedRun;
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

  /** Forget progress entirely. */
  reset(): void {
    fs.rmSync(this.file, { force: true });
  }

  /**
   * Everything was torn down outside a run (`<demo> teardown`): keep the progress as history, so
   * `status` can say how the last run went; the next run starts fresh.
   */
  markTornDown(): void {
    const p = this.load();
    if (!p || p.finished?.tornDown) return;
    const records = Object.values(p.steps);
    p.finished = {
      at: new Date().toISOString(),
      passed: records.reduce((n, r) => n + r.passed, 0),
      failed: records.reduce((n, r) => n + r.failed, 0),
      failedSteps: records.filter((r) => r.error !== undefined).length,
      tornDown: true,
    };
    this.save(p);
  }
}
