/** Multipart uploads through the SDK: complete, ordering and size rules, abort. */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { sandboxWithBucket } from './bucketSandbox.js';
import { thrownBy } from '../../helpers/awsErrors.js';

const awsError = (p: Promise<unknown>) => thrownBy(p, S3ServiceException);

const BUCKET = 'multipart-bucket';
const env = sandboxWithBucket(BUCKET);

async function start(Key: string): Promise<string> {
  const out = await env.s3.send(
    new CreateMultipartUploadCommand({ Bucket: BUCKET, Key, ContentType: 'text/csv', Metadata: { m: '1' } }),
  );
  expect(out.UploadId).toBeTruthy();
  return out.UploadId!;
}

async function part(Key: string, UploadId: string, PartNumber: number, Body: Buffer): Promise<string> {
  const out = await env.s3.send(new UploadPartCommand({ Bucket: BUCKET, Key, UploadId, PartNumber, Body }));
  return out.ETag!;
}

describe('multipart upload', () => {
  it('assembles parts in order with the multipart ETag and the initiate-time metadata', async () => {
    const id = await start('big.csv');
    const p1 = randomBytes(5 * 1024 * 1024);
    const p2 = randomBytes(1234);
    const e2 = await part('big.csv', id, 2, p2);
    const e1 = await part('big.csv', id, 1, p1);
    const done = await env.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: 'big.csv',
        UploadId: id,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: e1 },
            { PartNumber: 2, ETag: e2 },
          ],
        },
      }),
    );
    const md5 = (b: Buffer) => createHash('md5').update(b).digest();
    const expected = `"${createHash('md5')
      .update(Buffer.concat([md5(p1), md5(p2)]))
      .digest('hex')}-2"`;
    expect(done.ETag).toBe(expected);
    expect(done.Key).toBe('big.csv');
    const got = await env.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'big.csv' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat([p1, p2]))).toBe(true);
    const head = await env.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'big.csv' }));
    expect(head.ContentType).toBe('text/csv');
    expect(head.Metadata).toEqual({ m: '1' });
    // Completed uploads are gone.
    const again = await awsError(
      env.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: BUCKET,
          Key: 'big.csv',
          UploadId: id,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: e1 }] },
        }),
      ),
    );
    expect(again.name).toBe('NoSuchUpload');
  });

  it('rejects small non-final parts, wrong ETags and out-of-order lists', async () => {
    const id = await start('rules.bin');
    const e1 = await part('rules.bin', id, 1, Buffer.from('small'));
    const e2 = await part('rules.bin', id, 2, Buffer.from('tail'));
    const complete = (Parts: Array<{ PartNumber: number; ETag: string }>) =>
      env.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: BUCKET,
          Key: 'rules.bin',
          UploadId: id,
          MultipartUpload: { Parts },
        }),
      );
    expect(
      (
        await awsError(
          complete([
            { PartNumber: 1, ETag: e1 },
            { PartNumber: 2, ETag: e2 },
          ]),
        )
      ).name,
    ).toBe('EntityTooSmall');
    expect((await awsError(complete([{ PartNumber: 1, ETag: '"00"' }]))).name).toBe('InvalidPart');
    expect(
      (
        await awsError(
          complete([
            { PartNumber: 2, ETag: e2 },
            { PartNumber: 1, ETag: e1 },
          ]),
        )
      ).name,
    ).toBe('InvalidPartOrder');
    // A single small part is a valid (final) upload.
    const ok = await complete([{ PartNumber: 1, ETag: e1 }]);
    expect(ok.ETag).toMatch(/-1"$/);
  });

  it('aborts an upload; later calls get NoSuchUpload', async () => {
    const id = await start('aborted.bin');
    await part('aborted.bin', id, 1, Buffer.from('x'));
    const out = await env.s3.send(
      new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'aborted.bin', UploadId: id }),
    );
    expect(out.$metadata.httpStatusCode).toBe(204);
    const err = await awsError(part('aborted.bin', id, 2, Buffer.from('y')));
    expect(err.name).toBe('NoSuchUpload');
    expect(err.$metadata.httpStatusCode).toBe(404);
  });
});
