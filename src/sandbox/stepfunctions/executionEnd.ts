/** How executions end: why one was stopped, and what its ending reports. */
import type { ExecutionStatus } from './records.js';

export interface StopReason {
  status: 'ABORTED' | 'TIMED_OUT' | 'FAILED';
  error?: string;
  cause?: string;
  /** When the execution stopped, if not now (a timeout ends at its deadline exactly). */
  stopAt?: number;
}

/** AWS's cause when a STANDARD execution's history is full. */
export const HISTORY_FULL_CAUSE = 'The execution reached the maximum number of history events (25000).';

/** How an execution ended, for StartSyncExecution's answer. */
export interface ExecutionOutcome {
  status: ExecutionStatus;
  error?: string;
  cause?: string;
  output?: string;
  startDate: number;
  stopDate: number;
}

export const SANDBOX_STOPPED = {
  error: 'Sandbox.Stopped',
  cause: 'The sandbox stopped while this execution was running.',
};

/** Event details without empty members, as AWS omits them. */
export function compact(o: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as Record<
    string,
    string
  >;
}
