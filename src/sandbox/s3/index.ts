/**
 * The sandbox's S3: restXml over path-style (or virtual-hosted) addressing, buckets and objects
 * persisted in the state directory, and EventBridge notifications for buckets that ask for them.
 */
import { enforceAccess, isPermitted, S3_ACCESS_DENIED } from '../accessControl.js';
import type { EventPublisher, IamDirectory } from '../contracts.js';
import { AwsError } from '../errors.js';
import { loadOrCreateCredentials } from '../credentials.js';
import { restXmlService } from '../protocols/restXml.js';
import type { BodyLimit, WireRequest } from '../protocols/types.js';
import type { SandboxService, ServiceDeps } from '../service.js';
import { addressOf } from './addressing.js';
import type { S3Operation, S3Service } from './context.js';
import { S3EventEmitter } from './notifications.js';
import { routeOf } from './router.js';
import { MAX_UPLOAD_BYTES, putObject } from './objectWrites.js';
import { uploadPart } from './multipart.js';
import { isAwsChunked } from './requestBody.js';
import { S3Errors } from './s3Errors.js';
import { streamsUpload } from './uploadBody.js';
import { s3OperationNames, s3OperationOf } from './operationNames.js';
import { hidesMissingKeys, listBucketRequest, objectArn, s3AccessRequests } from './authorization.js';
import { S3Storage } from './storage.js';

export interface S3Deps extends ServiceDeps {
  events: EventPublisher;
  /** Authorizes requests signed by role sessions; absent, nothing is checked. */
  iam?: IamDirectory;
}

/**
 * Every other S3 request carries at most an XML document (DeleteObjects' 1,000 keys of up to
 * 1,024 bytes, escaped, are the largest), read whole. S3 documents MaxMessageLengthExceeded for a
 * request that is too big without giving the figure; 10 MiB is assumed.
 */
const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
/**
 * Room for aws-chunked framing around a 5 GiB payload: a signed chunk's header and CRLFs are about
 * 90 bytes, and SigV4 chunks are at least 8 KiB (all but the last).
 */
const MAX_FRAMING_BYTES = Math.ceil(MAX_UPLOAD_BYTES / 64);

/**
 * PutObject and UploadPart stream their bodies unless they are small (see uploadBody.ts); the rest
 * are small documents.
 */
function s3BodyLimit(wire: WireRequest): BodyLimit {
  let operation: S3Operation | undefined;
  try {
    const { bucket, key } = addressOf(wire);
    operation = routeOf(wire, bucket, key);
  } catch {
    operation = undefined; // refused once the request is handled
  }
  if (operation === putObject || operation === uploadPart) {
    return {
      bytes: MAX_UPLOAD_BYTES + (isAwsChunked(wire) ? MAX_FRAMING_BYTES : 0),
      tooLarge: () => S3Errors.entityTooLarge(MAX_UPLOAD_BYTES),
      streamed: streamsUpload(wire),
    };
  }
  return { bytes: MAX_DOCUMENT_BYTES, tooLarge: S3Errors.maxMessageLengthExceeded };
}

export function createS3Service(deps: S3Deps): SandboxService {
  const iam = deps.iam;
  const svc: S3Service = {
    storage: new S3Storage(deps.store),
    events: new S3EventEmitter(deps.events, deps.log),
    clock: deps.clock,
    // The same credentials the server verifies requests against; needed for signed aws-chunked bodies.
    secret: loadOrCreateCredentials(deps.store.dir).secretAccessKey,
    mayDelete: (wire, bucket, key) =>
      !iam ||
      isPermitted(iam, wire.principal, { action: 's3:DeleteObject', resource: objectArn(bucket, key) }),
  };
  return {
    stop: () => svc.storage.flushMetadata(true),
    endpoint: restXmlService({
      signingName: 's3',
      bodyLimit: s3BodyLimit,
      operationOf: s3OperationOf,
      operationNames: s3OperationNames,
      async handle(wire) {
        const { bucket, key } = addressOf(wire);
        const operation = routeOf(wire, bucket, key);
        if (iam)
          enforceAccess(
            iam,
            wire.principal,
            s3AccessRequests(operation, wire, bucket ?? '', key ?? ''),
            S3_ACCESS_DENIED,
          );
        try {
          return await operation(svc, { wire, bucketName: bucket ?? '', key: key ?? '' });
        } catch (err) {
          // Without s3:ListBucket, S3 does not reveal that a key is missing: 403, not 404.
          if (iam && err instanceof AwsError && err.code === 'NoSuchKey' && hidesMissingKeys(operation)) {
            enforceAccess(
              iam,
              wire.principal,
              [listBucketRequest(bucket ?? '', key ?? '')],
              S3_ACCESS_DENIED,
            );
          }
          throw err;
        }
      },
    }),
  };
}
