/**
 * Executions that were RUNNING when the sandbox process ended without a clean stop (a crash, a
 * kill) cannot continue: on start they are marked ABORTED with error `Sandbox.Interrupted`.
 * (A clean stop aborts them itself with `Sandbox.Stopped` and remembers where they were, so those
 * can be redriven; interrupted ones cannot, since where they stopped was not recorded.)
 */
import type { Registry } from './registry.js';

export const INTERRUPTED = {
  error: 'Sandbox.Interrupted',
  cause:
    'The sandbox process ended while this execution was running; it was marked aborted when the sandbox started again.',
};

export function recoverInterruptedExecutions(registry: Registry, now: number): void {
  let changed = false;
  for (const e of Object.values(registry.executions)) {
    if (e.status !== 'RUNNING') continue;
    e.status = 'ABORTED';
    e.stopDate = now;
    e.error = INTERRUPTED.error;
    e.cause = INTERRUPTED.cause;
    e.resumable = false;
    const data = registry.loadData(e.executionArn);
    if (data) {
      const last = data.history[data.history.length - 1];
      const id = (last?.id ?? 0) + 1;
      data.history.push({
        timestamp: now,
        type: 'ExecutionAborted',
        id,
        previousEventId: id - 1,
        detailsKey: 'executionAbortedEventDetails',
        details: { ...INTERRUPTED },
      });
      data.checkpoint = undefined;
      registry.saveData(e.executionArn, data);
    }
    changed = true;
  }
  for (const sm of Object.values(registry.stateMachines)) {
    // A delete that had not finished: finish it.
    if (sm.status === 'DELETING') {
      for (const e of Object.values(registry.executions)) {
        if (e.stateMachineArn === sm.arn) registry.deleteExecution(e.executionArn);
      }
      delete registry.stateMachines[sm.arn];
      changed = true;
    }
  }
  if (changed) registry.changed();
}
