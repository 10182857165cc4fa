/**
 * The sandbox's S3: restXml over path-style (or virtual-hosted) addressing, buckets and objects
 * persisted in the state directory, and EventBridge notifications for buckets that ask for them.
 */
import type { EventPublisher } from '../contracts.js';
import { loadOrCreateCredentials } from '../credentials.js';
import { restXmlService } from '../protocols/restXml.js';
import type { SandboxService, ServiceDeps } from '../service.js';
import { addressOf } from './addressing.js';
import type { S3Service } from './context.js';
import { S3EventEmitter } from './notifications.js';
import { routeOf } from './router.js';
import { S3Storage } from './storage.js';

export interface S3Deps extends ServiceDeps {
  events: EventPublisher;
}

/** S3's single-PUT limit is 5 GiB; the sandbox keeps bodies in memory, so it stops well short. */
const MAX_BODY_BYTES = 512 * 1024 * 1024;

export function createS3Service(deps: S3Deps): SandboxService {
  const svc: S3Service = {
    storage: new S3Storage(deps.store),
    events: new S3EventEmitter(deps.events, deps.log),
    clock: deps.clock,
    // The same credentials the server verifies requests against; needed for signed aws-chunked bodies.
    secret: loadOrCreateCredentials(deps.store.dir).secretAccessKey,
  };
  return {
    stop: () => svc.storage.flushMetadata(true),
    endpoint: restXmlService({
      signingName: 's3',
      maxBodyBytes: MAX_BODY_BYTES,
      async handle(wire) {
        const { bucket, key } = addressOf(wire);
        const operation = routeOf(wire, bucket, key);
        return operation(svc, { wire, bucketName: bucket ?? '', key: key ?? '' });
      },
    }),
  };
}
