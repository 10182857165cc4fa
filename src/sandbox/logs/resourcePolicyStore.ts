/**
 * CloudWatch Logs resource policies (account-level, per region): what lets AWS services such as
 * EventBridge (`events.amazonaws.com`) or vended-log delivery (`delivery.logs.amazonaws.com`) write
 * into the account's log groups. Kept in their own document. Also the vended-logs setup AWS performs
 * when a service such as Step Functions starts sending logs to a log group ("Enabling logging from
 * AWS services" in the CloudWatch Logs guide): the `AWSLogDeliveryWrite20150319` policy.
 */
import type {
  AccessRequest,
  IamDirectory,
  LogDeliveryOutcome,
  LogResourcePolicies,
  PolicyCaller,
} from '../contracts.js';
import { SANDBOX_ACCOUNT_ID } from '../credentials.js';
import { AwsError } from '../errors.js';
import type { SandboxClock } from '../clock.js';
import type { PersistedDoc, StateStore } from '../store.js';

export interface StoredResourcePolicy {
  region: string;
  policyName: string;
  policyDocument: string;
  lastUpdatedTime: number;
}

interface PoliciesState {
  policies: StoredResourcePolicy[];
}

/** AWS: up to 10 resource policies per account per region. */
export const MAX_POLICIES_PER_REGION = 10;
/** AWS: a resource policy document holds at most 5120 characters. */
export const MAX_POLICY_CHARS = 5120;

/** The policy (and statement id) AWS creates for vended-log delivery. */
export const LOG_DELIVERY_POLICY_NAME = 'AWSLogDeliveryWrite20150319';
const DELIVERY_PRINCIPAL = 'delivery.logs.amazonaws.com';
const VENDED_PREFIX = '/aws/vendedlogs/';

/** What a role needs to set up delivery to a group no resource policy covers yet (besides CreateLogDelivery). */
const POLICY_SETUP_ACTIONS = [
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];

export class ResourcePolicyStore implements LogResourcePolicies {
  private readonly doc: PersistedDoc<PoliciesState>;

  constructor(
    store: StateStore,
    private readonly clock: SandboxClock,
    private readonly iam: IamDirectory | undefined,
    private readonly groupExists: (region: string, group: string) => boolean,
  ) {
    this.doc = store.doc<PoliciesState>('logs/resource-policies.json', () => ({ policies: [] }));
  }

  list(region: string): StoredResourcePolicy[] {
    return this.doc.data.policies.filter((p) => p.region === region);
  }

  find(region: string, name: string): StoredResourcePolicy | undefined {
    return this.doc.data.policies.find((p) => p.region === region && p.policyName === name);
  }

  /** Create or replace a policy; `LimitExceededException` beyond 10 in a region, as AWS. */
  put(region: string, name: string, document: string): StoredResourcePolicy {
    const existing = this.find(region, name);
    if (existing) {
      existing.policyDocument = document;
      existing.lastUpdatedTime = this.clock.now();
    } else if (this.list(region).length >= MAX_POLICIES_PER_REGION) {
      throw new AwsError('LimitExceededException', 'Resource limit exceeded.', 400);
    }
    const policy = existing ?? {
      region,
      policyName: name,
      policyDocument: document,
      lastUpdatedTime: this.clock.now(),
    };
    if (!existing) this.doc.data.policies.push(policy);
    this.doc.changed();
    return policy;
  }

  delete(region: string, name: string): void {
    const policy = this.find(region, name);
    if (!policy) {
      // AWS does not document this message; moto's wording, which matches reports of AWS's.
      throw new AwsError('ResourceNotFoundException', `Policy with name [${name}] does not exist`, 400);
    }
    this.doc.data.policies = this.doc.data.policies.filter((p) => p !== policy);
    this.doc.changed();
  }

  // ---- LogResourcePolicies (for EventBridge and Step Functions) ----

  permits(region: string, caller: PolicyCaller, request: AccessRequest): boolean {
    if (!this.iam) return false;
    const texts = this.list(region).map((p) => p.policyDocument);
    return this.iam.authorizeByResourcePolicies(texts, caller, request) === 'allowed';
  }

