/** S3 object operations through the real SDK v3 client against an embedded sandbox. */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { sandboxWithBucket } from './bucketSandbox.js';
import { thrownBy } from '../../helpers/awsErrors.js';

const awsError = (p: Promise<unknown>) => thrownBy(p, S3ServiceException);

const BUCKET = 'objects-bucket';
const env = sandboxWithBucket(BUCKET);

async function getBytes(key: string, extra: { Range?: string } = {}): Promise<Buffer> {
  const out = await env.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, ...extra }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

const md5Hex = (data: Buffer | string): string => createHash('md5').update(data).digest('hex');

describe('PutObject / GetObject / HeadObject', () => {
  it('round-trips binary data byte-exact with an MD5 ETag', async () => {
    const data = Buffer.concat([randomBytes(70_000), Buffer.from([0, 13, 10, 255, 0])]);
    const put = await env.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'bin/data.bin', Body: data }));
    expect(put.ETag).toBe(`"${md5Hex(data)}"`);
    expect(put.ServerSideEncryption).toBe('AES256');
    const got = await getBytes('bin/data.bin');
    expect(got.equals(data)).toBe(true);
  });

  it('decodes a streamed (aws-chunked, trailing CRC32) body to the exact bytes', async () => {
    const parts = [randomBytes(100_000), randomBytes(70_000), Buffer.from('tail\r\n0\r\n')];
    const whole = Buffer.concat(parts);
    const put = await env.s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'streamed.bin',
        Body: Readable.from(parts),
        ContentLength: whole.length,
      }),
    );
    expect(put.ETag).toBe(`"${md5Hex(whole)}"`);
    expect(put.ChecksumCRC32).toBeTruthy();
    expect((await getBytes('streamed.bin')).equals(whole)).toBe(true);
    const head = await env.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'streamed.bin' }));
    expect(head.ContentLength).toBe(whole.length);
    // Stored data carries no trace of the aws-chunked framing.
    expect(head.ContentEncoding).toBeUndefined();
  });

  it('stores and returns content type, user metadata and representation headers', async () => {
    await env.s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'meta.json',
        Body: '{"a":1}',
        ContentType: 'application/json',
        Metadata: { author: 'Ada', 'run-id': '42' },
        CacheControl: 'max-age=60',
        ContentDisposition: 'attachment; filename="m.json"',
        Tagging: 'stage=raw&team=data',
      }),
    );
    const head = await env.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'meta.json' }));
    expect(head.ContentType).toBe('application/json');
    expect(head.Metadata).toEqual({ author: 'Ada', 'run-id': '42' });
    expect(head.CacheControl).toBe('max-age=60');
    expect(head.ContentDisposition).toBe('attachment; filename="m.json"');
    expect(head.ContentLength).toBe(7);
    expect(head.ETag).toBe(`"${md5Hex('{"a":1}')}"`);
    expect(head.LastModified).toBeInstanceOf(Date);
    expect(head.AcceptRanges).toBe('bytes');
    const tags = await env.s3.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: 'meta.json' }));
    expect(tags.TagSet).toEqual([
      { Key: 'stage', Value: 'raw' },
      { Key: 'team', Value: 'data' },
    ]);
    const get = await env.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'meta.json' }));
    expect(get.TagCount).toBe(2);
    expect(await get.Body!.transformToString()).toBe('{"a":1}');
  });

  it('defaults the content type and handles keys with spaces, unicode and plus signs', async () => {
    const key = 'odd keys/ä ö+plus&amp=?#hash.txt';
    await env.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Buffer.from('x') }));
    const head = await env.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(head.ContentLength).toBe(1);
    const list = await env.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'odd keys/' }));
    expect(list.Contents?.map((c) => c.Key)).toEqual([key]);
  });

  it('checks Content-MD5: BadDigest on mismatch, InvalidDigest when malformed', async () => {
    const bad = await awsError(
      env.s3.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: 'md5.txt',
          Body: 'hello',
          ContentMD5: createHash('md5').update('other').digest('base64'),
        }),
      ),
    );
    expect(bad.name).toBe('BadDigest');
    const malformed = await awsError(
      env.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'md5.txt', Body: 'hello', ContentMD5: 'abc' })),
    );
    expect(malformed.name).toBe('InvalidDigest');
    const ok = await env.s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'md5.txt',
        Body: 'hello',
        ContentMD5: createHash('md5').update('hello').digest('base64'),
      }),
    );
    expect(ok.ETag).toBe(`"${md5Hex('hello')}"`);
  });

  it('rejects a wrong x-amz-checksum value with BadDigest', async () => {
    const err = await awsError(
      env.s3.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: 'crc.txt', Body: 'hello', ChecksumCRC32: 'AAAAAA==' }),
      ),
    );
    expect(err.name).toBe('BadDigest');
    await env.s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'crc.txt', Body: 'hello', ChecksumAlgorithm: 'SHA256' }),
    );
    const head = await env.s3.send(
      new HeadObjectCommand({ Bucket: BUCKET, Key: 'crc.txt', ChecksumMode: 'ENABLED' }),
    );
    expect(head.ChecksumSHA256).toBe(createHash('sha256').update('hello').digest('base64'));
  });

  it('NoSuchKey for GetObject, bodiless 404 for HeadObject, NoSuchBucket for a missing bucket', async () => {
    const get = await awsError(env.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'nope' })));
    expect(get.name).toBe('NoSuchKey');
    expect(get.$metadata.httpStatusCode).toBe(404);
    const head = await awsError(env.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'nope' })));
    expect(head.name).toBe('NotFound');
    const bucket = await awsError(
      env.s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket-here', Key: 'k' })),
    );
    expect(bucket.name).toBe('NoSuchBucket');
    const put = await awsError(
      env.s3.send(new PutObjectCommand({ Bucket: 'no-such-bucket-here', Key: 'k', Body: 'x' })),
    );
    expect(put.name).toBe('NoSuchBucket');
  });
});

