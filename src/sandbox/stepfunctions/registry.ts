/**
 * Persistence: state machines and execution summaries in one document; each finished execution's
 * input, output, definition and history in its own blob, written behind (off the execution's path)
 * and flushed at stop. A bounded number of finished executions is kept (oldest dropped first).
 */
import { dictionary } from '../dictionary.js';
import { createHash } from 'node:crypto';
import { WRITE_RETRY_MS, type PersistedDoc, type StateStore } from '../store.js';
import type { ExecutionData, ExecutionSummary, StateMachineRecord } from './records.js';

interface RegistryDoc {
  stateMachines: Record<string, StateMachineRecord>;
  executions: Record<string, ExecutionSummary>;
}

/** Finished executions kept across all state machines before the oldest are dropped. */
const MAX_FINISHED_EXECUTIONS = 5_000;
const CACHE_SIZE = 64;

export class Registry {
  private readonly doc: PersistedDoc<RegistryDoc>;
  private readonly pendingBlobs = new Map<string, ExecutionData>();
  private readonly cache = new Map<string, ExecutionData>();
  private flushScheduled = false;
  /** Set while execution data cannot be written (disk full, a directory gone): retried on a timer. */
  private retryTimer: NodeJS.Timeout | undefined;
  private failing = false;

  constructor(
    private readonly store: StateStore,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.doc = store.doc<RegistryDoc>('stepfunctions/registry.json', () => ({
      stateMachines: dictionary(),
      executions: dictionary(),
    }));
    // Keyed by ARNs that embed the client's names: no prototype may answer for them.
    this.doc.data.stateMachines = dictionary(this.doc.data.stateMachines);
    this.doc.data.executions = dictionary(this.doc.data.executions);
  }

  get stateMachines(): Record<string, StateMachineRecord> {
    return this.doc.data.stateMachines;
  }

  get executions(): Record<string, ExecutionSummary> {
    return this.doc.data.executions;
  }

  changed(): void {
    this.doc.changed();
  }

  private blobName(executionArn: string): string {
    const id = createHash('sha1').update(executionArn).digest('hex');
    return `stepfunctions/executions/${id}.json`;
  }

  /** Remember an execution's data; written to disk on the next tick. */
  saveData(executionArn: string, data: ExecutionData): void {
    this.remember(executionArn, data);
    this.pendingBlobs.set(executionArn, data);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flushBlobs());
    }
  }

  loadData(executionArn: string): ExecutionData | undefined {
    const cached = this.cache.get(executionArn) ?? this.pendingBlobs.get(executionArn);
    if (cached) return cached;
    const buf = this.store.readBlob(this.blobName(executionArn));
    if (!buf) return undefined;
    const data = JSON.parse(buf.toString('utf8')) as ExecutionData;
    this.remember(executionArn, data);
    return data;
  }

  private remember(arn: string, data: ExecutionData): void {
    this.cache.delete(arn);
    this.cache.set(arn, data);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
  }

  /**
   * Write the execution data saved since the last flush. This runs on a timer, where a throw would
   * end the process: data that cannot be written stays pending (and readable), the failure is
   * logged once, and the write is retried until it lands.
   */
  flushBlobs(): void {
    this.flushScheduled = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    for (const [arn, data] of this.pendingBlobs) {
      try {
        this.store.writeBlob(this.blobName(arn), Buffer.from(JSON.stringify(data)));
      } catch (err) {
        if (!this.failing) {
          this.log(
            `state write failed (kept in memory, will retry): execution data: ${(err as Error).message}`,
          );
        }
        this.failing = true;
        this.retryTimer = setTimeout(() => this.flushBlobs(), WRITE_RETRY_MS);
        this.retryTimer.unref();
        return;
      }
      this.pendingBlobs.delete(arn);
    }
    if (this.failing) this.log('state written again: execution data');
    this.failing = false;
  }

  deleteExecution(arn: string): void {
    delete this.executions[arn];
    this.cache.delete(arn);
    this.pendingBlobs.delete(arn);
    this.store.deleteBlob(this.blobName(arn));
    this.changed();
  }

  /** Drop the oldest finished executions beyond the cap. */
  prune(): void {
    const finished = Object.values(this.executions).filter((e) => e.status !== 'RUNNING');
    if (finished.length <= MAX_FINISHED_EXECUTIONS) return;
    finished.sort((a, b) => (a.stopDate ?? a.startDate) - (b.stopDate ?? b.startDate));
    for (const e of finished.slice(0, finished.length - MAX_FINISHED_EXECUTIONS)) {
      this.deleteExecution(e.executionArn);
    }
  }
}