  createLogDelivery(region: string, groupName: string, roleArn: string): LogDeliveryOutcome {
    if (!this.iam) return 'ok';
    const allowed = (action: string, resource: string): boolean =>
      this.iam!.authorize(roleArn, { action, resource }) === 'allowed';
    // CreateLogDelivery and the policy actions have no resource-level permissions: `*`, or an
    // account-wide logs ARN as AWS's own examples write it.
    const anyGroup = `arn:aws:logs:${region}:${SANDBOX_ACCOUNT_ID}:log-group:*`;
    if (!allowed('logs:CreateLogDelivery', '*')) return 'accessDenied';
    // Assumed: a destination that does not exist fails like one the role cannot reach (AWS does
    // not document this case).
    if (!this.groupExists(region, groupName)) return 'accessDenied';
    if (this.deliveryCovered(region, groupName)) return 'ok';
    if (!POLICY_SETUP_ACTIONS.every((a) => allowed(a, anyGroup))) return 'accessDenied';
    return this.addDeliveryStatement(region, groupName);
  }

  /** Whether a resource policy already lets log delivery write into the group. */
  private deliveryCovered(region: string, groupName: string): boolean {
    const stream = `arn:aws:logs:${region}:${SANDBOX_ACCOUNT_ID}:log-group:${groupName}:log-stream:delivery`;
    const context = {
      'aws:SourceAccount': SANDBOX_ACCOUNT_ID,
      'aws:SourceArn': `arn:aws:logs:${region}:${SANDBOX_ACCOUNT_ID}:delivery-source:vended`,
    };
    return ['logs:CreateLogStream', 'logs:PutLogEvents'].every((action) =>
      this.permits(region, { service: DELIVERY_PRINCIPAL }, { action, resource: stream, context }),
    );
  }

  /**
   * Add the group to the `AWSLogDeliveryWrite20150319` statement, as AWS does; groups under
   * `/aws/vendedlogs/` share one wildcard entry, which is why AWS recommends that prefix: the
   * policy is limited to 5120 characters.
   */
  private addDeliveryStatement(region: string, groupName: string): LogDeliveryOutcome {
    const resource = groupName.startsWith(VENDED_PREFIX)
      ? `arn:aws:logs:${region}:${SANDBOX_ACCOUNT_ID}:log-group:${VENDED_PREFIX}*`
      : `arn:aws:logs:${region}:${SANDBOX_ACCOUNT_ID}:log-group:${groupName}:log-stream:*`;
    const existing = this.find(region, LOG_DELIVERY_POLICY_NAME);
    const { others, resources } = splitDeliveryPolicy(existing?.policyDocument);
    if (!resources.includes(resource)) resources.push(resource);
    const statement = {
      Sid: LOG_DELIVERY_POLICY_NAME,
      Effect: 'Allow',
      Principal: { Service: [DELIVERY_PRINCIPAL] },
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: resources,
      Condition: {
        StringEquals: { 'aws:SourceAccount': [SANDBOX_ACCOUNT_ID] },
        ArnLike: { 'aws:SourceArn': [`arn:aws:logs:${region}:${SANDBOX_ACCOUNT_ID}:*`] },
      },
    };
    const document = JSON.stringify({ Version: '2012-10-17', Statement: [statement, ...others] });
    if (document.length > MAX_POLICY_CHARS) return 'policySizeExceeded';
    if (!existing && this.list(region).length >= MAX_POLICIES_PER_REGION) return 'policySizeExceeded';
    this.put(region, LOG_DELIVERY_POLICY_NAME, document);
    return 'ok';
  }
}

/**
 * An existing `AWSLogDeliveryWrite20150319` policy split into the delivery statement's resources and
 * any other statements (kept as they are).
 */
function splitDeliveryPolicy(document: string | undefined): { others: unknown[]; resources: string[] } {
  if (document === undefined) return { others: [], resources: [] };
  try {
    const parsed = JSON.parse(document) as { Statement?: unknown };
    const all = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
    const isDelivery = (st: unknown): st is { Resource?: unknown } =>
      !!st && typeof st === 'object' && (st as { Sid?: unknown }).Sid === LOG_DELIVERY_POLICY_NAME;
    const r = all.find(isDelivery)?.Resource;
    const resources =
      typeof r === 'string' ? [r] : Array.isArray(r) ? r.filter((x) => typeof x === 'string') : [];
    return { others: all.filter((st) => st !== undefined && !isDelivery(st)), resources };
  } catch {
    return { others: [], resources: [] };
  }
}
