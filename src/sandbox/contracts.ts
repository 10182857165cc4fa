/**
 * What the sandbox's services offer each other, in-process. The graph is one-way:
 * IAM and Logs at the bottom; Lambda uses them; Step Functions uses Lambda; EventBridge uses Lambda
 * and Step Functions; S3 hands its notifications to EventBridge. A service depends on these
 * interfaces only, never on another service's module, and none of them knows a wire format.
 * CloudWatch metrics sit beside Logs at the bottom (every service records into them); CloudWatch
 * alarms hand their state changes to EventBridge through `EventPublisher`, like S3 does.
 */

// ---- IAM ------------------------------------------------------------------------------------

export interface RoleRecord {
  roleName: string;
  roleId: string;
  arn: string;
  path: string;
  /** The trust policy as JSON text (already URL-decoded). */
  assumeRolePolicyDocument: string;
  createDate: string;
  /** Inline policies by name, JSON text. */
  inlinePolicies: Record<string, string>;
  tags: Array<{ Key: string; Value: string }>;
}

/** Values of a request's condition keys (`s3:prefix`, `aws:SourceArn`, …). */
export type AccessContext = Record<string, string | number | boolean | string[] | undefined>;

/** One IAM authorization question: may the caller do `action` on `resource`? */
export interface AccessRequest {
  /** e.g. `s3:GetObject`. */
  action: string;
  /** The resource ARN, or `*` for actions without resource-level permissions. */
  resource: string;
  context?: AccessContext;
}

/** `implicitDeny`: no identity policy allows; `explicitDeny`: a Deny statement matched. */
export type AccessDecision = 'allowed' | 'implicitDeny' | 'explicitDeny';

/** Who a resource-based policy is asked about: a service principal, or an IAM principal by ARN. */
export type PolicyCaller = { service: string } | { arn: string };

/** A session of a role the sandbox handed out (e.g. to a Lambda execution environment). */
export interface RoleSession {
  roleArn: string;
  roleId: string;
  sessionName: string;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
  assumedRoleArn: string;
}

export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** When the credentials stop working, epoch ms of real time. */
  expiration?: number;
}

/** Who signed a request: the sandbox's own (root) credentials, or a role session's. */
export type CallerPrincipal = { kind: 'root' } | ({ kind: 'role' } & RoleSession);

export interface IamDirectory {
  /** The role with this ARN, if it exists. */
  findRoleByArn(arn: string): RoleRecord | undefined;
  /** Whether the role's trust policy lets this service principal (e.g. `lambda.amazonaws.com`) assume it. */
  roleTrustsService(arn: string, servicePrincipal: string): boolean;
  /**
   * The role's identity policies (inline + known AWS-managed) evaluated for one request. A role
   * that does not exist (deleted since) is denied everything.
   */
  authorize(roleArn: string, request: AccessRequest): AccessDecision;
  /**
   * Resource-based policies (JSON texts a service keeps, e.g. CloudWatch Logs resource policies)
   * evaluated for one caller's request: statements apply only where their Principal names it.
   */
  authorizeByResourcePolicies(
    policies: string[],
    caller: PolicyCaller,
    request: AccessRequest,
  ): AccessDecision;
  /**
   * Temporary credentials for a session of this role (in memory; gone when the sandbox stops),
   * valid for `lifetimeMs` of real time (AWS's default hour when absent) unless revoked sooner.
   */
  issueRoleSession(roleArn: string, sessionName: string, lifetimeMs?: number): SessionCredentials;
  /** The live (unexpired, unrevoked) session for an `ASIA…` access key id, if the sandbox issued it. */
  findSession(accessKeyId: string): (RoleSession & SessionCredentials) | undefined;
  /** Forget a session whose holder is gone. */
  revokeSession(accessKeyId: string): void;
}

// ---- CloudWatch Logs -----------------------------------------------------------------------

export interface LogEventInput {
  timestamp: number;
  message: string;
}

export interface LogWriter {
  groupExists(region: string, groupName: string): boolean;
  /**
   * Append events to a stream, creating the stream if missing. When the group is missing it is
   * created if `createGroup` is set (as Lambda does when its role allows), otherwise nothing is
   * written and false is returned.
   */
  append(
    region: string,
    groupName: string,
    streamName: string,
    events: LogEventInput[],
    opts?: { createGroup?: boolean },
  ): boolean;
}

