/**
 * The ledger-backed ResourceManager demos create resources through. Each create: derive the name,
 * write the intent to the ledger, create idempotently (adopt ours, refuse others'), confirm.
 * If the create fails because the name belongs to someone else, the intent is dropped (nothing of
 * ours exists); any other failure leaves the intent, since the resource may exist.
 */
import { ResourceConflictError } from './errors.js';
import type { Ledger } from './ledger.js';
import { courseTags, resourceName } from './naming.js';
import type {
  AlarmSpec,
  BucketSpec,
  CreatedResource,
  FunctionSpec,
  LogGroupSpec,
  LogResourcePolicySpec,
  MetricFilterSpec,
  PermissionSpec,
  ResourceKind,
  ResourceManager,
  RoleSpec,
  RuleSpec,
  StateMachineSpec,
} from './resourceTypes.js';
import type { AwsClients, TargetInfo } from './types.js';
import type { ResourceContext } from './resources/context.js';
import { NO_TEST_HOOKS, type TestHooks } from './testHooks.js';
import { createBucket } from './resources/bucket.js';
import { createRole } from './resources/role.js';
import { createLogGroup } from './resources/logGroup.js';
import { createFunction } from './resources/lambdaFunction.js';
import { createPermission } from './resources/lambdaPermission.js';
import { createRule } from './resources/rule.js';
import { createStateMachine } from './resources/stateMachine.js';
import { createAlarm } from './resources/alarm.js';
import { createMetricFilter } from './resources/metricFilter.js';
import { createLogResourcePolicy } from './resources/logResourcePolicy.js';
import { sleepReal } from './clock.js';
import type { FaultTally } from './faultTally.js';

export interface ResourceManagerOptions {
  /** Proof-test hooks (testHooks.ts); none by default. */
  hooks?: TestHooks;
  clients: AwsClients;
  info: Pick<TargetInfo, 'accountId' | 'region'>;
  ledger: Ledger;
  /** Visible waits (IAM propagation), one message per retry. */
  onWait?: (message: string, ordinary?: boolean) => void;
  /** Where waits are counted (the connection's FaultTally). */
  tally?: FaultTally;
  /** Target-time sleep (the target clock's); real time when absent; tests pass a fast one. */
  sleep?: (ms: number) => Promise<void>;
}

export function resourceContext(opts: ResourceManagerOptions): ResourceContext {
  const { ledger } = opts;
  return {
    clients: opts.clients,
    demo: ledger.demo,
    runId: ledger.runId,
    accountId: opts.info.accountId,
    region: opts.info.region,
    tags: courseTags(ledger.demo, ledger.runId),
    onWait: opts.onWait,
    countWait: opts.tally ? (kind) => opts.tally!.recordWait(kind) : undefined,
    countWaitGaveUp: opts.tally ? (kind, what) => opts.tally!.recordWaitGaveUp(kind, what) : undefined,
    sleep: opts.sleep ?? ((ms) => sleepReal(ms)),
  };
}

export class LedgerResourceManager implements ResourceManager {
  private readonly ctx: ResourceContext;

  constructor(private readonly opts: ResourceManagerOptions) {
    this.ctx = resourceContext(opts);
  }

  get runId(): string {
    return this.opts.ledger.runId;
  }

  private get hooks(): TestHooks {
    return this.opts.hooks ?? NO_TEST_HOOKS;
  }

  /** Change where visible waits are reported (the runner sets it per step). */
  set onWait(fn: ((message: string, ordinary?: boolean) => void) | undefined) {
    this.ctx.onWait = fn;
  }

  nameFor(kind: ResourceKind, part: string): string {
    return resourceName(kind, part, {
      demo: this.opts.ledger.demo,
      runId: this.opts.ledger.runId,
      accountId: this.opts.info.accountId,
    });
  }

  bucket(spec: BucketSpec): Promise<CreatedResource> {
    const name = this.nameFor('s3-bucket', spec.part);
    return this.track('s3-bucket', name, undefined, (before) => createBucket(this.ctx, spec, name, before));
  }

  role(spec: RoleSpec): Promise<CreatedResource> {
    const name = this.nameFor('iam-role', spec.part);
    const created = this.hooks.roleSpec(spec);
    return this.track('iam-role', name, undefined, (before) => createRole(this.ctx, created, name, before));
  }

  logGroup(spec: LogGroupSpec): Promise<CreatedResource> {
    return this.track('log-group', spec.name, undefined, (before) => createLogGroup(this.ctx, spec, before));
  }

  lambdaFunction(spec: FunctionSpec): Promise<CreatedResource> {
    const name = this.nameFor('lambda-function', spec.part);
    return this.track('lambda-function', name, undefined, (before) =>
      createFunction(this.ctx, spec, name, before),
    );
  }

  lambdaPermission(spec: PermissionSpec): Promise<CreatedResource> {
    const functionKnownOurs =
      this.opts.ledger.find('lambda-function', spec.functionName)?.state === 'created';
    return this.track('lambda-permission', spec.statementId, spec.functionName, () =>
      createPermission(this.ctx, spec, functionKnownOurs),
    );
  }

  rule(spec: RuleSpec): Promise<CreatedResource> {
    const name = this.nameFor('events-rule', spec.part);
    return this.track('events-rule', name, undefined, (before) => createRule(this.ctx, spec, name, before));
  }

  stateMachine(spec: StateMachineSpec): Promise<CreatedResource> {
    const name = this.nameFor('state-machine', spec.part);
    return this.track('state-machine', name, undefined, (before) =>
      createStateMachine(this.ctx, spec, name, before),
    );
  }

  alarm(spec: AlarmSpec): Promise<CreatedResource> {
    const name = this.nameFor('alarm', spec.part);
    return this.track('alarm', name, undefined, (before) => createAlarm(this.ctx, spec, name, before));
  }

  metricFilter(spec: MetricFilterSpec): Promise<CreatedResource> {
    const name = this.nameFor('metric-filter', spec.part);
    const groupKnownOurs = this.opts.ledger.find('log-group', spec.logGroupName)?.state === 'created';
    return this.track('metric-filter', name, spec.logGroupName, () =>
      createMetricFilter(this.ctx, spec, name, groupKnownOurs),
    );
  }

  logResourcePolicy(spec: LogResourcePolicySpec): Promise<CreatedResource> {
    const name = this.nameFor('log-resource-policy', spec.part);
    return this.track('log-resource-policy', name, undefined, () =>
      createLogResourcePolicy(this.ctx, spec, name),
    );
  }

  list(): CreatedResource[] {
    return this.opts.ledger.live().map((e) => ({ kind: e.kind, name: e.name, arn: e.arn ?? '' }));
  }

  /** Write-ahead: intent, create, confirm. */
  private async track(
    kind: ResourceKind,
    name: string,
    parent: string | undefined,
    create: (ledgerNamedBefore: boolean) => Promise<string>,
  ): Promise<CreatedResource> {
    const { ledger } = this.opts;
    const before = ledger.intend(kind, name, parent);
    this.hooks.boundary('intent-written');
    const ledgerNamedBefore = before !== undefined && before.state !== 'deleted';
    let arn: string;
    try {
      arn = await create(ledgerNamedBefore);
    } catch (err) {
      if (err instanceof ResourceConflictError && !ledgerNamedBefore) ledger.forget(kind, name, parent);
      throw err;
    }
    this.hooks.boundary('created-unconfirmed');
    ledger.confirm(kind, name, arn, parent);
    return { kind, name, arn };
  }
}
