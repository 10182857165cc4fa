import type {
  ExecutionStarter,
  IamDirectory,
  LambdaInvoker,
  LogWriter,
  MetricRecorder,
} from '../contracts.js';
import { AwsError } from '../errors.js';
import { notImplementedEndpoint } from '../notImplemented.js';
import type { SandboxService, ServiceDeps } from '../service.js';

export interface StepFunctionsDeps extends ServiceDeps {
  iam: IamDirectory;
  logs: LogWriter;
  metrics: MetricRecorder;
  lambda: LambdaInvoker;
}

export interface StepFunctionsService extends SandboxService {
  starter: ExecutionStarter;
}

export function createStepFunctionsService(_deps: StepFunctionsDeps): StepFunctionsService {
  return {
    endpoint: notImplementedEndpoint('states'),
    starter: {
      startExecution: async () => {
        throw new AwsError('StateMachineDoesNotExist', 'State Machine Does Not Exist', 400);
      },
    },
  };
}
