import { describe, expect, it } from 'vitest';
import { executionRolePolicy, logGroupNameFor } from '../../../demos/demo1-scheduler-lambda/policy.js';
import { decodePolicyDocument, normalisePolicy } from '../../../demos/shared/checks.js';

describe('hourly-aggregate execution policy', () => {
  const scope = {
    bucket: 'course-demo1-abc123-000000000000-data',
    region: 'eu-west-1',
    accountId: '123456789012',
    functionName: 'course-demo1-abc123-hourly-aggregate',
  };

  it('grants exactly the scoped statements and nothing with a wildcard resource', () => {
    expect(executionRolePolicy(scope)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ListOnlyRawAndCuratedPrefixes',
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: 'arn:aws:s3:::course-demo1-abc123-000000000000-data',
          Condition: { StringLike: { 's3:prefix': ['raw/*', 'curated/*'] } },
        },
        {
          Sid: 'ReadRawInput',
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::course-demo1-abc123-000000000000-data/raw/*',
        },
        {
          Sid: 'ReadWriteCuratedOutput',
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:PutObject'],
          Resource: 'arn:aws:s3:::course-demo1-abc123-000000000000-data/curated/*',
        },
        {
          Sid: 'WriteOwnLogGroupOnly',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource:
            'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/course-demo1-abc123-hourly-aggregate:*',
        },
      ],
    });
    const text = JSON.stringify(executionRolePolicy(scope));
    expect(text).not.toMatch(/"\*"|s3:\*|logs:\*|CreateLogGroup|DeleteObject/);
    expect(logGroupNameFor(scope.functionName)).toBe('/aws/lambda/course-demo1-abc123-hourly-aggregate');
  });

  it('compares policies regardless of key order, single-vs-list and URL encoding', () => {
    const doc = executionRolePolicy(scope);
    const reverseKeys = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reverseKeys)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reverseKeys(x)]),
            )
          : v;
    const reordered = reverseKeys(doc);
    expect(Object.keys(reordered as object)).toEqual(['Statement', 'Version']);
    const encoded = encodeURIComponent(JSON.stringify(doc));
    expect(normalisePolicy(decodePolicyDocument(encoded))).toEqual(normalisePolicy(reordered));
    const widened = structuredClone(doc);
    widened.Statement[1]!.Resource = 'arn:aws:s3:::course-demo1-abc123-000000000000-data/*';
    expect(normalisePolicy(widened)).not.toEqual(normalisePolicy(doc));
  });
});
