/** ListObjectsV2 and ListObjects (v1) through the SDK: pagination, delimiters, encoding. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateBucketCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';

const BIG = 'listing-big';
const TREE = 'listing-tree';
let t: TestSandbox;
let s3: S3Client;

const bigKeys = Array.from({ length: 1203 }, (_, i) => `item-${String(i).padStart(5, '0')}`);
const treeKeys = [
  'a.txt',
  'raw/2024/01/x.csv',
  'raw/2024/01/y.csv',
  'raw/2024/02/z.csv',
  'raw/readme.md',
  'staged/p1',
  'staged/p2',
  'zz/last',
  'with space/file',
];

async function putAll(bucket: string, keys: string[]): Promise<void> {
  // A few in flight at once keeps this quick without flooding a loaded machine.
  for (let i = 0; i < keys.length; i += 20) {
    await Promise.all(
      keys.slice(i, i + 20).map((Key) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }))),
    );
  }
}

beforeAll(async () => {
  t = await startTestSandbox();
  s3 = new S3Client({ ...t.clientConfig });
  await s3.send(new CreateBucketCommand({ Bucket: BIG }));
  await s3.send(new CreateBucketCommand({ Bucket: TREE }));
  await putAll(BIG, bigKeys);
  await putAll(TREE, treeKeys);
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

describe('ListObjectsV2', () => {
  it('pages over more than 1000 keys with continuation tokens, in order, without repeats', async () => {
    const first = await s3.send(new ListObjectsV2Command({ Bucket: BIG }));
    expect(first.KeyCount).toBe(1000);
    expect(first.MaxKeys).toBe(1000);
    expect(first.IsTruncated).toBe(true);
    expect(first.NextContinuationToken).toBeTruthy();
    const second = await s3.send(
      new ListObjectsV2Command({ Bucket: BIG, ContinuationToken: first.NextContinuationToken }),
    );
    expect(second.KeyCount).toBe(203);
    expect(second.IsTruncated).toBe(false);
    expect(second.NextContinuationToken).toBeUndefined();
    expect(second.ContinuationToken).toBe(first.NextContinuationToken);
    const all = [...first.Contents!, ...second.Contents!].map((c) => c.Key);
    expect(all).toEqual(bigKeys);
    expect(first.Contents![0]!.Size).toBe(bigKeys[0]!.length);
    expect(first.Contents![0]!.StorageClass).toBe('STANDARD');
  });

  it('works with the SDK paginator and a small page size', async () => {
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2(
      { client: s3, pageSize: 250 },
      { Bucket: BIG, Prefix: 'item-00' },
    )) {
      pages++;
      seen.push(...(page.Contents ?? []).map((c) => c.Key!));
    }
    expect(seen).toEqual(bigKeys.filter((k) => k.startsWith('item-00')));
    expect(pages).toBe(4);
  });

  it('honours start-after and max-keys 0', async () => {
    const out = await s3.send(
      new ListObjectsV2Command({ Bucket: BIG, StartAfter: 'item-01199', MaxKeys: 10 }),
    );
    expect(out.Contents?.map((c) => c.Key)).toEqual(['item-01200', 'item-01201', 'item-01202']);
    expect(out.StartAfter).toBe('item-01199');
    const none = await s3.send(new ListObjectsV2Command({ Bucket: BIG, MaxKeys: 0 }));
    expect(none.KeyCount).toBe(0);
    expect(none.Contents).toBeUndefined();
  });

  it('rolls keys up into CommonPrefixes with a delimiter', async () => {
    const top = await s3.send(new ListObjectsV2Command({ Bucket: TREE, Delimiter: '/' }));
    expect(top.Contents?.map((c) => c.Key)).toEqual(['a.txt']);
    expect(top.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['raw/', 'staged/', 'with space/', 'zz/']);
    expect(top.KeyCount).toBe(5);
    expect(top.Delimiter).toBe('/');
    const raw = await s3.send(new ListObjectsV2Command({ Bucket: TREE, Delimiter: '/', Prefix: 'raw/' }));
    expect(raw.Contents?.map((c) => c.Key)).toEqual(['raw/readme.md']);
    expect(raw.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['raw/2024/']);
    expect(raw.Prefix).toBe('raw/');
  });

  it('pages through a mix of keys and common prefixes one at a time', async () => {
    const items: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: TREE, Delimiter: '/', MaxKeys: 1, ContinuationToken: token }),
      );
      expect(page.KeyCount).toBe(1);
      items.push(
        ...(page.Contents ?? []).map((c) => c.Key!),
        ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!),
      );
      token = page.NextContinuationToken;
    } while (token);
    expect(items).toEqual(['a.txt', 'raw/', 'staged/', 'with space/', 'zz/']);
  });

  it('url-encodes keys with encoding-type=url', async () => {
    const out = await s3.send(
      new ListObjectsV2Command({ Bucket: TREE, Prefix: 'with space/', EncodingType: 'url' }),
    );
    expect(out.EncodingType).toBe('url');
    expect(out.Contents?.map((c) => c.Key)).toEqual(['with%20space/file']);
  });

  it('rejects a bad continuation token; NoSuchBucket for a missing bucket', async () => {
    const bad = await s3
      .send(new ListObjectsV2Command({ Bucket: BIG, ContinuationToken: '!!!' }))
      .catch((e: S3ServiceException) => e);
    expect((bad as S3ServiceException).name).toBe('InvalidArgument');
    const missing = await s3
      .send(new ListObjectsV2Command({ Bucket: 'no-such-list-bucket' }))
      .catch((e: S3ServiceException) => e);
    expect((missing as S3ServiceException).name).toBe('NoSuchBucket');
  });
});

describe('ListObjects (v1)', () => {
  it('pages with markers; NextMarker appears with a delimiter', async () => {
    const first = await s3.send(new ListObjectsCommand({ Bucket: BIG, MaxKeys: 600 }));
    expect(first.Contents).toHaveLength(600);
    expect(first.IsTruncated).toBe(true);
    expect(first.NextMarker).toBeUndefined();
    const next = await s3.send(
      new ListObjectsCommand({ Bucket: BIG, Marker: first.Contents!.at(-1)!.Key, MaxKeys: 1000 }),
    );
    expect(next.Contents).toHaveLength(603);
    expect(next.IsTruncated).toBe(false);
    const tree = await s3.send(new ListObjectsCommand({ Bucket: TREE, Delimiter: '/', MaxKeys: 2 }));
    expect(tree.NextMarker).toBe('raw/');
    const rest = await s3.send(
      new ListObjectsCommand({ Bucket: TREE, Delimiter: '/', Marker: tree.NextMarker }),
    );
    expect(rest.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['staged/', 'with space/', 'zz/']);
  });
});
