/**
 * S3 upload bodies are streamed, not buffered: a PutObject or UploadPart body goes to a temp file in
 * the state directory as it arrives, is verified on the way (chunk signatures, payload SHA-256,
 * Content-MD5, checksums) and refused as soon as a problem shows, and no temp file outlives a
 * failure or a dropped connection. Raw HTTP, so a test can send half a body and watch.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { errorOf } from '../../helpers/awsErrors.js';
import { signRequest } from '../platform/rawRequest.js';

const BUCKET = 'streamed-uploads';
let t: TestSandbox;
let s3: S3Client;

beforeAll(async () => {
  t = await startTestSandbox();
  s3 = new S3Client({ ...t.clientConfig, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(async () => {
  await t?.stop();
});

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const MiB = 1024 * 1024;

interface OpenUpload {
  req: http.ClientRequest;
  /** The final response (status and body), whenever it comes. */
  response: Promise<{ status: number; body: string }>;
  /** Whether the server sent `100 Continue`. */
  continued: () => boolean;
  /** The `Authorization` signature, which seeds aws-chunked chunk signatures. */
  seedSignature: string;
  amzDate: string;
}

/** Start a signed S3 PUT of `key` (in `bucket`); the caller writes (some of) the body. */
function openUpload(
  key: string,
  headers: Record<string, string>,
  opts: { payloadHash: string; contentLength?: number; bucket?: string },
): OpenUpload {
  const url = new URL(t.sandbox.endpoint);
  const target = `/${opts.bucket ?? BUCKET}/${key}`;
  const signed = signRequest({ method: 'PUT', path: target, headers }, url.host, {
    ...t.sandbox.credentials,
    service: 's3',
    payloadHash: opts.payloadHash,
  });
  const sent: Record<string, string> = { ...signed };
  if (opts.contentLength !== undefined) sent['content-length'] = String(opts.contentLength);
  let continued = false;
  const req = http.request({
    host: url.hostname,
    port: url.port,
    method: 'PUT',
    path: target,
    headers: sent,
    agent: false,
  });
  req.on('continue', () => (continued = true));
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
  // Tests that drop the connection never read the response; a rejection is then expected.
  response.catch(() => undefined);
  req.flushHeaders();
  return {
    req,
    response,
    continued: () => continued,
    seedSignature: /Signature=([0-9a-f]{64})/.exec(signed.authorization!)![1]!,
    amzDate: signed['x-amz-date']!,
  };
}

/** Poll until `check` holds (or fail after `ms`). */
async function eventually(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const incomingDir = (): string => path.join(t.stateDir, 's3', 'incoming');
function incomingFiles(): Array<{ name: string; size: number }> {
  try {
    return fs.readdirSync(incomingDir()).map((name) => ({
      name,
      size: fs.statSync(path.join(incomingDir(), name)).size,
    }));
  } catch {
    return [];
  }
}

async function absent(key: string): Promise<boolean> {
  const err = await errorOf(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })));
  return err.status === 404;
}

/** A signed aws-chunked chunk, chained from `previous` (AWS's STREAMING-AWS4-HMAC-SHA256-PAYLOAD). */
function signedChunk(data: Buffer, previous: string, amzDate: string): { frame: Buffer; signature: string } {
  const { secretAccessKey } = t.sandbox.credentials;
  const date = amzDate.slice(0, 8);
  const hmac = (k: string | Buffer, d: string): Buffer => createHmac('sha256', k).update(d).digest();
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), 'us-east-1'), 's3'), 'aws4_request');
  const toSign = [
    'AWS4-HMAC-SHA256-PAYLOAD',
    amzDate,
    `${date}/us-east-1/s3/aws4_request`,
    previous,
    sha256(''),
    sha256(data),
  ].join('\n');
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  const frame = Buffer.concat([
    Buffer.from(`${data.length.toString(16)};chunk-signature=${signature}\r\n`),
    data,
    Buffer.from('\r\n'),
  ]);
  return { frame, signature };
}

