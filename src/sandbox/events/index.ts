import type {
  EventPublisher,
  ExecutionStarter,
  IamDirectory,
  LambdaInvoker,
  MetricRecorder,
} from '../contracts.js';
import { notImplementedEndpoint } from '../notImplemented.js';
import type { SandboxService, ServiceDeps } from '../service.js';

export interface EventBridgeDeps extends ServiceDeps {
  iam: IamDirectory;
  metrics: MetricRecorder;
  lambda: LambdaInvoker;
  stepFunctions: ExecutionStarter;
}

export interface EventBridgeService extends SandboxService {
  publisher: EventPublisher;
}

export function createEventBridgeService(_deps: EventBridgeDeps): EventBridgeService {
  return { endpoint: notImplementedEndpoint('events'), publisher: { publish: () => undefined } };
}
