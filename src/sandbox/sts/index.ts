import { notImplementedEndpoint } from '../notImplemented.js';
import type { SandboxService, ServiceDeps } from '../service.js';

export function createStsService(_deps: ServiceDeps): SandboxService {
  return { endpoint: notImplementedEndpoint('sts') };
}
