import { describe, expect, it } from 'vitest';
import { trustPolicyAllowsService, validatePolicyDocument } from '../../../src/sandbox/iam/policyDocument.js';
import { createIamService } from '../../../src/sandbox/iam/index.js';
import { SandboxClock } from '../../../src/sandbox/clock.js';
import { StateStore } from '../../../src/sandbox/store.js';
import { nestQueryParams } from '../../../src/sandbox/protocols/queryXml.js';
import { makeTempDir } from '../../helpers/sandbox.js';

const doc = (statement: unknown): string => JSON.stringify({ Version: '2012-10-17', Statement: statement });

describe('trust policy evaluation', () => {
  it('allows a service named as a string or in a list, for sts:AssumeRole or a wildcard', () => {
    const single = doc([
      { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
    expect(trustPolicyAllowsService(single, 'lambda.amazonaws.com')).toBe(true);
    expect(trustPolicyAllowsService(single, 'states.amazonaws.com')).toBe(false);
    const list = doc({
      Effect: 'Allow',
      Principal: { Service: ['states.amazonaws.com', 'events.amazonaws.com'] },
      Action: ['sts:*'],
    });
    expect(trustPolicyAllowsService(list, 'events.amazonaws.com')).toBe(true);
    expect(trustPolicyAllowsService(list, 'lambda.amazonaws.com')).toBe(false);
  });

  it('ignores other actions and honours Deny', () => {
    const wrongAction = doc([
      { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:TagSession' },
    ]);
    expect(trustPolicyAllowsService(wrongAction, 'lambda.amazonaws.com')).toBe(false);
    const denied = doc([
      { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
      { Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole' },
    ]);
    expect(trustPolicyAllowsService(denied, 'lambda.amazonaws.com')).toBe(false);
  });

  it('accepts the 2008 version and a single statement object', () => {
    expect(() =>
      validatePolicyDocument(
        JSON.stringify({
          Version: '2008-10-17',
          Statement: { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' },
        }),
        'trust',
      ),
    ).not.toThrow();
  });
});

describe('IamDirectory', () => {
  it('finds roles by ARN and evaluates their trust', async () => {
    const store = new StateStore(makeTempDir());
    const iam = createIamService({ store, clock: new SandboxClock(), log: () => undefined });
    const input = nestQueryParams(
      new URLSearchParams({
        Action: 'CreateRole',
        RoleName: 'fn-role',
        AssumeRolePolicyDocument: doc([
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ]),
      }).entries(),
    );
    expect(input.Action).toBe('CreateRole');
    const res = await iam.endpoint.handle({
      method: 'POST',
      rawPath: '/',
      path: '/',
      rawQuery: '',
      query: new URLSearchParams(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from(new URLSearchParams(input as Record<string, string>).toString()),
      region: 'us-east-1',
      accountId: '000000000000',
      requestId: 'r',
      accessKeyId: 'k',
      endpoint: '',
    });
    expect(res.status).toBe(200);
    const arn = 'arn:aws:iam::000000000000:role/fn-role';
    expect(iam.directory.findRoleByArn(arn)?.roleName).toBe('fn-role');
    expect(iam.directory.findRoleByArn('arn:aws:iam::000000000000:role/other/fn-role')).toBeUndefined();
    expect(iam.directory.roleTrustsService(arn, 'lambda.amazonaws.com')).toBe(true);
    expect(iam.directory.roleTrustsService(arn, 'states.amazonaws.com')).toBe(false);
    expect(
      iam.directory.roleTrustsService('arn:aws:iam::000000000000:role/none', 'lambda.amazonaws.com'),
    ).toBe(false);
  });
});

describe('awsQuery parameter nesting', () => {
  it('turns .member.N into lists and keeps structures', () => {
    const nested = nestQueryParams([
      ['Tags.member.2.Key', 'b'],
      ['Tags.member.1.Key', 'a'],
      ['Tags.member.1.Value', '1'],
      ['Tags.member.2.Value', '2'],
      ['TagKeys.member.1', 'x'],
      ['Empty', ''],
    ]);
    expect(nested).toEqual({
      Tags: [
        { Key: 'a', Value: '1' },
        { Key: 'b', Value: '2' },
      ],
      TagKeys: ['x'],
      Empty: '',
    });
  });
});
