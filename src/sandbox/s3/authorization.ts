/**
 * Which IAM actions and resources each S3 operation needs, with the condition keys a policy may
 * test: buckets are `arn:aws:s3:::bucket`, objects `arn:aws:s3:::bucket/key`; listing is
 * `s3:ListBucket` on the bucket with `s3:prefix`; CopyObject reads its source and writes its
 * destination; multipart uploads are `s3:PutObject`.
 */
import type { AccessRequest } from '../contracts.js';
import type { WireRequest } from '../protocols/types.js';
import * as buckets from './bucketOperations.js';
import { header, type S3Operation } from './context.js';
import { listObjectsV1, listObjectsV2 } from './listing.js';
import * as multipart from './multipart.js';
import { getObject, headObject } from './objectReads.js';
import * as writes from './objectWrites.js';

export const bucketArn = (bucket: string): string => `arn:aws:s3:::${bucket}`;
export const objectArn = (bucket: string, key: string): string => `arn:aws:s3:::${bucket}/${key}`;

const BUCKET_ACTIONS = new Map<S3Operation, string>([
  [buckets.createBucket, 's3:CreateBucket'],
  [buckets.deleteBucket, 's3:DeleteBucket'],
  [buckets.headBucket, 's3:ListBucket'],
  [buckets.getBucketLocation, 's3:GetBucketLocation'],
  [buckets.putBucketTagging, 's3:PutBucketTagging'],
  [buckets.getBucketTagging, 's3:GetBucketTagging'],
  // S3 has no DeleteBucketTagging action: removing tags is a PutBucketTagging.
  [buckets.deleteBucketTagging, 's3:PutBucketTagging'],
  [buckets.putBucketNotificationConfiguration, 's3:PutBucketNotification'],
  [buckets.getBucketNotificationConfiguration, 's3:GetBucketNotification'],
  [buckets.getBucketVersioning, 's3:GetBucketVersioning'],
]);

const OBJECT_ACTIONS = new Map<S3Operation, string>([
  [getObject, 's3:GetObject'],
  [headObject, 's3:GetObject'],
  [writes.putObject, 's3:PutObject'],
  [writes.deleteObject, 's3:DeleteObject'],
  [writes.getObjectTagging, 's3:GetObjectTagging'],
  [writes.putObjectTagging, 's3:PutObjectTagging'],
  [writes.deleteObjectTagging, 's3:DeleteObjectTagging'],
  [multipart.createMultipartUpload, 's3:PutObject'],
  [multipart.uploadPart, 's3:PutObject'],
  [multipart.completeMultipartUpload, 's3:PutObject'],
  [multipart.abortMultipartUpload, 's3:AbortMultipartUpload'],
]);

/** The `s3:ListBucket` request a listing (or a read of a missing key) is judged by. */
export function listBucketRequest(bucket: string, prefix: string, wire?: WireRequest): AccessRequest {
  const context: AccessRequest['context'] = { 's3:prefix': prefix };
  const delimiter = wire?.query.get('delimiter');
  if (delimiter) context['s3:delimiter'] = delimiter;
  const maxKeys = wire?.query.get('max-keys');
  if (maxKeys) context['s3:max-keys'] = Number(maxKeys);
  return { action: 's3:ListBucket', resource: bucketArn(bucket), context };
}

/** `x-amz-copy-source`: `[/]bucket/key[?versionId=…]`, URL-encoded. */
function copySourceArn(wire: WireRequest): string | undefined {
  const raw = header(wire, 'x-amz-copy-source');
  if (raw === undefined) return undefined;
  let decoded = raw.split('?')[0]!;
  try {
    decoded = decodeURIComponent(decoded);
  } catch {
    // keep it raw: the operation itself rejects a malformed source
  }
  return `arn:aws:s3:::${decoded.replace(/^\//, '')}`;
}

export function s3AccessRequests(
  operation: S3Operation,
  wire: WireRequest,
  bucket: string,
  key: string,
): AccessRequest[] {
  if (operation === buckets.listBuckets) return [{ action: 's3:ListAllMyBuckets', resource: '*' }];
  if (operation === listObjectsV1 || operation === listObjectsV2) {
    return [listBucketRequest(bucket, wire.query.get('prefix') ?? '', wire)];
  }
  // DeleteObjects is judged key by key (S3Service.mayDelete), answering per-key errors.
  if (operation === writes.deleteObjects) return [];
  if (operation === writes.copyObject) {
    const source = copySourceArn(wire);
    const dest: AccessRequest = { action: 's3:PutObject', resource: objectArn(bucket, key) };
    return source ? [{ action: 's3:GetObject', resource: source }, dest] : [dest];
  }
  const objectAction = OBJECT_ACTIONS.get(operation);
  if (objectAction) return [{ action: objectAction, resource: objectArn(bucket, key) }];
  const bucketAction = BUCKET_ACTIONS.get(operation);
  return [{ action: bucketAction ?? 's3:*', resource: bucketArn(bucket) }];
}

/** Operations that answer NoSuchKey only to a caller who could list the key; others get AccessDenied. */
export function hidesMissingKeys(operation: S3Operation): boolean {
  return operation === getObject || operation === headObject;
}
