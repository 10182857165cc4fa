/**
 * demo3's IAM, one role per job and each scoped to this run's ARNs: a function may touch only the
 * prefixes its job needs, write only its own log group; the state machine may invoke only these
 * three functions; EventBridge may start only this state machine. `Resource: "*"` appears only where
 * AWS offers nothing narrower (metric publishing, log delivery), each commented.
 */
import type { PolicyDocument, PolicyStatement } from '../../src/cloud/resourceTypes.js';
import { lambdaLogGroup, type FunctionKey } from './names.js';

export interface PolicyScope {
  region: string;
  accountId: string;
  bucket: string;
}

export const POLICY_NAMES: Record<FunctionKey | 'machine' | 'events', string> = {
  process: 'process-partition-least-privilege',
  check: 'check-completeness-least-privilege',
  report: 'write-report-least-privilege',
  machine: 'reconcile-machine-least-privilege',
  events: 'start-reconcile-least-privilege',
};

export const TRUST = {
  lambda: 'lambda.amazonaws.com',
  states: 'states.amazonaws.com',
  events: 'events.amazonaws.com',
} as const;

const bucketArn = (s: PolicyScope) => `arn:aws:s3:::${s.bucket}`;

export const functionArn = (s: PolicyScope, name: string): string =>
  `arn:aws:lambda:${s.region}:${s.accountId}:function:${name}`;

export const stateMachineArn = (s: PolicyScope, name: string): string =>
  `arn:aws:states:${s.region}:${s.accountId}:stateMachine:${name}`;

export const logGroupArn = (s: PolicyScope, name: string): string =>
  `arn:aws:logs:${s.region}:${s.accountId}:log-group:${name}`;

/** Listing only under raw/ and curated/ (without List on a prefix, S3 answers a missing key with 403, not 404). */
function listRawAndCurated(s: PolicyScope): PolicyStatement {
  return {
    Sid: 'ListOnlyRawAndCurated',
    Effect: 'Allow',
    Action: 's3:ListBucket',
    Resource: bucketArn(s),
    Condition: { StringLike: { 's3:prefix': ['raw/*', 'curated/*'] } },
  };
}

function ownLogGroup(s: PolicyScope, functionName: string): PolicyStatement {
  return {
    Sid: 'WriteOwnLogGroupOnly',
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: `${logGroupArn(s, lambdaLogGroup(functionName))}:*`,
  };
}

const doc = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });

/** process-partition reads a partition's raw files and reads/writes its summary. */
export function processPartitionPolicy(s: PolicyScope, functionName: string): PolicyDocument {
  return doc(
    listRawAndCurated(s),
    { Sid: 'ReadRawInput', Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucketArn(s)}/raw/*` },
    {
      Sid: 'ReadWriteCuratedSummaries',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: `${bucketArn(s)}/curated/*`,
    },
    ownLogGroup(s, functionName),
  );
}

/** check-completeness only lists, and reads summaries (never raw data). */
export function checkCompletenessPolicy(s: PolicyScope, functionName: string): PolicyDocument {
  return doc(
    listRawAndCurated(s),
    {
      Sid: 'ReadCuratedSummaries',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: `${bucketArn(s)}/curated/*`,
    },
    ownLogGroup(s, functionName),
  );
}

/** write-report lists and reads summaries, writes reports/, and publishes to its own metric namespace. */
export function writeReportPolicy(s: PolicyScope, functionName: string, namespace: string): PolicyDocument {
  return doc(
    listRawAndCurated(s),
    {
      Sid: 'ReadCuratedSummaries',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: `${bucketArn(s)}/curated/*`,
    },
    { Sid: 'WriteReports', Effect: 'Allow', Action: 's3:PutObject', Resource: `${bucketArn(s)}/reports/*` },
    {
      Sid: 'PublishOwnMetricsOnly',
      Effect: 'Allow',
      Action: 'cloudwatch:PutMetricData',
      // Metrics in a namespace are no resource IAM can name (PutMetricData's one resource type, an OTLP
      // dataset, does not apply): "*" is required; the namespace condition scopes it.
      Resource: '*',
      Condition: { StringEquals: { 'cloudwatch:namespace': namespace } },
    },
    ownLogGroup(s, functionName),
  );
}

/** The state machine invokes exactly the three functions and delivers its logs. */
export function stateMachinePolicy(s: PolicyScope, functionNames: string[]): PolicyDocument {
  return doc(
    {
      Sid: 'InvokeOnlyThePipelineFunctions',
      Effect: 'Allow',
      Action: 'lambda:InvokeFunction',
      Resource: functionNames.map((n) => functionArn(s, n)),
    },
    {
      Sid: 'DeliverExecutionLogs',
      Effect: 'Allow',
      Action: [
        'logs:CreateLogDelivery',
        'logs:GetLogDelivery',
        'logs:UpdateLogDelivery',
        'logs:DeleteLogDelivery',
        'logs:ListLogDeliveries',
        'logs:PutResourcePolicy',
        'logs:DescribeResourcePolicies',
        'logs:DescribeLogGroups',
      ],
      // Log delivery (vended logs) supports no resource-level permissions: AWS requires "*".
      Resource: '*',
    },
  );
}

/** EventBridge (both rules) may start this one state machine and nothing else. */
export function startExecutionPolicy(s: PolicyScope, machineName: string): PolicyDocument {
  return doc({
    Sid: 'StartOnlyThisStateMachine',
    Effect: 'Allow',
    Action: 'states:StartExecution',
    Resource: stateMachineArn(s, machineName),
  });
}

/**
 * The CloudWatch Logs resource policy that lets EventBridge write alarm events into the pager log
 * group (log-group targets use a resource policy, not a role), scoped to that one group.
 */
export function pagerResourcePolicy(s: PolicyScope, pagerLogGroup: string): PolicyDocument {
  return doc({
    Sid: 'EventBridgeWritesThePagerGroup',
    Effect: 'Allow',
    Principal: { Service: [TRUST.events, 'delivery.logs.amazonaws.com'] },
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: `${logGroupArn(s, pagerLogGroup)}:*`,
  });
}
