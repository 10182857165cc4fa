/** S3's operations as AWS names them, for the request router's choice (see `ServiceEndpoint.operationOf`). */
import type { WireRequest } from '../protocols/types.js';
import { addressOf } from './addressing.js';
import * as buckets from './bucketOperations.js';
import type { S3Operation } from './context.js';
import { listObjectsV1, listObjectsV2 } from './listing.js';
import * as multipart from './multipart.js';
import { getObject, headObject } from './objectReads.js';
import * as writes from './objectWrites.js';
import { routeOf } from './router.js';

const NAMES: ReadonlyMap<S3Operation, string> = new Map<S3Operation, string>([
  [buckets.listBuckets, 'ListBuckets'],
  [buckets.createBucket, 'CreateBucket'],
  [buckets.headBucket, 'HeadBucket'],
  [buckets.deleteBucket, 'DeleteBucket'],
  [buckets.getBucketLocation, 'GetBucketLocation'],
  [buckets.putBucketTagging, 'PutBucketTagging'],
  [buckets.getBucketTagging, 'GetBucketTagging'],
  [buckets.deleteBucketTagging, 'DeleteBucketTagging'],
  [buckets.putBucketNotificationConfiguration, 'PutBucketNotificationConfiguration'],
  [buckets.getBucketNotificationConfiguration, 'GetBucketNotificationConfiguration'],
  [buckets.getBucketVersioning, 'GetBucketVersioning'],
  [listObjectsV2, 'ListObjectsV2'],
  [listObjectsV1, 'ListObjects'],
  [getObject, 'GetObject'],
  [headObject, 'HeadObject'],
  [writes.putObject, 'PutObject'],
  [writes.copyObject, 'CopyObject'],
  [writes.deleteObject, 'DeleteObject'],
  [writes.deleteObjects, 'DeleteObjects'],
  [writes.getObjectTagging, 'GetObjectTagging'],
  [writes.putObjectTagging, 'PutObjectTagging'],
  [writes.deleteObjectTagging, 'DeleteObjectTagging'],
  [multipart.createMultipartUpload, 'CreateMultipartUpload'],
  [multipart.uploadPart, 'UploadPart'],
  [multipart.completeMultipartUpload, 'CompleteMultipartUpload'],
  [multipart.abortMultipartUpload, 'AbortMultipartUpload'],
]);

/** The operation a request names, or undefined when S3 would refuse it (an operation the sandbox does not serve, a bad method). */
export function s3OperationOf(wire: WireRequest): string | undefined {
  try {
    const { bucket, key } = addressOf(wire);
    return NAMES.get(routeOf(wire, bucket, key));
  } catch {
    return undefined;
  }
}

export function s3OperationNames(): string[] {
  return [...NAMES.values()];
}
