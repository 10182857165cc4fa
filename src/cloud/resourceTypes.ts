/**
 * The ledger-backed resource manager demos use to create AWS resources. Every method:
 * derives the name from the run (`course-<demo>-<run>-<part>`), records the intent in the
 * write-ahead ledger *before* the create call, creates idempotently (ours already there → adopt;
 * someone else's → `ResourceConflictError`), tags it (`course:demo`, `course:run`,
 * `course:managed-by=course-cli`), then confirms the ledger entry. Teardown walks the ledger.
 */

export type ResourceKind =
  | 's3-bucket'
  | 'iam-role'
  | 'log-group'
  | 'lambda-function'
  | 'lambda-permission'
  | 'events-rule'
  | 'state-machine'
  | 'alarm'
  | 'metric-filter'
  | 'log-resource-policy';

export interface CreatedResource {
  kind: ResourceKind;
  name: string;
  arn: string;
}

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: string | string[];
  Principal?: Record<string, string | string[]>;
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export interface BucketSpec {
  /** Name part, e.g. `data` → `course-demo1-<run>-<account>-data`. */
  part: string;
  /** Turn on S3 → EventBridge notifications. */
  eventBridge?: boolean;
}

export interface RoleSpec {
  part: string;
  description: string;
  /** Service principal allowed to assume it, e.g. `lambda.amazonaws.com`. */
  trustedService: string;
  /** Inline policies by name. Scope them to this run's ARNs. */
  inlinePolicies: Record<string, PolicyDocument>;
}

export interface LogGroupSpec {
  /** Full log group name, e.g. `/aws/lambda/<function name>`. */
  name: string;
  retentionInDays: number;
}

export interface FunctionSpec {
  part: string;
  description: string;
  roleArn: string;
  runtime: 'nodejs22.x' | 'nodejs24.x';
  /** e.g. `index.handler`. */
  handler: string;
  /** Zip bytes built in memory. */
  zip: Uint8Array;
  timeoutSeconds: number;
  memoryMb: number;
  environment?: Record<string, string>;
}

export interface PermissionSpec {
  functionName: string;
  statementId: string;
  /** e.g. `events.amazonaws.com`. */
  principal: string;
  sourceArn: string;
  action?: string;
}

export interface RuleTargetSpec {
  id: string;
  arn: string;
  roleArn?: string;
  input?: string;
  inputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
  retryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
}

export interface RuleSpec {
  part: string;
  description: string;
  scheduleExpression?: string;
  eventPattern?: Record<string, unknown>;
  /** Created (or brought back) in this state; default ENABLED. */
  state?: 'ENABLED' | 'DISABLED';
  targets: RuleTargetSpec[];
}

export interface StateMachineSpec {
  part: string;
  roleArn: string;
  definition: Record<string, unknown>;
  type?: 'STANDARD' | 'EXPRESS';
  /** Log group ARN ending in `:*`; level ALL with execution data. */
  logGroupArn?: string;
}

/** The metric a single-metric alarm watches. */
export interface AlarmMetricSpec {
  namespace: string;
  metricName: string;
  dimensions?: Record<string, string>;
  /** A statistic (`Sum`, `Average`, …) or, in `metrics` queries, a percentile such as `p99`. */
  stat: string;
  /** Seconds: 10, 20, 30 or a multiple of 60. */
  period: number;
  unit?: string;
}

/** One query of a metric math alarm: a metric (`metric`) or an expression over the others. */
export interface AlarmQuerySpec {
  id: string;
  metric?: AlarmMetricSpec;
  expression?: string;
  label?: string;
  /** Exactly one query of an alarm returns data (the one the threshold applies to). */
  returnData?: boolean;
}

