// The few S3 calls demo2's functions make, in one place. The AWS SDK v3 is part of the Lambda
// Node.js runtime (and the course sandbox provides it too; the SDK honours AWS_ENDPOINT_URL).
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';

let client;
/** One client per execution environment, created on first use (warm invocations reuse it). */
function s3() {
  client ??= new S3Client({});
  return client;
}

export async function getText(bucket, key) {
  const res = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return res.Body.transformToString('utf-8');
}

export async function putText(bucket, key, text, contentType) {
  await s3().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: text, ContentType: contentType }));
}

export async function listKeys(bucket, prefix) {
  const keys = [];
  let token;
  do {
    const page = await s3().send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) if (o.Key && !o.Key.endsWith('/')) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

/** Copy within the bucket (the copy source is URL-encoded, as S3 requires). */
export async function copy(bucket, fromKey, toKey) {
  const source = `${bucket}/${fromKey.split('/').map(encodeURIComponent).join('/')}`;
  await s3().send(new CopyObjectCommand({ Bucket: bucket, Key: toKey, CopySource: source }));
}

export async function remove(bucket, key) {
  await s3().send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}
