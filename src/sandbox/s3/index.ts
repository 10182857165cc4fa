import type { EventPublisher } from '../contracts.js';
import { notImplementedEndpoint } from '../notImplemented.js';
import type { SandboxService, ServiceDeps } from '../service.js';

export interface S3Deps extends ServiceDeps {
  events: EventPublisher;
}

export function createS3Service(_deps: S3Deps): SandboxService {
  return { endpoint: notImplementedEndpoint('s3') };
}
