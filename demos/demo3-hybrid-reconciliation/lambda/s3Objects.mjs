// The S3 calls the reconciliation handlers share: paged listings of a key range, JSON reads that
// tell "absent" from "failed", and conditional writes (If-Match / If-None-Match) so that two runs
// for one partition can never overwrite each other's newer result. Only the AWS SDK v3 the Lambda
// runtime provides.
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';

/** S3 quotes ETags; compare them without the quotes. */
export function plainEtag(etag) {
  return typeof etag === 'string' ? etag.replace(/^"|"$/g, '') : '';
}

const status = (err) => err?.$metadata?.httpStatusCode;
export const isMissing = (err) =>
  err?.name === 'NoSuchKey' || err?.name === 'NotFound' || status(err) === 404;
/** The object changed since we looked (412), or a concurrent conditional write won (409). */
export const isConditionFailure = (err) =>
  err?.name === 'PreconditionFailed' ||
  err?.name === 'ConditionalRequestConflict' ||
  status(err) === 412 ||
  status(err) === 409;

/**
 * Objects under `prefix` from just after `startAfter` up to (not including) `endBefore`, in key
 * order: `{key, etag, size, lastModified}`. Pages of 1,000; stops at the end of the range.
 */
export async function listRange(s3, bucket, { prefix, startAfter, endBefore }) {
  const out = [];
  let token;
  for (;;) {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        StartAfter: token ? undefined : startAfter,
        ContinuationToken: token,
      }),
    );
    for (const o of page.Contents ?? []) {
      if (endBefore !== undefined && o.Key >= endBefore) return out;
      out.push({
        key: o.Key,
        etag: plainEtag(o.ETag),
        size: o.Size ?? 0,
        lastModified: o.LastModified ? new Date(o.LastModified).toISOString() : null,
      });
    }
    if (!page.IsTruncated) return out;
    token = page.NextContinuationToken;
  }
}

export async function getText(s3, bucket, key, ifMatch) {
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, IfMatch: ifMatch }));
  return { text: await res.Body.transformToString('utf-8'), etag: plainEtag(res.ETag) };
}

/** `{doc, etag}` of a JSON object, or undefined when there is no such key. */
export async function getJson(s3, bucket, key) {
  try {
    const { text, etag } = await getText(s3, bucket, key);
    return { doc: JSON.parse(text), etag };
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

/**
 * Write `doc` only if the object is still what we read: If-Match its ETag, or If-None-Match `*`
 * when there was none. Returns false when someone else wrote it first (read again and retry).
 */
export async function putJsonIfUnchanged(s3, bucket, key, doc, expectedEtag) {
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: JSON.stringify(doc, null, 2),
        ContentType: 'application/json',
        ...(expectedEtag ? { IfMatch: `"${expectedEtag}"` } : { IfNoneMatch: '*' }),
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

/** `fn` over `items`, at most `limit` at a time; results in input order. */
export async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
