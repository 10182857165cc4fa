import type { EventPublisher, ExecutionStarter, IamDirectory, LambdaInvoker } from '../contracts.js';
import { notImplementedEndpoint } from '../notImplemented.js';
import type { SandboxService, ServiceDeps } from '../service.js';

export interface EventBridgeDeps extends ServiceDeps {
  iam: IamDirectory;
  lambda: LambdaInvoker;
  stepFunctions: ExecutionStarter;
}

export interface EventBridgeService extends SandboxService {
  publisher: EventPublisher;
}

export function createEventBridgeService(_deps: EventBridgeDeps): EventBridgeService {
  return { endpoint: notImplementedEndpoint('events'), publisher: { publish: () => undefined } };
}
