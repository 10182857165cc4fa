/**
 * Signatures as strict as AWS's: the credential scope's region, the request time (clock skew and
 * presigned expiry), payload hashes only S3 lets a client declare, signed aws-chunked trailers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { decodeAwsChunked } from '../../../src/sandbox/s3/awsChunked.js';
import { signingKey } from '../../../src/sandbox/sigv4.js';
import { isAwsRegionName } from '../../../src/sandbox/regions.js';
import { checkRequestSkew, MAX_SKEW_MS } from '../../../src/sandbox/requestTime.js';
import { authErrors } from '../../../src/sandbox/serviceGuess.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { rawRequest, type RawRequest, type Signing } from './rawRequest.js';

const LOGS_CREATE = (name: string): RawRequest => ({
  method: 'POST',
  path: '/',
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Logs_20140328.CreateLogGroup' },
  body: JSON.stringify({ logGroupName: name }),
});
const IAM_LIST: RawRequest = {
  method: 'POST',
  path: '/',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: 'Action=ListRoles&Version=2010-05-08',
};
const S3_LIST: RawRequest = { method: 'GET', path: '/' };
const LAMBDA_LIST: RawRequest = { method: 'GET', path: '/2015-03-31/functions' };

describe('region names', () => {
  it('accepts the partitions’ regions and nothing that is not one', () => {
    for (const r of [
      'us-east-1',
      'eu-central-2',
      'ap-southeast-7',
      'cn-north-1',
      'us-gov-west-1',
      'us-isob-east-1',
      'eusc-de-east-1',
    ])
      expect(isAwsRegionName(r), r).toBe(true);
    for (const r of [
      '__proto__',
      'constructor',
      '..',
      '.',
      '',
      'US-EAST-1',
      'zz-fake-1',
      'us-east',
      'us-east-1/..',
      'aws-global',
      `us-${'a'.repeat(40)}-1`,
    ])
      expect(isAwsRegionName(r), r).toBe(false);
  });
});

describe('signature rules over the wire', () => {
  let t: TestSandbox;
  const sign = (service: string, more: Partial<Signing> = {}): Signing => ({
    ...t.sandbox.credentials,
    service,
    ...more,
  });
  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(() => t.stop());

  it('refuses a scope region AWS could not have, in each protocol’s words, before it touches any state', async () => {
    for (const region of ['__proto__', '..', 'constructor', 'zz-fake-1']) {
      const logs = await rawRequest(t.sandbox.endpoint, LOGS_CREATE(`g-${region.length}`), {
        sign: sign('logs', { region }),
      });
      expect(logs.status, region).toBe(403);
      expect(JSON.parse(logs.body)).toEqual({
        __type: 'InvalidSignatureException',
        message: `Credential should be scoped to a valid region, not '${region}'. `,
      });
      const iam = await rawRequest(t.sandbox.endpoint, IAM_LIST, { sign: sign('iam', { region }) });
      expect(iam.status).toBe(403);
      expect(iam.body).toContain('<Code>SignatureDoesNotMatch</Code>');
      expect(iam.body).toContain('Credential should be scoped to a valid region');
      const s3 = await rawRequest(t.sandbox.endpoint, S3_LIST, {
        sign: sign('s3', { region, payloadHash: 'UNSIGNED-PAYLOAD' }),
      });
      expect(s3.status).toBe(400);
      expect(s3.body).toContain('<Code>AuthorizationHeaderMalformed</Code>');
    }
    // Region `__proto__` used to land in Object.prototype and poison every later IAM evaluation.
    expect(Object.prototype).not.toHaveProperty('g-9');
    expect(({} as Record<string, unknown>)['g-9']).toBeUndefined();
  });

  it('refuses a request signed more than 15 minutes from the server’s clock, as each family words it', async () => {
    const old = new Date(Date.now() - 20 * 60 * 1000);
    const logs = await rawRequest(t.sandbox.endpoint, LOGS_CREATE('skewed'), {
      sign: sign('logs', { date: old }),
    });
    expect(logs.status).toBe(400);
    const body = JSON.parse(logs.body) as { __type: string; message: string };
    expect(body.__type).toBe('InvalidSignatureException');
    expect(body.message).toMatch(
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
    );

    const future = new Date(Date.now() + 20 * 60 * 1000);
    const ahead = await rawRequest(t.sandbox.endpoint, IAM_LIST, { sign: sign('iam', { date: future }) });
    expect(ahead.status).toBe(403);
    expect(ahead.body).toMatch(/<Code>SignatureDoesNotMatch<\/Code><Message>Signature not yet current: /);

    const s3 = await rawRequest(t.sandbox.endpoint, S3_LIST, {
      sign: sign('s3', { date: old, payloadHash: 'UNSIGNED-PAYLOAD' }),
    });
    expect(s3.status).toBe(403);
    expect(s3.body).toContain('<Code>RequestTimeTooSkewed</Code>');
    expect(s3.body).toContain('<MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds>');

    const lambda = await rawRequest(t.sandbox.endpoint, LAMBDA_LIST, { sign: sign('lambda', { date: old }) });
    expect(lambda.status).toBe(403);
    expect(lambda.headers['x-amzn-errortype']).toBe('InvalidSignatureException');

    // Within the window is fine.
    const recent = new Date(Date.now() - 14 * 60 * 1000);
    const ok = await rawRequest(t.sandbox.endpoint, IAM_LIST, { sign: sign('iam', { date: recent }) });
    expect(ok.status).toBe(200);
  });

  it('lets only S3 take a declared payload hash: UNSIGNED-PAYLOAD elsewhere fails the signature', async () => {
    const logs = await rawRequest(t.sandbox.endpoint, LOGS_CREATE('unsigned-payload'), {
      sign: sign('logs', { payloadHash: 'UNSIGNED-PAYLOAD' }),
    });
    expect(logs.status).toBe(400);
    expect(JSON.parse(logs.body)).toMatchObject({ __type: 'InvalidSignatureException' });
    const iam = await rawRequest(t.sandbox.endpoint, IAM_LIST, {
      sign: sign('iam', { payloadHash: 'UNSIGNED-PAYLOAD' }),
    });
    expect(iam.status).toBe(403);
    expect(iam.body).toContain('<Code>SignatureDoesNotMatch</Code>');
    const s3 = await rawRequest(t.sandbox.endpoint, S3_LIST, {
      sign: sign('s3', { payloadHash: 'UNSIGNED-PAYLOAD' }),
    });
    expect(s3.status).toBe(200);
    const bogus = await rawRequest(t.sandbox.endpoint, S3_LIST, {
      sign: sign('s3', { payloadHash: 'NOT-A-HASH' }),
    });
    expect(bogus.status).toBe(400);
    expect(bogus.body).toContain('<Code>InvalidArgument</Code>');
  });

  it('honours presigned GET and PUT URLs from the SDK’s presigner until X-Amz-Expires passes', async () => {
    const s3 = new S3Client({ ...t.clientConfig, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'presigned-bucket' }));
    const putUrl = await getSignedUrl(
      s3,
      new PutObjectCommand({ Bucket: 'presigned-bucket', Key: 'k.txt' }),
      {
        expiresIn: 60,
      },
    );
    const put = await fetch(putUrl, { method: 'PUT', body: 'presigned body' });
    expect(put.status).toBe(200);
    const getUrl = await getSignedUrl(
      s3,
      new GetObjectCommand({ Bucket: 'presigned-bucket', Key: 'k.txt' }),
      {
        expiresIn: 60,
      },
    );
    const got = await fetch(getUrl);
    expect(got.status).toBe(200);
    expect(await got.text()).toBe('presigned body');

    // Signed two minutes ago for one minute: expired.
    const expiredUrl = await getSignedUrl(
      s3,
      new GetObjectCommand({ Bucket: 'presigned-bucket', Key: 'k.txt' }),
      {
        expiresIn: 60,
        signingDate: new Date(Date.now() - 120_000),
      },
    );
    const expired = await fetch(expiredUrl);
    expect(expired.status).toBe(403);
    const text = await expired.text();
    expect(text).toContain('<Code>AccessDenied</Code>');
    expect(text).toContain('<Message>Request has expired</Message>');
    expect(text).toContain('<X-Amz-Expires>60</X-Amz-Expires>');
    const expiredPut = await getSignedUrl(
      s3,
      new PutObjectCommand({ Bucket: 'presigned-bucket', Key: 'k.txt' }),
      {
        expiresIn: 1,
        signingDate: new Date(Date.now() - 5_000),
      },
    );
    expect((await fetch(expiredPut, { method: 'PUT', body: 'late' })).status).toBe(403);
    // The object is unchanged.
    expect(await (await fetch(getUrl)).text()).toBe('presigned body');

    // Longer than a week is refused outright.
    const tooLong = new URL(getUrl);
    tooLong.searchParams.set('X-Amz-Expires', '604801');
    const week = await fetch(tooLong);
    expect(week.status).toBe(400);
    expect(await week.text()).toContain('X-Amz-Expires must be less than a week (in seconds) that is 604800');
  });
});

describe('signed aws-chunked trailers', () => {
  const signing = {
    seedSignature: '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
    amzDate: '20130524T000000Z',
    scope: '20130524/us-east-1/s3/aws4_request',
    signingKey: signingKey('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '20130524', 'us-east-1', 's3'),
    trailerSigned: true,
  };

  it('refuses a STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER body whose trailer signature is missing', () => {
    // Chunk signatures of AWS's published example (64 KiB + 1 KiB of 'a'), then a trailer left unsigned.
    const body = Buffer.concat([
      Buffer.from(
        '10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n',
      ),
      Buffer.alloc(65536, 'a'),
      Buffer.from(
        '\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n',
      ),
      Buffer.alloc(1024, 'a'),
      Buffer.from(
        '\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n',
      ),
      Buffer.from('x-amz-checksum-crc32:AAAAAA==\r\n\r\n'),
    ]);
    expect(() => decodeAwsChunked(body, signing)).toThrow(/signature/);
    expect(() => decodeAwsChunked(body, { ...signing, trailerSigned: false })).not.toThrow();
  });
});

describe('the clock a role session is judged by', () => {
  const errs = authErrors('logs');
  const at = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');
  const wall = Date.UTC(2026, 0, 1, 12);
  // The sandbox clock runs an hour ahead (time-scale); a handler signs somewhere in between.
  const clocks = { wallNow: () => wall, sandboxNow: () => wall + 3_600_000 };

  it('accepts a handler’s time between the wall and sandbox clocks, and refuses root there', () => {
    const handlerTime = wall + 1_800_000;
    expect(() => checkRequestSkew(at(handlerTime), handlerTime, 'role', clocks, errs)).not.toThrow();
    expect(() => checkRequestSkew(at(handlerTime), handlerTime, 'root', clocks, errs)).toThrow(
      /Signature not yet current/,
    );
  });

  it('still refuses a role session outside both clocks by more than 15 minutes', () => {
    const tooLate = wall + 3_600_000 + MAX_SKEW_MS + 1000;
    expect(() => checkRequestSkew(at(tooLate), tooLate, 'role', clocks, errs)).toThrow(/not yet current/);
    const tooEarly = wall - MAX_SKEW_MS - 1000;
    expect(() => checkRequestSkew(at(tooEarly), tooEarly, 'role', clocks, errs)).toThrow(/Signature expired/);
  });
});
