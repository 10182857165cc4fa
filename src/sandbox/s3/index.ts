/**
 * The sandbox's S3: restXml over path-style (or virtual-hosted) addressing, buckets and objects
 * persisted in the state directory, and EventBridge notifications for buckets that ask for them.
 */
import { enforceAccess, isPermitted, S3_ACCESS_DENIED } from '../accessControl.js';
import type { EventPublisher, IamDirectory } from '../contracts.js';
import { AwsError } from '../errors.js';
import { loadOrCreateCredentials } from '../credentials.js';
import { restXmlService } from '../protocols/restXml.js';
import type { SandboxService, ServiceDeps } from '../service.js';
import { addressOf } from './addressing.js';
import type { S3Service } from './context.js';
import { S3EventEmitter } from './notifications.js';
import { routeOf } from './router.js';
import { s3OperationNames, s3OperationOf } from './operationNames.js';
import { hidesMissingKeys, listBucketRequest, objectArn, s3AccessRequests } from './authorization.js';
import { S3Storage } from './storage.js';

export interface S3Deps extends ServiceDeps {
  events: EventPublisher;
  /** Authorizes requests signed by role sessions; absent, nothing is checked. */
  iam?: IamDirectory;
}

/** S3's single-PUT limit is 5 GiB; the sandbox keeps bodies in memory, so it stops well short. */
const MAX_BODY_BYTES = 512 * 1024 * 1024;

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
      maxBodyBytes: MAX_BODY_BYTES,
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
