/** Resource-based policies: a statement applies only to the principals it names. */
import { describe, expect, it } from 'vitest';
import { evaluateResourcePolicies } from '../../../../src/sandbox/iam/resourcePolicyEvaluation.js';

const doc = (statement: unknown): string => JSON.stringify({ Version: '2012-10-17', Statement: statement });
const write = {
  action: 'logs:PutLogEvents',
  resource: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/events/orders:log-stream:abc',
};
const events = { service: 'events.amazonaws.com' };

describe('resource policy evaluation', () => {
  const trustEvents = doc([
    {
      Effect: 'Allow',
      Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/events/*:*',
    },
  ]);

  it.each([
    ['the named service, on a matching stream', trustEvents, events, write, 'allowed'],
    ['another service', trustEvents, { service: 'lambda.amazonaws.com' }, write, 'implicitDeny'],
    [
      'a group outside the Resource pattern',
      trustEvents,
      events,
      { ...write, resource: 'arn:aws:logs:us-east-1:000000000000:log-group:/app/x:log-stream:abc' },
      'implicitDeny',
    ],
    [
      'an action the statement does not list',
      trustEvents,
      events,
      { ...write, action: 'logs:DeleteLogGroup' },
      'implicitDeny',
    ],
    [
      'a statement without Principal (identity-style) never applies',
      doc([{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }]),
      events,
      write,
      'implicitDeny',
    ],
    [
      'Principal "*"',
      doc([{ Effect: 'Allow', Principal: '*', Action: 'logs:*', Resource: '*' }]),
      events,
      write,
      'allowed',
    ],
    [
      'an explicit Deny for the service wins',
      doc([
        { Effect: 'Allow', Principal: '*', Action: 'logs:*', Resource: '*' },
        {
          Effect: 'Deny',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'logs:PutLogEvents',
          Resource: '*',
        },
      ]),
      events,
      write,
      'explicitDeny',
    ],
    [
      'NotPrincipal excludes the service',
      doc([
        {
          Effect: 'Allow',
          NotPrincipal: { Service: 'events.amazonaws.com' },
          Action: 'logs:*',
          Resource: '*',
        },
      ]),
      events,
      write,
      'implicitDeny',
    ],
    [
      'an account principal covers the account’s roles',
      doc([{ Effect: 'Allow', Principal: { AWS: '000000000000' }, Action: 'logs:*', Resource: '*' }]),
      { arn: 'arn:aws:iam::000000000000:role/r' },
      write,
      'allowed',
    ],
    [
      'conditions are evaluated against the request context',
      doc([
        {
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'logs:*',
          Resource: '*',
          Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:events:us-east-1:000000000000:rule/other' } },
        },
      ]),
      events,
      { ...write, context: { 'aws:SourceArn': 'arn:aws:events:us-east-1:000000000000:rule/mine' } },
      'implicitDeny',
    ],
  ] as const)('%s', (_what, policy, who, req, expected) => {
    expect(evaluateResourcePolicies([policy], who, req)).toBe(expected);
  });
});
