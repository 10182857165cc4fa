import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { rawRequest, signRequest } from './rawRequest.js';
import { errorOf as summaryOf } from '../../helpers/awsErrors.js';

async function errorOf(p: Promise<unknown>): Promise<{ name: string; status?: number }> {
  const { name, status } = await summaryOf(p);
  return { name, status };
}

describe('SigV4 verification, per protocol', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(() => t.stop());

  const withCredentials = (accessKeyId: string, secretAccessKey: string) => ({
    ...t.clientConfig,
    credentials: { accessKeyId, secretAccessKey },
  });

  it('a wrong secret gives each service family its own signature error', async () => {
    const cfg = withCredentials(t.sandbox.credentials.accessKeyId, 'wrong-secret');
    const calls = [
      () => new IAMClient(cfg).send(new GetRoleCommand({ RoleName: 'x' })),
      () => new STSClient(cfg).send(new GetCallerIdentityCommand({})),
      () => new S3Client({ ...cfg, forcePathStyle: true }).send(new ListBucketsCommand({})),
    ];
    for (const call of calls) {
      expect(await errorOf(call())).toEqual({ name: 'SignatureDoesNotMatch', status: 403 });
    }
    // The JSON services call it InvalidSignatureException.
    expect(await errorOf(new CloudWatchLogsClient(cfg).send(new DescribeLogGroupsCommand({})))).toEqual({
      name: 'InvalidSignatureException',
      status: 400,
    });
  });

  it('an unknown access key gives each service family its own error', async () => {
    const cfg = withCredentials('AKIAUNKNOWNUNKNOWN00', t.sandbox.credentials.secretAccessKey);
    expect(await errorOf(new IAMClient(cfg).send(new GetRoleCommand({ RoleName: 'x' })))).toEqual({
      name: 'InvalidClientTokenId',
      status: 403,
    });
    expect(await errorOf(new STSClient(cfg).send(new GetCallerIdentityCommand({})))).toEqual({
      name: 'InvalidClientTokenId',
      status: 403,
    });
    expect(await errorOf(new CloudWatchLogsClient(cfg).send(new DescribeLogGroupsCommand({})))).toEqual({
      name: 'UnrecognizedClientException',
      status: 403,
    });
    expect(
      await errorOf(new S3Client({ ...cfg, forcePathStyle: true }).send(new ListBucketsCommand({}))),
    ).toEqual({ name: 'InvalidAccessKeyId', status: 403 });
  });

  it('an unsigned request is refused in the shape of the protocol it was meant for', async () => {
    const iam = await rawRequest(t.sandbox.endpoint, {
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListRoles&Version=2010-05-08',
    });
    expect(iam.status).toBe(403);
    expect(iam.body).toMatch(/^<ErrorResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/">/);
    expect(iam.body).toContain('<Code>MissingAuthenticationToken</Code>');

    const logs = await rawRequest(t.sandbox.endpoint, {
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Logs_20140328.DescribeLogGroups',
      },
      body: '{}',
    });
    expect(logs.status).toBe(403);
    expect(JSON.parse(logs.body)).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
    expect(logs.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');

    const metrics = await rawRequest(t.sandbox.endpoint, {
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'GraniteServiceVersion20100801.ListMetrics',
      },
      body: '{}',
    });
    expect(metrics.status).toBe(403);
    expect(JSON.parse(metrics.body)).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
  });

  it('a malformed Authorization header gives IncompleteSignature', async () => {
    const cases = [
      'AWS4-HMAC-SHA256 Credential=abc',
      `AWS4-HMAC-SHA256 Credential=${t.sandbox.credentials.accessKeyId}/20240101/us-east-1/sts, SignedHeaders=host, Signature=00`,
    ];
    for (const authorization of cases) {
      const res = await rawRequest(t.sandbox.endpoint, {
        method: 'POST',
        path: '/',
        headers: {
          authorization,
          'x-amz-date': '20240101T000000Z',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
      });
      expect(res.status, authorization).toBe(400);
      expect(res.body).toContain('<Code>IncompleteSignature</Code>');
    }
  });

  it('a correctly signed raw request is accepted, and a tampered body is not', async () => {
    const sign = { ...t.sandbox.credentials, service: 'sts' };
    const ok = await rawRequest(
      t.sandbox.endpoint,
      {
        method: 'POST',
        path: '/',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
      },
      { sign },
    );
    expect(ok.status).toBe(200);
    const body = 'Action=GetCallerIdentity&Version=2011-06-15';
    const headers = signRequest(
      { method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body },
      new URL(t.sandbox.endpoint).host,
      sign,
    );
    const tampered = await rawRequest(t.sandbox.endpoint, {
      method: 'POST',
      path: '/',
      headers,
      body: body.replace('GetCallerIdentity', 'GetCallerIdentitY'),
    });
    expect(tampered.status).toBe(403);
    expect(tampered.body).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});