describe('ranges and conditions', () => {
  const data = Buffer.from('0123456789abcdefghij');
  beforeAll(async () => {
    await env.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'range.txt', Body: data }));
  });

  it('serves byte ranges with 206 and Content-Range', async () => {
    const out = await env.s3.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'range.txt', Range: 'bytes=2-5' }),
    );
    expect(out.$metadata.httpStatusCode).toBe(206);
    expect(out.ContentRange).toBe('bytes 2-5/20');
    expect(out.ContentLength).toBe(4);
    expect(await out.Body!.transformToString()).toBe('2345');
    expect((await getBytes('range.txt', { Range: 'bytes=15-' })).toString()).toBe('fghij');
    expect((await getBytes('range.txt', { Range: 'bytes=-3' })).toString()).toBe('hij');
    expect((await getBytes('range.txt', { Range: 'bytes=18-100' })).toString()).toBe('ij');
  });

  it('answers an unsatisfiable range with 416 InvalidRange', async () => {
    const err = await awsError(
      env.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'range.txt', Range: 'bytes=20-' })),
    );
    expect(err.name).toBe('InvalidRange');
    expect(err.$metadata.httpStatusCode).toBe(416);
  });

  it('honours If-Match and If-None-Match', async () => {
    const etag = `"${md5Hex(data)}"`;
    const failed = await awsError(
      env.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'range.txt', IfMatch: '"0000"' })),
    );
    expect(failed.$metadata.httpStatusCode).toBe(412);
    expect(failed.name).toBe('PreconditionFailed');
    const ok = await env.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'range.txt', IfMatch: etag }));
    expect(await ok.Body!.transformToString()).toBe(data.toString());
    const notModified = await awsError(
      env.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'range.txt', IfNoneMatch: etag })),
    );
    expect(notModified.$metadata.httpStatusCode).toBe(304);
    const exists = await awsError(
      env.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'range.txt', Body: 'x', IfNoneMatch: '*' })),
    );
    expect(exists.$metadata.httpStatusCode).toBe(412);
  });
});

describe('CopyObject', () => {
  it('copies data and metadata, or replaces metadata with REPLACE', async () => {
    await env.s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'src.txt',
        Body: 'copy me',
        ContentType: 'text/plain',
        Metadata: { origin: 'src' },
      }),
    );
    const copy = await env.s3.send(
      new CopyObjectCommand({ Bucket: BUCKET, Key: 'dst/copy.txt', CopySource: `${BUCKET}/src.txt` }),
    );
    expect(copy.CopyObjectResult?.ETag).toBe(`"${md5Hex('copy me')}"`);
    expect(copy.CopyObjectResult?.LastModified).toBeInstanceOf(Date);
    const head = await env.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'dst/copy.txt' }));
    expect(head.Metadata).toEqual({ origin: 'src' });
    expect(head.ContentType).toBe('text/plain');
    await env.s3.send(
      new CopyObjectCommand({
        Bucket: BUCKET,
        Key: 'src.txt',
        CopySource: `/${BUCKET}/src.txt`,
        MetadataDirective: 'REPLACE',
        Metadata: { origin: 'replaced' },
        ContentType: 'text/markdown',
      }),
    );
    const replaced = await env.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'src.txt' }));
    expect(replaced.Metadata).toEqual({ origin: 'replaced' });
    expect(replaced.ContentType).toBe('text/markdown');
    expect((await getBytes('src.txt')).toString()).toBe('copy me');
  });

  it('copies keys that need URL encoding', async () => {
    const key = 'dir with space/ü+1.txt';
    await env.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'enc' }));
    await env.s3.send(
      new CopyObjectCommand({
        Bucket: BUCKET,
        Key: 'enc-copy.txt',
        CopySource: encodeURI(`${BUCKET}/${key}`).replace(/\+/g, '%2B'),
      }),
    );
    expect((await getBytes('enc-copy.txt')).toString()).toBe('enc');
  });

  it('refuses copying onto itself without changes, and missing sources', async () => {
    const self = await awsError(
      env.s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'src.txt', CopySource: `${BUCKET}/src.txt` })),
    );
    expect(self.name).toBe('InvalidRequest');
    const missing = await awsError(
      env.s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'x', CopySource: `${BUCKET}/not-there` })),
    );
    expect(missing.name).toBe('NoSuchKey');
    const noBucket = await awsError(
      env.s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'x', CopySource: 'no-such-source-bucket/k' })),
    );
    expect(noBucket.name).toBe('NoSuchBucket');
  });
});

