/** Malformed and odd S3 requests get AWS-shaped 4xx/5xx answers, never a crash or InternalFailure. */
import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expectedSignature } from '../../../src/sandbox/sigv4.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
  const s3 = new S3Client({ ...t.clientConfig });
  await s3.send(new CreateBucketCommand({ Bucket: 'fuzz-bucket' }));
  await s3.send(new PutObjectCommand({ Bucket: 'fuzz-bucket', Key: 'k', Body: 'data' }));
});
afterAll(async () => {
  await t?.stop();
});

function send(
  method: string,
  rawPath: string,
  rawQuery: string,
  extra: Record<string, string>,
  body: Buffer,
) {
  const url = new URL(t.sandbox.endpoint);
  const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const headers: Record<string, string> = {
    host: url.host,
    'x-amz-date': amzDate,
    'x-amz-content-sha256': extra['x-amz-content-sha256'] ?? createHash('sha256').update(body).digest('hex'),
    ...extra,
  };
  const { accessKeyId, secretAccessKey } = t.clientConfig.credentials;
  const scope = { accessKeyId, date: amzDate.slice(0, 8), region: 'us-east-1', service: 's3' };
  const signedHeaders = Object.keys(headers).sort();
  const signature = expectedSignature(
    { method, rawPath, rawQuery, headers, body },
    { scope, signedHeaders, signature: '', amzDate, presigned: false },
    secretAccessKey,
  );
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope.date}/us-east-1/s3/aws4_request, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: rawQuery ? `${rawPath}?${rawQuery}` : rawPath,
        headers: { ...headers, 'content-length': String(body.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'PATCH'];
const PATHS = [
  '/',
  '/fuzz-bucket',
  '/fuzz-bucket/',
  '/fuzz-bucket/k',
  '/fuzz-bucket/a%2Fb',
  '/Bad_Bucket/x',
  '/fuzz-bucket/%E0%A4%A',
];
const QUERIES = [
  '',
  'tagging',
  'delete',
  'notification',
  'list-type=2&max-keys=-1',
  'list-type=2&continuation-token=%%%',
  'uploads',
  'uploadId=nope&partNumber=0',
  'uploadId=nope',
  'location',
  'acl',
  'list-type=2&encoding-type=bogus',
];
const HEADER_SETS: Array<Record<string, string>> = [
  {},
  { 'content-md5': 'not-base64' },
  { 'x-amz-copy-source': '' },
  { 'x-amz-copy-source': 'fuzz-bucket' },
  { 'x-amz-copy-source': '%ZZ/%ZZ' },
  { range: 'bytes=9-1' },
  { range: 'bytes=-0' },
  { 'content-encoding': 'aws-chunked', 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' },
  { 'x-amz-checksum-crc32': '!!!' },
  { 'x-amz-tagging': 'a=1&a=2' },
  { 'x-amz-metadata-directive': 'MOVE', 'x-amz-copy-source': 'fuzz-bucket/k' },
];
const BODIES = [
  Buffer.alloc(0),
  Buffer.from('<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>'),
  Buffer.from('<Delete><Object></Object></Delete>'),
  Buffer.from('ff\r\nshort'),
  Buffer.from(
    '<?xml version="1.0"?><NotificationConfiguration><QueueConfiguration/></NotificationConfiguration>',
  ),
];

it(
  'answers a few hundred odd requests without InternalFailure and stays healthy',
  { timeout: 120_000 },
  async () => {
    let seed = 7;
    const pick = <T>(xs: T[]): T => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return xs[(seed >>> 12) % xs.length]!;
    };
    for (let i = 0; i < 300; i++) {
      const body = i % 10 === 0 ? randomBytes(64) : pick(BODIES);
      const res = await send(pick(METHODS), pick(PATHS), pick(QUERIES), pick(HEADER_SETS), body);
      expect(res.status, `request ${i}: ${res.body}`).toBeGreaterThanOrEqual(200);
      expect(res.body).not.toContain('InternalFailure');
      expect(res.body).not.toContain('InternalError');
    }
    // (The fuzz may well have deleted the bucket; the service itself must still answer.)
    const ok = await send('GET', '/', '', {}, Buffer.alloc(0));
    expect(ok.status).toBe(200);
  },
);