describe('streamed S3 uploads', () => {
  it('spool a large body to a temp file in the state directory as it arrives; a dropped connection leaves nothing', async () => {
    const up = openUpload('dropped.bin', {}, { payloadHash: 'UNSIGNED-PAYLOAD', contentLength: 8 * MiB });
    up.req.on('error', () => undefined);
    up.req.write(randomBytes(2 * MiB));
    // The bytes sent so far are on disk under s3/incoming/, not held in memory.
    await eventually(() => incomingFiles().some((f) => f.size >= MiB));
    up.req.destroy();
    await eventually(() => incomingFiles().length === 0);
    expect(await absent('dropped.bin')).toBe(true);
    // The sandbox still answers, and later uploads work.
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'after-drop', Body: 'ok' }));
  });

  it('refuse a bad chunk signature when that chunk ends, before the rest of the upload is sent', async () => {
    const chunk = randomBytes(64 * 1024);
    const declared = 4 * MiB;
    const up = openUpload(
      'bad-chunk.bin',
      { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(declared) },
      { payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', contentLength: declared + 64 * 90 },
    );
    up.req.on('error', () => undefined);
    const good = signedChunk(chunk, up.seedSignature, up.amzDate);
    up.req.write(good.frame);
    // The second chunk is signed as if it followed another chunk: its signature cannot match.
    up.req.write(signedChunk(chunk, '0'.repeat(64), up.amzDate).frame);
    const res = await up.response; // only 128 KiB of 4 MiB were sent
    expect(res.status).toBe(403);
    expect(res.body).toContain('<Code>SignatureDoesNotMatch</Code>');
    up.req.destroy();
    await eventually(() => incomingFiles().length === 0);
    expect(await absent('bad-chunk.bin')).toBe(true);
  });

  it('store a signed aws-chunked upload of several chunks byte-exact', async () => {
    const chunks = [randomBytes(100_000), randomBytes(100_000), randomBytes(12_345)];
    const whole = Buffer.concat(chunks);
    const up = openUpload(
      'chained.bin',
      { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(whole.length) },
      { payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' },
    );
    let previous = up.seedSignature;
    const frames: Buffer[] = [];
    for (const c of [...chunks, Buffer.alloc(0)]) {
      const s = signedChunk(c, previous, up.amzDate);
      frames.push(c.length === 0 ? s.frame.subarray(0, s.frame.length - 2) : s.frame);
      previous = s.signature;
    }
    frames.push(Buffer.from('\r\n'));
    // Sent in pieces that cut through chunk headers, data and CRLFs alike.
    const body = Buffer.concat(frames);
    for (let at = 0; at < body.length; at += 7777) up.req.write(body.subarray(at, at + 7777));
    up.req.end();
    const res = await up.response;
    expect(res.status).toBe(200);
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'chained.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(whole)).toBe(true);
    expect(got.ETag).toBe(`"${createHash('md5').update(whole).digest('hex')}"`);
  });

  it('refuse a large body that is not the one signed or described, storing and leaving nothing', async () => {
    const body = randomBytes(3 * MiB);
    const cases: Array<{ headers: Record<string, string>; payloadHash: string; code: string }> = [
      { headers: {}, payloadHash: sha256('something else'), code: 'XAmzContentSHA256Mismatch' },
      {
        headers: { 'content-md5': createHash('md5').update('something else').digest('base64') },
        payloadHash: 'UNSIGNED-PAYLOAD',
        code: 'BadDigest',
      },
      { headers: { 'x-amz-checksum-crc32': 'AAAAAA==' }, payloadHash: 'UNSIGNED-PAYLOAD', code: 'BadDigest' },
    ];
    for (const c of cases) {
      const up = openUpload('refused.bin', c.headers, {
        payloadHash: c.payloadHash,
        contentLength: body.length,
      });
      up.req.end(body);
      const res = await up.response;
      expect(res.status, c.code).toBe(400);
      expect(res.body).toContain(`<Code>${c.code}</Code>`);
      expect(incomingFiles()).toEqual([]);
      expect(await absent('refused.bin')).toBe(true);
    }
  });

  it('verify a trailing checksum that x-amz-trailer did not announce', async () => {
    const data = randomBytes(300_000);
    const sha1 = createHash('sha1').update(data).digest('base64');
    const send = async (checksum: string) => {
      const up = openUpload(
        'trailer.bin',
        { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(data.length) },
        { payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' },
      );
      up.req.end(
        Buffer.concat([
          Buffer.from(`${data.length.toString(16)}\r\n`),
          data,
          Buffer.from(`\r\n0\r\nx-amz-checksum-sha1:${checksum}\r\n\r\n`),
        ]),
      );
      return up.response;
    };
    const wrong = await send(createHash('sha1').update('other').digest('base64'));
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain('The SHA1 you specified did not match the calculated checksum.');
    expect(await absent('trailer.bin')).toBe(true);
    const right = await send(sha1);
    expect(right.status).toBe(200);
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: BUCKET, Key: 'trailer.bin', ChecksumMode: 'ENABLED' }),
    );
    expect(head.ChecksumSHA1).toBe(sha1);
    expect(incomingFiles()).toEqual([]);
  });

  it('refuse an upload over 5 GiB from its declared size, with EntityTooLarge', async () => {
    const over = 5 * 1024 * MiB + 1;
    const plain = openUpload('huge.bin', {}, { payloadHash: 'UNSIGNED-PAYLOAD', contentLength: over });
    plain.req.on('error', () => undefined);
    const chunked = openUpload(
      'huge-chunked.bin',
      {
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': String(over),
        'transfer-encoding': 'chunked',
      },
      { payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' },
    );
    chunked.req.on('error', () => undefined);
    for (const up of [plain, chunked]) {
      const res = await up.response; // no body byte was sent
      expect(res.status).toBe(400);
      expect(res.body).toContain('<Code>EntityTooLarge</Code>');
      expect(res.body).toContain('<MaxSizeAllowed>5368709120</MaxSizeAllowed>');
      up.req.destroy();
    }
  });

  it('ask for the body (100 Continue) only when the upload is wanted', async () => {
    const refused = openUpload(
      'k',
      { expect: '100-continue' },
      { payloadHash: 'UNSIGNED-PAYLOAD', contentLength: 10 * MiB, bucket: 'missing-bucket-x' },
    );
    const res = await refused.response;
    expect(res.status).toBe(404);
    expect(res.body).toContain('<Code>NoSuchBucket</Code>');
    expect(refused.continued()).toBe(false);
    refused.req.destroy();

    const data = randomBytes(3 * MiB);
    const wanted = openUpload(
      'wanted.bin',
      { expect: '100-continue' },
      { payloadHash: 'UNSIGNED-PAYLOAD', contentLength: data.length },
    );
    await eventually(wanted.continued);
    wanted.req.end(data);
    expect((await wanted.response).status).toBe(200);
  });

  it('answer NoSuchBucket, keeping nothing, when the bucket is deleted while the body arrives', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'short-lived' }));
    const up = openUpload(
      'k',
      {},
      { payloadHash: 'UNSIGNED-PAYLOAD', contentLength: 2 * MiB, bucket: 'short-lived' },
    );
    up.req.write(randomBytes(MiB));
    await eventually(() => incomingFiles().length > 0);
    await s3.send(new DeleteBucketCommand({ Bucket: 'short-lived' }));
    up.req.end(randomBytes(MiB));
    const res = await up.response;
    expect(res.status).toBe(404);
    expect(res.body).toContain('<Code>NoSuchBucket</Code>');
    expect(incomingFiles()).toEqual([]);
  });
});

it('a temp file left by a sandbox that was killed mid-upload is removed at the next start', async () => {
  const own = await startTestSandbox();
  try {
    const dir = path.join(own.stateDir, 's3', 'incoming');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'a1b2c3'), randomBytes(1000));
    await own.restart();
    expect(fs.existsSync(dir) ? fs.readdirSync(dir) : []).toEqual([]);
  } finally {
    await own.stop();
  }
});
