/**
 * What teardown will do, in order, before it does it (shown to the learner first). Reverse
 * dependency order: alarms first (so nothing pages while its metrics disappear), then rules (and
 * their targets) stop triggering anything, then permissions, state machines, functions, metric
 * filters, log resource policies, log groups, roles (inline policies first) and last the buckets (emptied first). Within a
 * kind, newest first. Deletions that do not depend on each other run side by side (DELETED_AFTER).
 * This module loads no SDK code.
 */
import type { Ledger, LedgerEntry } from './ledger.js';
import type { CreatedResource, ResourceKind } from './resourceTypes.js';

export const TEARDOWN_ORDER: readonly ResourceKind[] = [
  'alarm',
  'events-rule',
  'lambda-permission',
  'state-machine',
  'lambda-function',
  'metric-filter',
  'log-resource-policy',
  'log-group',
  'iam-role',
  's3-bucket',
];

/**
 * The kinds that must be gone before a kind is deleted: what triggers or writes into it, or lives
 * in it. Rules go before anything they trigger; alarms before the functions and state machines
 * whose metrics they watch; a permission before its function; whatever writes a log group, or
 * filters it, before the group; roles and buckets once nothing runs that uses them. Kinds with
 * nothing left to wait for are deleted side by side; TEARDOWN_ORDER is one order that respects this.
 */
export const DELETED_AFTER: Readonly<Record<ResourceKind, readonly ResourceKind[]>> = {
  alarm: [],
  'events-rule': [],
  'lambda-permission': ['events-rule'],
  'state-machine': ['alarm', 'events-rule'],
  'lambda-function': ['alarm', 'events-rule', 'lambda-permission', 'state-machine'],
  'metric-filter': ['alarm', 'lambda-function', 'state-machine'],
  'log-resource-policy': ['events-rule'],
  'log-group': ['events-rule', 'state-machine', 'lambda-function', 'metric-filter', 'log-resource-policy'],
  'iam-role': ['events-rule', 'state-machine', 'lambda-function'],
  's3-bucket': ['events-rule', 'state-machine', 'lambda-function'],
};

const ACTION: Record<ResourceKind, string> = {
  'events-rule': 'remove its targets, then delete the rule',
  'lambda-permission': 'remove the statement from the function policy',
  'state-machine': 'delete the state machine',
  'lambda-function': 'delete the function',
  'log-group': 'delete the log group and its events',
  'iam-role': 'delete its inline policies, then the role',
  's3-bucket': 'delete every object, then the bucket',
  alarm: 'delete the alarm',
  'metric-filter': 'delete the metric filter from its log group',
  'log-resource-policy': 'delete the resource policy',
};

export interface TeardownStep {
  entry: LedgerEntry;
  resource: CreatedResource;
  /** What will be done, in words. */
  action: string;
  /** The create may or may not have happened (the process died between intent and confirm). */
  uncertain: boolean;
}

export function planTeardown(ledger: Ledger): TeardownStep[] {
  return ledger
    .live()
    .sort((a, b) => TEARDOWN_ORDER.indexOf(a.kind) - TEARDOWN_ORDER.indexOf(b.kind) || b.seq - a.seq)
    .map((entry) => ({
      entry,
      resource: { kind: entry.kind, name: entry.name, arn: entry.arn ?? '' },
      action: ACTION[entry.kind],
      uncertain: entry.state === 'intended',
    }));
}
