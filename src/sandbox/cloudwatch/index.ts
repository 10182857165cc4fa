import type { MetricRecorder } from '../contracts.js';
import { notImplementedEndpoint } from '../notImplemented.js';
import type { SandboxService, ServiceDeps } from '../service.js';

export interface CloudWatchService extends SandboxService {
  recorder: MetricRecorder;
}

export function createCloudWatchService(_deps: ServiceDeps): CloudWatchService {
  return { endpoint: notImplementedEndpoint('monitoring'), recorder: { record: () => undefined } };
}