export interface AlarmSpec {
  /** Name part: the alarm is `course-<demo>-<run>-<part>`. */
  part: string;
  description: string;
  /** A single metric with a basic statistic… */
  metric?: AlarmMetricSpec & { stat: 'SampleCount' | 'Average' | 'Sum' | 'Minimum' | 'Maximum' };
  /** …or metric math (exactly one of the two). */
  metrics?: AlarmQuerySpec[];
  evaluationPeriods: number;
  /** M of "M out of N"; omitted means every evaluation period. */
  datapointsToAlarm?: number;
  threshold: number;
  comparisonOperator:
    | 'GreaterThanOrEqualToThreshold'
    | 'GreaterThanThreshold'
    | 'LessThanThreshold'
    | 'LessThanOrEqualToThreshold';
  treatMissingData?: 'breaching' | 'notBreaching' | 'ignore' | 'missing';
  alarmActions?: string[];
  okActions?: string[];
  insufficientDataActions?: string[];
}

export interface MetricFilterSpec {
  /** Name part: the filter is `course-<demo>-<run>-<part>`, on `logGroupName`. */
  part: string;
  /** The log group it filters (one this run created: filters have no tags, their group's tags prove them ours). */
  logGroupName: string;
  filterPattern: string;
  metricNamespace: string;
  metricName: string;
  /** A number, or a field of the event (`$.latency`, `$bytes`). */
  metricValue: string;
  defaultValue?: number;
  dimensions?: Record<string, string>;
  unit?: string;
}

export interface LogResourcePolicySpec {
  /** Name part: the policy is `course-<demo>-<run>-<part>`. */
  part: string;
  /**
   * Which services may write to which of this run's log groups. Every Resource must name this run:
   * resource policies carry no tags, so that is what proves the policy ours at teardown.
   */
  policyDocument: PolicyDocument;
}

export interface ResourceManager {
  /** This deployment's short random id (stable across resumes until teardown). */
  readonly runId: string;
  /** `course-<demo>-<run>-<part>` (and for buckets the account id), within AWS naming rules. */
  nameFor(kind: ResourceKind, part: string): string;
  bucket(spec: BucketSpec): Promise<CreatedResource>;
  role(spec: RoleSpec): Promise<CreatedResource>;
  logGroup(spec: LogGroupSpec): Promise<CreatedResource>;
  lambdaFunction(spec: FunctionSpec): Promise<CreatedResource>;
  lambdaPermission(spec: PermissionSpec): Promise<CreatedResource>;
  rule(spec: RuleSpec): Promise<CreatedResource>;
  stateMachine(spec: StateMachineSpec): Promise<CreatedResource>;
  /** A CloudWatch metric alarm (its state changes reach EventBridge's default bus). */
  alarm(spec: AlarmSpec): Promise<CreatedResource>;
  /** A CloudWatch Logs metric filter on one of this run's log groups. */
  metricFilter(spec: MetricFilterSpec): Promise<CreatedResource>;
  /** A CloudWatch Logs resource policy letting AWS services write to this run's log groups. */
  logResourcePolicy(spec: LogResourcePolicySpec): Promise<CreatedResource>;
  /** What the ledger says exists now (confirmed or only intended), in creation order. */
  list(): CreatedResource[];
}

export interface TeardownReport {
  /** Deleted by this teardown. */
  deleted: CreatedResource[];
  /** Named by the ledger but already gone (NotFound counts as done). */
  alreadyGone: CreatedResource[];
  /** Could not be deleted; the ledger keeps them so teardown can be run again. */
  failed: Array<{ resource: CreatedResource; error: string }>;
  /** Found by the post-teardown sweep still carrying this run's tags. */
  leftovers: CreatedResource[];
  /** Named by the ledger but left alone because their tags are not this run's (never deleted). */
  refused?: Array<{ resource: CreatedResource; reason: string }>;
  /** Things worth telling the learner that are not failures (e.g. a sweep the endpoint cannot do). */
  warnings?: string[];
  /** Where the completed ledger was archived (teardown complete; the next run gets a new run id). */
  archivedLedger?: string;
}