describe('DeleteObject / DeleteObjects', () => {
  it('DeleteObject answers 204 whether or not the key existed', async () => {
    await env.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'doomed.txt', Body: 'x' }));
    expect(
      (await env.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'doomed.txt' }))).$metadata
        .httpStatusCode,
    ).toBe(204);
    expect(
      (await env.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'doomed.txt' }))).$metadata
        .httpStatusCode,
    ).toBe(204);
    const gone = await awsError(env.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'doomed.txt' })));
    expect(gone.name).toBe('NoSuchKey');
  });

  it('DeleteObjects reports each key, or nothing when Quiet', async () => {
    for (const k of ['batch/a', 'batch/b', 'batch/c']) {
      await env.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: k, Body: k }));
    }
    const out = await env.s3.send(
      new DeleteObjectsCommand({
        Bucket: BUCKET,
        Delete: { Objects: [{ Key: 'batch/a' }, { Key: 'batch/b' }, { Key: 'batch/never' }] },
      }),
    );
    expect(out.Deleted?.map((d) => d.Key).sort()).toEqual(['batch/a', 'batch/b', 'batch/never']);
    expect(out.Errors).toBeUndefined();
    const quiet = await env.s3.send(
      new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: 'batch/c' }], Quiet: true } }),
    );
    expect(quiet.Deleted).toBeUndefined();
    const left = await env.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'batch/' }));
    expect(left.KeyCount).toBe(0);
  });
});

describe('persistence', () => {
  it('objects and their metadata survive a restart byte-exact', async () => {
    const data = randomBytes(5000);
    await env.s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'durable/obj.bin', Body: data, Metadata: { k: 'v' } }),
    );
    await env.restart();
    expect((await getBytes('durable/obj.bin')).equals(data)).toBe(true);
    const head = await env.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'durable/obj.bin' }));
    expect(head.Metadata).toEqual({ k: 'v' });
    expect(head.ETag).toBe(`"${md5Hex(data)}"`);
    await env.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'durable/obj.bin' }));
    await env.restart();
    expect(
      (await awsError(env.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'durable/obj.bin' })))).name,
    ).toBe('NotFound');
  });

  it('overwritten and deleted objects leave no stray blobs behind', async () => {
    await env.s3.send(new CreateBucketCommand({ Bucket: 'blob-accounting' }));
    await env.s3.send(new PutObjectCommand({ Bucket: 'blob-accounting', Key: 'k', Body: 'one' }));
    await env.s3.send(new PutObjectCommand({ Bucket: 'blob-accounting', Key: 'k', Body: 'two' }));
    await env.s3.send(new PutObjectCommand({ Bucket: 'blob-accounting', Key: 'gone', Body: 'x' }));
    await env.s3.send(new DeleteObjectCommand({ Bucket: 'blob-accounting', Key: 'gone' }));
    await env.restart();
    const doc = JSON.parse(
      fs.readFileSync(path.join(env.sandbox.stateDir, 's3', 'buckets.json'), 'utf8'),
    ) as {
      buckets: Record<string, { id: string }>;
    };
    const blobs = fs.readdirSync(
      path.join(env.sandbox.stateDir, 's3', 'blobs', doc.buckets['blob-accounting']!.id),
    );
    expect(blobs).toHaveLength(1);
    expect((await env.s3.send(new GetObjectCommand({ Bucket: 'blob-accounting', Key: 'k' }))).ETag).toBe(
      `"${md5Hex('two')}"`,
    );
  });
});
