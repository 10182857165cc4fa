/**
 * IAM is eventually consistent: a new role, a new trust policy or a changed permission policy
 * reaches the services that use it (Lambda assuming an execution role, Step Functions and
 * EventBridge assuming theirs, S3 judging a role session's request) some seconds later. With a
 * propagation delay, those services see each role as it was `delayMs` of sandbox time ago: IAM's
 * own API (GetRole, GetRolePolicy) answers at once, as on AWS. The history is in memory; after a
 * restart every change is in force.
 */

/** What of a role other services act on. */
export interface RoleView {
  trustPolicy: string;
  /** Identity policy documents (inline, then known managed ones). */
  policies: string[];
}

interface Change {
  /** Sandbox time of the change. */
  at: number;
  /** The role just before it (undefined: the role did not exist). */
  before: RoleView | undefined;
}

/** A role whose latest changes have not reached everyone yet. */
export interface PropagatingRole {
  /** The role as other services see it now (undefined: to them it does not exist yet). */
  visible: RoleView | undefined;
  /** Sandbox ms until the oldest change still propagating is in force. */
  leftMs: number;
}

export class RolePropagation {
  private readonly committed = new Map<string, RoleView>();
  private readonly history = new Map<string, Change[]>();

  constructor(
    private readonly clock: { now(): number },
    readonly delayMs: number,
  ) {}

  /** Take the current roles as already in force (at start: the past is settled). */
  settle(roles: ReadonlyMap<string, RoleView>): void {
    this.committed.clear();
    this.history.clear();
    for (const [arn, view] of roles) this.committed.set(arn, view);
  }

  /** Note every role as it is now; whatever differs from before changed at this moment. */
  commit(roles: ReadonlyMap<string, RoleView>): void {
    const now = this.clock.now();
    for (const [arn, view] of roles) {
      const before = this.committed.get(arn);
      if (before && same(before, view)) continue;
      this.record(arn, now, before);
      this.committed.set(arn, view);
    }
    for (const [arn, before] of this.committed) {
      if (roles.has(arn)) continue;
      this.record(arn, now, before);
      this.committed.delete(arn);
    }
  }

  /** How other services see the role now, when a change to it is still propagating. */
  propagating(arn: string): PropagatingRole | undefined {
    const changes = this.history.get(arn);
    if (!changes) return undefined;
    const now = this.clock.now();
    while (changes.length > 0 && changes[0]!.at + this.delayMs <= now) changes.shift();
    if (changes.length === 0) {
      this.history.delete(arn);
      return undefined;
    }
    const oldest = changes[0]!;
    return { visible: oldest.before, leftMs: oldest.at + this.delayMs - now };
  }

  private record(arn: string, at: number, before: RoleView | undefined): void {
    const changes = this.history.get(arn) ?? [];
    changes.push({ at, before });
    this.history.set(arn, changes);
    // Settled changes of other roles go when they are next asked about, or here, now and then.
    if (this.history.size > 256) for (const key of [...this.history.keys()]) this.propagating(key);
  }
}

function same(a: RoleView, b: RoleView): boolean {
  return (
    a.trustPolicy === b.trustPolicy &&
    a.policies.length === b.policies.length &&
    a.policies.every((p, i) => p === b.policies[i])
  );
}
