/**
 * Test hooks: two environment variables the proof tests (test/proof/) set to make a failure happen
 * at an exact, repeatable place. They are not for learners, and they are refused unless the target
 * is a sandbox on this machine (loopback), so they can never change what happens in an AWS account
 * or a remote endpoint. Unset, they cost nothing.
 *
 * - `COURSE_TEST_DROP_ACTIONS=<role part>:<action>[,…]`, e.g. `hourly-aggregate-role:s3:PutObject`:
 *   the role with that name part is created with the action removed from its inline policies (a
 *   statement left with no action goes, and so does a policy left with no statement). A least-privilege policy minus one permission, without
 *   any demo knowing: the demo's own read-back and the step that needs the permission see it.
 * - `COURSE_TEST_KILL_AT=<n>`: this process SIGKILLs itself at its n-th ledger boundary (1-based),
 *   counted in the order they happen. Each create has two: its intent is written and the create is
 *   not yet sent; the create returned and is not yet confirmed in the ledger. Each teardown delete
 *   that removed something has one: the delete returned and is not yet recorded (a resource found
 *   already gone has none, so a teardown re-run with n=1 gets one deletion further each time). A deterministic crash, not a timing race.
 */
import { InvalidTargetError } from './errors.js';
import { isLoopbackEndpoint } from './endpointCredentials.js';
import type { PolicyDocument, PolicyStatement, RoleSpec } from './resourceTypes.js';
import type { TargetInfo } from './types.js';

export const DROP_ACTIONS_VARIABLE = 'COURSE_TEST_DROP_ACTIONS';
export const KILL_AT_VARIABLE = 'COURSE_TEST_KILL_AT';

/** Where the process is in the write-ahead protocol when a boundary is passed. */
export type LedgerBoundary = 'intent-written' | 'created-unconfirmed' | 'deleted-unrecorded';

export interface TestHooks {
  /** The role spec as it should be created (narrowed when the drop hook names this role). */
  roleSpec(spec: RoleSpec): RoleSpec;
  /** Called at each ledger boundary; may end the process. */
  boundary(at: LedgerBoundary): void;
}

export const NO_TEST_HOOKS: TestHooks = { roleSpec: (spec) => spec, boundary: () => undefined };

function isLoopbackSandbox(info: Pick<TargetInfo, 'kind' | 'endpoint'>): boolean {
  if (info.kind !== 'sandbox' || !info.endpoint) return false;
  try {
    return isLoopbackEndpoint(new URL(info.endpoint));
  } catch {
    return false;
  }
}

/** `role:service:Action` pairs by role part. */
function parseDrops(value: string): Map<string, string[]> {
  const drops = new Map<string, string[]>();
  for (const item of value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([^:\s]+):([a-z0-9-]+:[A-Za-z0-9]+)$/.exec(item);
    if (!m) {
      throw new InvalidTargetError(
        `${DROP_ACTIONS_VARIABLE}: "${item}" is not <role part>:<service>:<Action> (e.g. hourly-aggregate-role:s3:PutObject).`,
      );
    }
    drops.set(m[1]!, [...(drops.get(m[1]!) ?? []), m[2]!]);
  }
  return drops;
}

function withoutActions(statement: PolicyStatement, drop: Set<string>): PolicyStatement | undefined {
  if (statement.Effect !== 'Allow') return statement;
  const actions = [statement.Action].flat();
  const kept = actions.filter((a) => !drop.has(a.toLowerCase()));
  if (kept.length === actions.length) return statement;
  if (kept.length === 0) return undefined;
  return { ...statement, Action: kept.length === 1 ? kept[0]! : kept };
}

/** The role's inline policies without the dropped actions; every dropped action must have been granted. */
export function narrowRoleSpec(spec: RoleSpec, actions: readonly string[]): RoleSpec {
  const drop = new Set(actions.map((a) => a.toLowerCase()));
  const granted = new Set(
    Object.values(spec.inlinePolicies).flatMap((doc) =>
      doc.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action].flat()),
    ),
  );
  const missing = actions.filter((a) => ![...granted].some((g) => g.toLowerCase() === a.toLowerCase()));
  if (missing.length > 0) {
    // A drop that removes nothing would let a proof pass for the wrong reason.
    throw new InvalidTargetError(
      `${DROP_ACTIONS_VARIABLE}: role part "${spec.part}" grants no ${missing.join(', ')} to drop.`,
    );
  }
  const inlinePolicies: Record<string, PolicyDocument> = {};
  for (const [name, doc] of Object.entries(spec.inlinePolicies)) {
    const statements = doc.Statement.map((s) => withoutActions(s, drop)).filter(
      (s): s is PolicyStatement => s !== undefined,
    );
    // A policy left with no statement is not put at all (IAM refuses an empty one as malformed).
    if (statements.length > 0) inlinePolicies[name] = { ...doc, Statement: statements };
  }
  return { ...spec, inlinePolicies };
}

function parseKillAt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidTargetError(`${KILL_AT_VARIABLE}: "${value}" is not a boundary number (1, 2, …).`);
  }
  return n;
}

/**
 * The hooks the environment asks for on this target. Refuses (InvalidTargetError: the command line exits 2) when one is set and
 * the target is not a loopback sandbox, or when a value cannot be understood.
 */
export function testHooksFor(
  info: Pick<TargetInfo, 'kind' | 'endpoint' | 'label'>,
  env: NodeJS.ProcessEnv = process.env,
): TestHooks {
  const dropValue = env[DROP_ACTIONS_VARIABLE]?.trim();
  const killValue = env[KILL_AT_VARIABLE]?.trim();
  if (!dropValue && !killValue) return NO_TEST_HOOKS;
  if (!isLoopbackSandbox(info)) {
    const names = [dropValue && DROP_ACTIONS_VARIABLE, killValue && KILL_AT_VARIABLE].filter(Boolean);
    throw new InvalidTargetError(
      `${names.join(' and ')} ${names.length > 1 ? 'are test hooks' : 'is a test hook'} for the sandbox on this machine only, not ${info.label}: unset ${names.length > 1 ? 'them' : 'it'}.`,
    );
  }
  const drops = dropValue ? parseDrops(dropValue) : new Map<string, string[]>();
  const killAt = killValue ? parseKillAt(killValue) : undefined;
  let passed = 0;
  return {
    roleSpec(spec) {
      const actions = drops.get(spec.part);
      return actions ? narrowRoleSpec(spec, actions) : spec;
    },
    boundary(at) {
      passed += 1;
      if (passed !== killAt) return;
      // Said first (a pipe write is synchronous on Linux), so the test can tell where it stopped.
      process.stderr.write(`${KILL_AT_VARIABLE}: SIGKILL at ledger boundary ${passed} (${at})\n`);
      process.kill(process.pid, 'SIGKILL');
    },
  };
}
