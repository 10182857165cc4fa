/**
 * AWS Step Functions in the sandbox (awsJson 1.0, `AWSStepFunctions.*`): state machines, STANDARD
 * and EXPRESS executions run in-process with aws-local-stepfunctions doing the ASL data processing,
 * Lambda tasks through the sandbox's Lambda, history, redrive, CloudWatch Logs and metrics.
 * The execution role must exist and trust states.amazonaws.com; its policies are not evaluated.
 */
import './polyfill.js';
import type {
  ExecutionStarter,
  IamDirectory,
  LambdaInvoker,
  LogResourcePolicies,
  LogWriter,
  MetricRecorder,
} from '../contracts.js';
import { enforceAccess, JSON_ACCESS_DENIED } from '../accessControl.js';
import { awsJsonService } from '../protocols/awsJson.js';
import { statesAccessRequests } from './authorization.js';
import type { SandboxService, ServiceDeps } from '../service.js';
import { executionOperations } from './executionOps.js';
import { Registry } from './registry.js';
import { ExecutionRunner } from './runner.js';
import { recoverInterruptedExecutions } from './recovery.js';
import { stateMachineOperations } from './stateMachineOps.js';
import { validationOperations } from './validationOps.js';

export interface StepFunctionsDeps extends ServiceDeps {
  iam: IamDirectory;
  logs: LogWriter;
  logPolicies: LogResourcePolicies;
  metrics: MetricRecorder;
  lambda: LambdaInvoker;
}

export interface StepFunctionsService extends SandboxService {
  starter: ExecutionStarter;
}

export function createStepFunctionsService(deps: StepFunctionsDeps): StepFunctionsService {
  const registry = new Registry(deps.store, deps.log);
  recoverInterruptedExecutions(registry, deps.clock.now());
  const runner = new ExecutionRunner({
    clock: deps.clock,
    lambda: deps.lambda,
    logs: deps.logs,
    metrics: deps.metrics,
    log: deps.log,
    registry,
  });
  const executions = executionOperations({ registry, runner, clock: deps.clock });
  const endpoint = awsJsonService({
    // Definitions up to 1 MB travel as an escaped JSON string; execution input at most 256 KB.
    maxBodyBytes: 4 * 1024 * 1024,
    signingName: 'states',
    targetPrefix: 'AWSStepFunctions',
    version: '1.0',
    operations: {
      ...stateMachineOperations({
        registry,
        runner,
        iam: deps.iam,
        logPolicies: deps.logPolicies,
        clock: deps.clock,
        log: deps.log,
      }),
      ...executions.operations,
      ...validationOperations(),
    },
    authorize: (operation, input, ctx) =>
      enforceAccess(deps.iam, ctx.wire.principal, statesAccessRequests(operation, input), JSON_ACCESS_DENIED),
  });
  return {
    endpoint,
    starter: { startExecution: executions.startExecution },
    stop: () => runner.shutdown(),
  };
}
