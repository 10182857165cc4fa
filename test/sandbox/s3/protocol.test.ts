/**
 * restXml / S3 wire details: checksums, aws-chunked decoding (AWS's published signed-chunk example),
 * XML error bodies, malformed input, virtual-hosted addressing.
 */
import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AwsChunkedDecoder, decodeAwsChunked } from '../../../src/sandbox/s3/awsChunked.js';
import {
  CHECKSUM_ALGORITHMS,
  checksumBase64,
  createChecksum,
  crc32,
  crc32c,
  crc64nvme,
} from '../../../src/sandbox/s3/checksums.js';
import { expectedSignature, signingKey } from '../../../src/sandbox/sigv4.js';
import { escapeXml, parseXml } from '../../../src/sandbox/protocols/xml.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';

describe('checksums', () => {
  it('match the standard check values for "123456789"', () => {
    const data = Buffer.from('123456789');
    expect(crc32(data)).toBe(0xcbf43926);
    expect(crc32c(data)).toBe(0xe3069283);
    expect(crc64nvme(data)).toBe(0xae8b14860a799888n);
    expect(checksumBase64('SHA256', data)).toBe(createHash('sha256').update(data).digest('base64'));
    expect(checksumBase64('CRC32', Buffer.from('hello'))).toBe('NhCmhg==');
  });

  it('give the same digest fed in pieces as fed whole', () => {
    const data = randomBytes(100_003);
    for (const algorithm of CHECKSUM_ALGORITHMS) {
      const whole = checksumBase64(algorithm, data);
      const h = createChecksum(algorithm);
      for (let at = 0; at < data.length; at += 4099) h.update(data.subarray(at, at + 4099));
      expect(h.digestBase64(), algorithm).toBe(whole);
    }
    // CRC-64/NVME of a known input, through the split-register table.
    expect(checksumBase64('CRC64NVME', Buffer.from('123456789'))).toBe(
      Buffer.from('ae8b14860a799888', 'hex').toString('base64'),
    );
  });
});

describe('aws-chunked decoding', () => {
  it('decodes unsigned chunks with a trailing checksum', () => {
    const body = Buffer.from(
      '5\r\nhello\r\n3\r\n\r\n!\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n',
      'latin1',
    );
    const out = decodeAwsChunked(body);
    expect(out.data.toString('latin1')).toBe('hello\r\n!');
    expect(out.trailers.get('x-amz-checksum-crc32')).toBe('AAAAAA==');
  });

  it('rejects truncated framing', () => {
    expect(() => decodeAwsChunked(Buffer.from('10\r\nshort'))).toThrow(/Content-Length/);
    expect(() => decodeAwsChunked(Buffer.from('zz\r\n'))).toThrow();
  });

  // The example in AWS's "Signature Calculations for the Authorization Header: Transferring Payload
  // in Multiple Chunks" (65 KiB of 'a' in a 64 KiB and a 1 KiB chunk).
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const signing = {
    seedSignature: '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
    amzDate: '20130524T000000Z',
    scope: '20130524/us-east-1/s3/aws4_request',
    signingKey: signingKey(secret, '20130524', 'us-east-1', 's3'),
  };
  const frame = (sigs: [string, string, string]): Buffer =>
    Buffer.concat([
      Buffer.from(`10000;chunk-signature=${sigs[0]}\r\n`),
      Buffer.alloc(65536, 'a'),
      Buffer.from(`\r\n400;chunk-signature=${sigs[1]}\r\n`),
      Buffer.alloc(1024, 'a'),
      Buffer.from(`\r\n0;chunk-signature=${sigs[2]}\r\n\r\n`),
    ]);
  const good: [string, string, string] = [
    'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
    '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
    'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
  ];

  it('verifies the chained chunk signatures of AWS’s example', () => {
    const out = decodeAwsChunked(frame(good), signing);
    expect(out.data.length).toBe(66560);
  });

  it('decodes and verifies the same whatever pieces the body arrives in', () => {
    const body = frame(good);
    for (const size of [1, 2, 3, 85, 86, 87, 4096, 65_537]) {
      const decoder = new AwsChunkedDecoder(signing);
      const out: Buffer[] = [];
      for (let at = 0; at < body.length; at += size) out.push(...decoder.write(body.subarray(at, at + size)));
      decoder.end();
      expect(Buffer.concat(out).equals(Buffer.alloc(66560, 'a')), `pieces of ${size}`).toBe(true);
    }
    // Ending inside a chunk, or before its CRLF, is an incomplete body.
    for (const cut of [10, 100, 65_600, body.length - 90]) {
      const decoder = new AwsChunkedDecoder(signing);
      decoder.write(body.subarray(0, cut));
      expect(() => decoder.end()).toThrow(/Content-Length/);
    }
  });

  it('refuses a chunk header line that never ends', () => {
    const decoder = new AwsChunkedDecoder();
    expect(() => decoder.write(Buffer.alloc(10_000, '1'))).toThrow(/Content-Length/);
  });

  it('refuses a tampered chunk signature', () => {
    const bad: [string, string, string] = [good[0], good[1].replace(/^00/, '11'), good[2]];
    expect(() => decodeAwsChunked(frame(bad), signing)).toThrow(/signature/);
  });
});

