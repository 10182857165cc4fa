import type { EventPublisher, IamDirectory, LambdaInvoker, LogWriter, MetricRecorder } from '../contracts.js';
import { AwsError } from '../errors.js';
import { notImplementedEndpoint } from '../notImplemented.js';
import type { SandboxService, SelfAccess, ServiceDeps } from '../service.js';

export interface LambdaDeps extends ServiceDeps {
  iam: IamDirectory;
  logs: LogWriter;
  metrics: MetricRecorder;
  self: SelfAccess;
}

export interface LambdaService extends SandboxService {
  invoker: LambdaInvoker;
  /** Late-bound because EventBridge sits above Lambda (on-failure destinations publish to a bus). */
  setEventPublisher(publisher: EventPublisher): void;
}

export function createLambdaService(_deps: LambdaDeps): LambdaService {
  return {
    endpoint: notImplementedEndpoint('lambda'),
    invoker: {
      invoke: async () => {
        throw new AwsError('ResourceNotFoundException', 'Function not found', 404);
      },
    },
    setEventPublisher: () => undefined,
  };
}
