/**
 * demo2's IAM: three roles, each allowed exactly what its part of the pipeline does, scoped to this
 * run's bucket prefixes, functions, log groups and state machine. The one `"Resource": "*"` is the
 * log-delivery statement AWS requires for a state machine that logs (see below).
 */
import type { PolicyDocument } from '../../src/cloud/resourceTypes.js';
import type { PipelineFunction } from './names.js';

export interface PipelineScope {
  region: string;
  accountId: string;
  bucket: string;
  eventsLogGroup: string;
  functions: Record<PipelineFunction, string>;
  functionLogGroups: Record<PipelineFunction, string>;
  stateMachine: string;
  stateMachineLogGroup: string;
}

export const LAMBDA_TRUST_SERVICE = 'lambda.amazonaws.com';
export const STATES_TRUST_SERVICE = 'states.amazonaws.com';
export const EVENTS_TRUST_SERVICE = 'events.amazonaws.com';

export const FUNCTION_POLICY_NAME = 'pipeline-functions-least-privilege';
export const STATE_MACHINE_POLICY_NAME = 'invoke-pipeline-and-deliver-logs';
export const EVENTS_POLICY_NAME = 'start-this-pipeline-only';

export const functionArn = (s: PipelineScope, fn: PipelineFunction): string =>
  `arn:aws:lambda:${s.region}:${s.accountId}:function:${s.functions[fn]}`;

export const stateMachineArn = (s: PipelineScope): string =>
  `arn:aws:states:${s.region}:${s.accountId}:stateMachine:${s.stateMachine}`;

/** A log group's ARN in the `:*` form IAM uses for its streams. */
export const logGroupStreamsArn = (s: PipelineScope, group: string): string =>
  `arn:aws:logs:${s.region}:${s.accountId}:log-group:${group}:*`;

/**
 * The three functions share one role (one per function would narrow it further):
 * - validate reads incoming/ and, for a rejected file, copies it to quarantine/ and deletes the
 *   original (a "move" in S3 is copy + delete);
 * - transform reads incoming/ and writes raw/;
 * - load lists and reads raw/ and writes curated/.
 * ListBucket on incoming/ and raw/ only: without it S3 answers a missing key with 403, not 404.
 * Logs: each function's own group, created by us with a retention (no logs:CreateLogGroup).
 */
export function functionRolePolicy(s: PipelineScope): PolicyDocument {
  const bucketArn = `arn:aws:s3:::${s.bucket}`;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ListOnlyIncomingAndRaw',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: bucketArn,
        Condition: { StringLike: { 's3:prefix': ['incoming/*', 'raw/*'] } },
      },
      { Sid: 'ReadIncoming', Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucketArn}/incoming/*` },
      {
        Sid: 'CopyRejectedToQuarantine',
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: `${bucketArn}/quarantine/*`,
      },
      {
        Sid: 'RemoveRejectedFromIncoming',
        Effect: 'Allow',
        Action: 's3:DeleteObject',
        Resource: `${bucketArn}/incoming/*`,
      },
      {
        Sid: 'ReadWriteRawPartitions',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: `${bucketArn}/raw/*`,
      },
      {
        Sid: 'WriteCuratedSummaries',
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: `${bucketArn}/curated/*`,
      },
      {
        Sid: 'WriteOwnLogGroupsOnly',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: (['validate', 'transform', 'load'] as const).map((fn) =>
          logGroupStreamsArn(s, s.functionLogGroups[fn]),
        ),
      },
    ],
  };
}

/** The log-delivery actions Step Functions needs on the role to set up logging (AWS's list). */
export const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];

/**
 * - invoke the three pipeline functions and nothing else;
 * - set up log delivery: CreateStateMachine with a logging configuration is refused
 *   ("The state machine IAM Role is not authorized to access the Log Destination") unless the role
 *   holds these actions. AWS requires `"Resource": "*"` here: none of them supports resource-level
 *   permissions (the Service Authorization Reference lists no resource type for any of them).
 * - AWS's documented example also lists logs:PutLogEvents; it is granted on this run's group only.
 */
export function stateMachineRolePolicy(s: PipelineScope): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'InvokeOnlyThePipelineFunctions',
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: (['validate', 'transform', 'load'] as const).map((fn) => functionArn(s, fn)),
      },
      // "*" because AWS requires it: log-delivery actions have no resource-level permissions.
      { Sid: 'SetUpLogDelivery', Effect: 'Allow', Action: LOG_DELIVERY_ACTIONS, Resource: '*' },
      {
        Sid: 'WriteOwnLogGroupOnly',
        Effect: 'Allow',
        Action: 'logs:PutLogEvents',
        Resource: logGroupStreamsArn(s, s.stateMachineLogGroup),
      },
    ],
  };
}

/** EventBridge may start executions of this one state machine, nothing else. */
export function eventsRolePolicy(s: PipelineScope): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'StartThisPipelineOnly',
        Effect: 'Allow',
        Action: 'states:StartExecution',
        Resource: stateMachineArn(s),
      },
    ],
  };
}

/**
 * A CloudWatch Logs resource policy (not an IAM role policy): EventBridge writes to a log-group
 * target only where one lets it. As in AWS's example, both `events.amazonaws.com` and
 * `delivery.logs.amazonaws.com` may create streams and put events — here in this run's event log
 * group only.
 */
export function eventsLogPolicy(s: PipelineScope): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'EventBridgeWritesMatchedEvents',
        Effect: 'Allow',
        Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: logGroupStreamsArn(s, s.eventsLogGroup),
      },
    ],
  };
}
