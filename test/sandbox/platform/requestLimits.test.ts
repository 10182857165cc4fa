/**
 * Requests that hurt: each service's own size limit is applied from the declared length, before a
 * body byte is read, with that service's error; S3 checks its signature before reading any body.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { errorOf } from '../../helpers/awsErrors.js';
import { signRequest, type RawRequest, type Signing } from './rawRequest.js';
import { createFunction, createRole } from '../lambda/fixtures.js';

/**
 * Send only the head of a request that announces `declared` body bytes, and wait for the answer.
 * A server that waits for the body never answers (the timeout rejects).
 */
function headOnly(
  endpoint: string,
  req: RawRequest,
  declared: number,
  sign: Signing,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const url = new URL(endpoint);
  const headers = { ...signRequest(req, url.host, sign), 'content-length': String(declared) };
  return new Promise((resolve, reject) => {
    const r = http.request(
      { host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent: false },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    r.on('error', (err) => (err.message.includes('ECONNRESET') ? undefined : reject(err)));
    r.setTimeout(3000, () => r.destroy(new Error('no answer before the body was sent')));
    r.flushHeaders();
  });
}

describe('request size limits', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
    const lambda = new LambdaClient(t.clientConfig);
    await createFunction(lambda, await createRole(t), 'limits-fn', {
      'index.mjs': 'export const handler = async () => 1;',
    });
  });
  afterAll(() => t.stop());

  it('Lambda refuses an Invoke payload over 6 MB (sync) or 1 MB (Event) with its own error', async () => {
    const lambda = new LambdaClient(t.clientConfig);
    const big = (n: number) => Buffer.from(JSON.stringify('x'.repeat(n)));
    expect(
      await errorOf(
        lambda.send(
          new InvokeCommand({ FunctionName: 'limits-fn', InvocationType: 'Event', Payload: big(1_100_000) }),
        ),
      ),
    ).toEqual({
      name: 'RequestTooLargeException',
      message: 'Request must be smaller than 1048576 bytes for the InvokeFunction operation',
      status: 413,
    });
    expect(
      await errorOf(lambda.send(new InvokeCommand({ FunctionName: 'limits-fn', Payload: big(6_300_000) }))),
    ).toMatchObject({
      name: 'RequestTooLargeException',
      message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
      status: 413,
    });
    // Just under the async limit is accepted.
    const ok = await lambda.send(
      new InvokeCommand({ FunctionName: 'limits-fn', InvocationType: 'Event', Payload: big(1_000_000) }),
    );
    expect(ok.StatusCode).toBe(202);
  });

  it('refuses an oversized declared length before reading the body, per service', async () => {
    const sign = (service: string): Signing => ({ ...t.sandbox.credentials, service });
    const invoke = await headOnly(
      t.sandbox.endpoint,
      { method: 'POST', path: '/2015-03-31/functions/limits-fn/invocations' },
      10_000_000,
      sign('lambda'),
    );
    expect(invoke.status).toBe(413);
    expect(invoke.headers['x-amzn-errortype']).toBe('RequestTooLargeException');
    const logs = await headOnly(
      t.sandbox.endpoint,
      {
        method: 'POST',
        path: '/',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'Logs_20140328.PutLogEvents',
        },
      },
      20_000_000,
      sign('logs'),
    );
    expect(logs.status).toBe(413);
    expect(JSON.parse(logs.body)).toMatchObject({ __type: 'RequestEntityTooLargeException' });
  });

  it('S3 checks the signature before reading an upload', async () => {
    const wrong: Signing = {
      ...t.sandbox.credentials,
      secretAccessKey: 'wrong',
      service: 's3',
      payloadHash: 'UNSIGNED-PAYLOAD',
    };
    const res = await headOnly(
      t.sandbox.endpoint,
      { method: 'PUT', path: '/any-bucket/big-object' },
      100_000_000,
      wrong,
    );
    expect(res.status).toBe(403);
    expect(res.body).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});
