/**
 * What every resource module receives: the target's clients, who we are (demo, run, account,
 * region), the tags to put on everything, and a way to report waits the learner should see.
 */
import { ResourceConflictError } from '../errors.js';
import { describeTagMismatch, tagsMatch } from '../naming.js';
import type { ResourceKind } from '../resourceTypes.js';
import type { AwsClients } from '../types.js';
import type { CloudWaitKind } from '../faultTally.js';

export interface ResourceContext {
  clients: AwsClients;
  demo: string;
  runId: string;
  accountId: string;
  region: string;
  tags: Record<string, string>;
  /** A visible wait (IAM propagation): the runner shows each message. */
  onWait?: (message: string, ordinary?: boolean) => void;
  /** Counts a wait the cloud layer sat out, for the run's closing line. */
  countWait?: (kind: CloudWaitKind) => void;
  /** A counted wait ran out before AWS was ready: it absorbed nothing (`what` says which). */
  countWaitGaveUp?: (kind: CloudWaitKind, what: string) => void;
  /** Waits `ms` of target time (real on AWS, the sandbox clock on the sandbox); replaceable in tests. */
  sleep: (ms: number) => Promise<void>;
}

/** The ledger entry a module is asked to delete or inspect. */
export interface EntryRef {
  name: string;
  arn?: string;
  parent?: string;
}

/**
 * Decide whether an existing resource may be adopted. Ours by tags → yes. Untagged and already
 * named by our ledger before this attempt (an earlier attempt died before tagging) → yes.
 * Anything else → ResourceConflictError.
 */
export function assertAdoptable(
  ctx: ResourceContext,
  kind: ResourceKind,
  name: string,
  tags: Record<string, string> | undefined,
  ledgerNamedBefore: boolean,
): void {
  if (tagsMatch(tags, ctx.demo, ctx.runId)) return;
  if (ledgerNamedBefore && (!tags || Object.keys(tags).length === 0)) return;
  throw new ResourceConflictError(kind, name, describeTagMismatch(tags, ctx.runId));
}

/** Outcome of deleting one resource. */
export type DeleteOutcome = 'deleted' | 'gone' | { refused: string };

/** Operations teardown and sweep need for one kind. */
export interface KindTeardown {
  /** Delete the resource if it exists and its tags are ours. */
  remove(ctx: ResourceContext, ref: EntryRef, ledgerNamed: boolean): Promise<DeleteOutcome>;
  /** Resources of this run still present (by name prefix, then confirmed by tags). */
  sweep(ctx: ResourceContext): Promise<Array<{ name: string; arn: string }>>;
}
