import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { rawRequest } from './rawRequest.js';

const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

describe('awsQuery wire format (IAM)', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(() => t.stop());

  const iam = (method: string, params: Record<string, string>, asQuery = false) => {
    const form = new URLSearchParams(params).toString();
    return rawRequest(
      t.sandbox.endpoint,
      asQuery
        ? { method, path: `/?${form}` }
        : {
            method,
            path: '/',
            headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
            body: form,
          },
      { sign: { ...t.sandbox.credentials, service: 'iam' } },
    );
  };

  it('reads a parameter named __proto__ as a member: Action and RoleName are never read through it', async () => {
    const viaPrototype = await iam('POST', {
      Version: '2010-05-08',
      '__proto__.Action': 'CreateRole',
      '__proto__.RoleName': 'proto-role',
      '__proto__.AssumeRolePolicyDocument': trust,
    });
    expect(viaPrototype.status).toBe(400);
    expect(viaPrototype.body).toContain('<Code>MissingAction</Code>');

    const created = await iam('POST', {
      Action: 'CreateRole',
      Version: '2010-05-08',
      '__proto__.RoleName': 'proto-role',
      AssumeRolePolicyDocument: trust,
    });
    expect(created.body).toContain('<Code>ValidationError</Code>');
    expect(created.status).toBe(400);
    const got = await iam('POST', { Action: 'GetRole', Version: '2010-05-08', RoleName: 'proto-role' });
    expect(got.body).toContain('<Code>NoSuchEntity</Code>');
  });

  it('flattens lists in, serialises members out and escapes XML', async () => {
    const created = await iam('POST', {
      Action: 'CreateRole',
      Version: '2010-05-08',
      RoleName: 'wire-role',
      AssumeRolePolicyDocument: trust,
      Description: 'a & b <c>',
      'Tags.member.1.Key': 'note',
      'Tags.member.1.Value': 'a + b',
      'Tags.member.2.Key': 'course:demo',
      'Tags.member.2.Value': 'demo1',
    });
    expect(created.status).toBe(200);
    expect(created.headers['content-type']).toBe('text/xml');
    expect(created.body).toMatch(
      /^<CreateRoleResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/"><CreateRoleResult><Role>/,
    );
    expect(created.body).toContain(
      '<Tags><member><Key>note</Key><Value>a + b</Value></member><member><Key>course:demo</Key><Value>demo1</Value></member></Tags>',
    );
    expect(created.body).toContain(
      `<AssumeRolePolicyDocument>${encodeURIComponent(trust)}</AssumeRolePolicyDocument>`,
    );
    const listed = await iam(
      'GET',
      { Action: 'ListRolePolicies', Version: '2010-05-08', RoleName: 'wire-role' },
      true,
    );
    expect(listed.body).toContain(
      '<ListRolePoliciesResult><PolicyNames></PolicyNames><IsTruncated>false</IsTruncated></ListRolePoliciesResult>',
    );
    const deleted = await iam('POST', { Action: 'DeleteRole', Version: '2010-05-08', RoleName: 'wire-role' });
    expect(deleted.body).toMatch(
      /^<DeleteRoleResponse xmlns="[^"]+"><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/DeleteRoleResponse>$/,
    );
  });

  it('answers protocol errors with AWS codes', async () => {
    const cases: Array<[string, Record<string, string>, number, string]> = [
      ['POST', { Version: '2010-05-08' }, 400, 'MissingAction'],
      ['POST', { Action: 'LaunchRockets', Version: '2010-05-08' }, 400, 'InvalidAction'],
      ['POST', { Action: 'GetRole', Version: '2011-06-15', RoleName: 'x' }, 400, 'InvalidAction'],
      ['POST', { Action: 'GetRole', Version: '2010-05-08' }, 400, 'ValidationError'],
      ['POST', { Action: 'GetRole', Version: '2010-05-08', RoleName: 'nobody' }, 404, 'NoSuchEntity'],
      ['PUT', { Action: 'GetRole', Version: '2010-05-08', RoleName: 'x' }, 405, 'InvalidHttpRequest'],
    ];
    for (const [method, params, status, code] of cases) {
      const res = await iam(method, params);
      expect(res.status, `${method} ${JSON.stringify(params)}`).toBe(status);
      expect(res.body).toMatch(
        new RegExp(
          `^<ErrorResponse xmlns="https://iam\\.amazonaws\\.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>${code}</Code><Message>[^<]+</Message></Error><RequestId>[0-9a-f-]{36}</RequestId></ErrorResponse>$`,
        ),
      );
    }
    const missing = await iam('POST', { Action: 'GetRole', Version: '2010-05-08' });
    expect(missing.body).toContain(
      "1 validation error detected: Value null at 'roleName' failed to satisfy constraint: Member must not be null",
    );
  });
});