/** How vended-log delivery setup ended: see `LogResourcePolicies.createLogDelivery`. */
export type LogDeliveryOutcome = 'ok' | 'accessDenied' | 'policySizeExceeded';

/** CloudWatch Logs resource policies, as the services that write into log groups meet them. */
export interface LogResourcePolicies {
  /** Whether the account's Logs resource policies in the region let `caller` make the request. */
  permits(region: string, caller: PolicyCaller, request: AccessRequest): boolean;
  /**
   * Vended-log delivery to a log group, set up with a role's permissions (as Step Functions does for
   * a state machine's logging): the role needs `logs:CreateLogDelivery`, and — unless a resource
   * policy already lets `delivery.logs.amazonaws.com` write into the group —
   * `logs:PutResourcePolicy`, `logs:DescribeResourcePolicies` and `logs:DescribeLogGroups`, in which
   * case the group is added to the `AWSLogDeliveryWrite20150319` resource policy.
   */
  createLogDelivery(region: string, groupName: string, roleArn: string): LogDeliveryOutcome;
}

// ---- Lambda --------------------------------------------------------------------------------

export interface InvokeCaller {
  /** Service principal invoking on someone's behalf, e.g. `events.amazonaws.com`. */
  servicePrincipal: string;
  /** ARN of the resource that triggered the call (rule ARN), checked against AddPermission's SourceArn. */
  sourceArn?: string;
  sourceAccount?: string;
}

export interface InvokeRequest {
  region: string;
  /** Name, full ARN or partial ARN, optionally with `:qualifier`. */
  functionName: string;
  qualifier?: string;
  payload: Buffer;
  invocationType: 'RequestResponse' | 'Event' | 'DryRun';
  logType?: 'None' | 'Tail';
  /**
   * Set when a service principal invokes (EventBridge). The function's resource policy must allow
   * it, or `AccessDeniedException` is thrown. Unset means a same-account IAM caller.
   */
  caller?: InvokeCaller;
  /**
   * Set when a service invokes with a role's credentials (Step Functions with the state machine's
   * role): the role must allow `lambda:InvokeFunction` on the function, or `AccessDeniedException`.
   */
  asRole?: string;
}

export interface InvokeResult {
  statusCode: number;
  payload: Buffer;
  /** `Unhandled` when the handler threw, timed out or crashed. */
  functionError?: string;
  /** Base64 of the last 4 KB of the invocation's log, with LogType Tail. */
  logResult?: string;
  executedVersion: string;
}

export interface LambdaInvoker {
  /** Throws `AwsError` (ResourceNotFoundException, AccessDeniedException, …) as the Invoke API would. */
  invoke(req: InvokeRequest): Promise<InvokeResult>;
}

// ---- Step Functions ------------------------------------------------------------------------

export interface StartExecutionRequest {
  region: string;
  stateMachineArn: string;
  input: string;
  name?: string;
}

export interface ExecutionStarter {
  /** Throws `AwsError` (StateMachineDoesNotExist, InvalidExecutionInput, …) as StartExecution would. */
  startExecution(req: StartExecutionRequest): Promise<{ executionArn: string; startDate: number }>;
}

// ---- EventBridge ---------------------------------------------------------------------------

export interface EventToPublish {
  region: string;
  source: string;
  detailType: string;
  detail: unknown;
  resources?: string[];
  /** Epoch ms on the sandbox clock; default now. */
  time?: number;
  /** Bus name or ARN; default `default`. */
  eventBusName?: string;
}

export interface EventPublisher {
  /** Route an AWS-originated event (S3 notification, Lambda destination) through the bus. */
  publish(event: EventToPublish): void;
}

// ---- CloudWatch metrics --------------------------------------------------------------------

export interface MetricDatum {
  region: string;
  /** e.g. `AWS/Lambda`, `AWS/Events`, `AWS/States`. */
  namespace: string;
  metricName: string;
  dimensions: Array<{ Name: string; Value: string }>;
  value: number;
  /** A CloudWatch standard unit: `Count`, `Milliseconds`, … (metric filters may name any of them). */
  unit: string;
  /** Epoch ms on the sandbox clock; default now. */
  timestamp?: number;
  /**
   * Several samples published at once, as one statistic set (metric filters aggregate a minute's
   * matches so); `value` is then their sum.
   */
  samples?: number[];
}

export interface MetricRecorder {
  /** Record one data point, as AWS services publish their own metrics (Invocations, Errors, …). */
  record(datum: MetricDatum): void;
}
