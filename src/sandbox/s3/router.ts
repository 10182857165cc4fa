/**
 * Which S3 operation a request is: by method, whether it names a bucket and a key, and its
 * sub-resource query parameters (`?tagging`, `?delete`, `?list-type=2`, …).
 */
import type { WireRequest } from '../protocols/types.js';
import * as buckets from './bucketOperations.js';
import { header, type S3Operation } from './context.js';
import { listObjectsV1, listObjectsV2 } from './listing.js';
import { getObject, headObject } from './objectReads.js';
import * as writes from './objectWrites.js';
import * as multipart from './multipart.js';
import { S3Errors } from './s3Errors.js';

/** Sub-resources S3 has that the sandbox does not implement: asked for, they get NotImplemented. */
const UNSUPPORTED = [
  'acl',
  'cors',
  'lifecycle',
  'policy',
  'policyStatus',
  'website',
  'logging',
  'replication',
  'encryption',
  'ownershipControls',
  'publicAccessBlock',
  'object-lock',
  'accelerate',
  'requestPayment',
  'analytics',
  'inventory',
  'metrics',
  'intelligent-tiering',
  'retention',
  'legal-hold',
  'restore',
  'select',
  'attributes',
  'torrent',
  'uploads',
  'uploadId',
  'versions',
  'versionId',
  'partNumber',
];

function unsupported(wire: WireRequest): boolean {
  return UNSUPPORTED.some((name) => wire.query.has(name));
}

function bucketOperation(wire: WireRequest): S3Operation | undefined {
  const q = wire.query;
  switch (wire.method) {
    case 'PUT':
      if (q.has('tagging')) return buckets.putBucketTagging;
      if (q.has('notification')) return buckets.putBucketNotificationConfiguration;
      if (q.has('versioning') || unsupported(wire)) return undefined;
      return buckets.createBucket;
    case 'GET':
      if (q.has('location')) return buckets.getBucketLocation;
      if (q.has('tagging')) return buckets.getBucketTagging;
      if (q.has('notification')) return buckets.getBucketNotificationConfiguration;
      if (q.has('versioning')) return buckets.getBucketVersioning;
      if (unsupported(wire)) return undefined;
      return q.get('list-type') === '2' ? listObjectsV2 : listObjectsV1;
    case 'HEAD':
      return buckets.headBucket;
    case 'DELETE':
      if (q.has('tagging')) return buckets.deleteBucketTagging;
      if (unsupported(wire)) return undefined;
      return buckets.deleteBucket;
    case 'POST':
      if (q.has('delete')) return writes.deleteObjects;
      return undefined;
    default:
      return undefined;
  }
}

function objectOperation(wire: WireRequest): S3Operation | undefined {
  const q = wire.query;
  const versionless = !q.has('versionId') || q.get('versionId') === 'null';
  if (!versionless) return undefined;
  if (q.has('uploadId')) {
    if (wire.method === 'PUT' && q.has('partNumber')) return multipart.uploadPart;
    if (wire.method === 'POST') return multipart.completeMultipartUpload;
    if (wire.method === 'DELETE') return multipart.abortMultipartUpload;
    return undefined;
  }
  if (wire.method === 'POST' && q.has('uploads')) return multipart.createMultipartUpload;
  switch (wire.method) {
    case 'PUT':
      if (q.has('tagging')) return writes.putObjectTagging;
      if (unsupported(wire)) return undefined;
      return header(wire, 'x-amz-copy-source') !== undefined ? writes.copyObject : writes.putObject;
    case 'GET':
      if (q.has('tagging')) return writes.getObjectTagging;
      if (unsupported(wire)) return undefined;
      return getObject;
    case 'HEAD':
      return unsupported(wire) ? undefined : headObject;
    case 'DELETE':
      if (q.has('tagging')) return writes.deleteObjectTagging;
      if (unsupported(wire)) return undefined;
      return writes.deleteObject;
    default:
      return undefined;
  }
}

/** The operation for a request; throws NotImplemented / MethodNotAllowed when there is none. */
export function routeOf(wire: WireRequest, bucket: string | undefined, key: string | undefined): S3Operation {
  if (bucket === undefined) {
    if (wire.method === 'GET') return buckets.listBuckets;
    throw S3Errors.methodNotAllowed(wire.method, 'SERVICE');
  }
  const op = key === undefined ? bucketOperation(wire) : objectOperation(wire);
  if (op) return op;
  if (['GET', 'PUT', 'POST', 'DELETE', 'HEAD'].includes(wire.method)) throw S3Errors.notImplemented();
  throw S3Errors.methodNotAllowed(wire.method, key === undefined ? 'BUCKET' : 'OBJECT');
}
