/**
 * The function's IAM: who may assume the role (Lambda), and exactly what the role may do. Every
 * statement names this run's bucket prefixes or this function's own log group — nothing broader.
 */
import type { PolicyDocument } from '../../src/cloud/resourceTypes.js';

export interface PolicyScope {
  bucket: string;
  region: string;
  accountId: string;
  functionName: string;
}

export const EXECUTION_POLICY_NAME = 'hourly-aggregate-least-privilege';

export function logGroupNameFor(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

export function logGroupArnFor(scope: PolicyScope): string {
  return `arn:aws:logs:${scope.region}:${scope.accountId}:log-group:${logGroupNameFor(scope.functionName)}`;
}

/**
 * - list only under raw/ (its input) and curated/ (to find an existing summary: without List on a
 *   prefix, S3 answers a missing key with 403 instead of 404);
 * - read raw/ objects; read and write curated/ objects;
 * - write log events to its own log group only. No logs:CreateLogGroup: we create the group, with a
 *   retention, so teardown can delete it and nothing lingers.
 */
export function executionRolePolicy(scope: PolicyScope): PolicyDocument {
  const bucketArn = `arn:aws:s3:::${scope.bucket}`;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ListOnlyRawAndCuratedPrefixes',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: bucketArn,
        Condition: { StringLike: { 's3:prefix': ['raw/*', 'curated/*'] } },
      },
      { Sid: 'ReadRawInput', Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucketArn}/raw/*` },
      {
        Sid: 'ReadWriteCuratedOutput',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: `${bucketArn}/curated/*`,
      },
      {
        Sid: 'WriteOwnLogGroupOnly',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `${logGroupArnFor(scope)}:*`,
      },
    ],
  };
}

export const LAMBDA_TRUST_SERVICE = 'lambda.amazonaws.com';