describe('xml', () => {
  it('escapes markup and control characters and parses them back', () => {
    const text = 'a & b <c> "d" \'e\'\r\nf\tg';
    const doc = `<R><V>${escapeXml(text)}</V></R>`;
    expect(parseXml(doc)).toEqual({ root: 'R', value: { V: text } });
  });
});

describe('over the wire', () => {
  let t: TestSandbox;

  beforeAll(async () => {
    t = await startTestSandbox();
    const s3 = new S3Client({ ...t.clientConfig });
    await s3.send(new CreateBucketCommand({ Bucket: 'wire-bucket' }));
  });
  afterAll(async () => {
    await t?.stop();
  });

  async function raw(
    method: string,
    path: string,
    query: Record<string, string> = {},
    body = '',
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
    // Signed by hand (the SDK will not send these malformed requests); SigV4 itself is tested elsewhere.
    const url = new URL(t.sandbox.endpoint);
    const rawQuery = new URLSearchParams(query).toString();
    const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
    const headers: Record<string, string> = {
      host: url.host,
      'x-amz-date': amzDate,
      'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
    };
    const { accessKeyId, secretAccessKey } = t.clientConfig.credentials;
    const scope = { accessKeyId, date: amzDate.slice(0, 8), region: 'us-east-1', service: 's3' };
    const signedHeaders = ['host', 'x-amz-content-sha256', 'x-amz-date'];
    const signature = expectedSignature(
      { method, rawPath: path, rawQuery, headers, body: Buffer.from(body) },
      { scope, signedHeaders, signature: '', amzDate, presigned: false },
      secretAccessKey,
    );
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope.date}/us-east-1/s3/aws4_request, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
    const qs = rawQuery;
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: url.hostname, port: url.port, method, path: qs ? `${path}?${qs}` : path, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString(),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it('shapes errors as <Error> with Code, Message, extra members and RequestId', async () => {
    const res = await raw('GET', '/wire-bucket/missing-key');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/xml');
    const { root, value } = parseXml(res.body);
    expect(root).toBe('Error');
    expect(value).toMatchObject({
      Code: 'NoSuchKey',
      Message: 'The specified key does not exist.',
      Key: 'missing-key',
      RequestId: res.headers['x-amz-request-id'],
    });
  });

  it('HEAD errors carry no body', async () => {
    const res = await raw('HEAD', '/wire-bucket/missing-key');
    expect(res.status).toBe(404);
    expect(res.body).toBe('');
  });

  it('answers malformed XML with MalformedXML and unknown sub-resources with NotImplemented', async () => {
    const tagging = await raw('PUT', '/wire-bucket', { tagging: '' }, '<Tagging><TagSet><Tag>');
    expect(tagging.status).toBe(400);
    expect(tagging.body).toContain('<Code>MalformedXML</Code>');
    const wrongRoot = await raw('PUT', '/wire-bucket', { tagging: '' }, '<Other/>');
    expect(wrongRoot.body).toContain('<Code>MalformedXML</Code>');
    const cors = await raw('GET', '/wire-bucket', { cors: '' });
    expect(cors.status).toBe(501);
    expect(cors.body).toContain('<Code>NotImplemented</Code>');
    const post = await raw('POST', '/wire-bucket/key');
    expect(post.status).toBe(501);
  });

  it('supports virtual-hosted addressing (<bucket>.localhost)', async () => {
    // Resolve every name to loopback so `wire-bucket.localhost` reaches the sandbox.
    const agent = new http.Agent({
      lookup: (_host, opts, cb) => {
        if ((opts as { all?: boolean }).all)
          (cb as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [
            { address: '127.0.0.1', family: 4 },
          ]);
        else cb(null, '127.0.0.1', 4);
      },
    });
    const port = new URL(t.sandbox.endpoint).port;
    const hosted = new S3Client({
      ...t.clientConfig,
      endpoint: `http://localhost:${port}`,
      forcePathStyle: false,
      requestHandler: { httpAgent: agent },
    });
    let host = '';
    hosted.middlewareStack.add(
      (next) => async (args) => {
        host = String((args.request as { hostname?: string }).hostname);
        return next(args);
      },
      { step: 'finalizeRequest' },
    );
    await hosted.send(new PutObjectCommand({ Bucket: 'wire-bucket', Key: 'dir/hosted.txt', Body: 'vhost' }));
    expect(host).toBe('wire-bucket.localhost');
    const pathStyle = new S3Client({ ...t.clientConfig });
    const got = await pathStyle.send(new GetObjectCommand({ Bucket: 'wire-bucket', Key: 'dir/hosted.txt' }));
    expect(await got.Body!.transformToString()).toBe('vhost');
  });
});
