/**
 * The sandbox's Lambda service: functions persisted with their code, handlers run unmodified in
 * separate Node processes (warm-reused), logs to CloudWatch Logs, metrics to CloudWatch, async
 * invocations with retries and destinations. Wires the parts; each lives in its own module.
 *
 * Deliberate differences from AWS, kept small:
 * - A function is `Pending` after CreateFunction, and `InProgress` after an update, for a brief
 *   real-time window (150 ms unless `transitionMs` says otherwise), not the seconds AWS may take.
 * - Handler timeouts are real seconds (the handler's own work runs in real time); retry backoff of
 *   async invocations follows the sandbox clock.
 * - The async event queue is in memory: undelivered events are lost when the sandbox stops.
 * - Only `$LATEST` exists (Publish is ignored); code comes as ZipFile only.
 */
import { lambdaBodyLimit } from './requestLimits.js';
import type { EventPublisher, IamDirectory, LambdaInvoker, LogWriter, MetricRecorder } from '../contracts.js';
import { enforceAccess, LAMBDA_ACCESS_DENIED } from '../accessControl.js';
import { restJsonService } from '../protocols/restJson.js';
import { lambdaAccessRequests } from './authorization.js';
import type { SandboxService, SelfAccess, ServiceDeps } from '../service.js';
import { AsyncInvocations } from './asyncInvocations.js';
import { CodeStore } from './codeStore.js';
import { bootstrapPath } from './environment.js';
import { EnvironmentPool } from './environmentPool.js';
import { FunctionRegistry, functionKey } from './functionRegistry.js';
import { FunctionTransitions } from './functionTransitions.js';
import { FunctionRunner, runtimeDirOf } from './functionRunner.js';
import { InvokeService } from './invoke.js';
import { lambdaRoutes } from './routes.js';
import { functionArn, functionNotFound } from './model.js';
import { LogBatcher } from './logBatcher.js';

export interface LambdaDeps extends ServiceDeps {
  iam: IamDirectory;
  logs: LogWriter;
  metrics: MetricRecorder;
  self: SelfAccess;
  /** Real ms invocation logs are buffered before reaching CloudWatch Logs (default 100; 0 writes at once). */
  logFlushMs?: number;
  /** Real ms a function stays Pending after creation / InProgress after an update (default 150). */
  transitionMs?: number;
}

export interface LambdaService extends SandboxService {
  invoker: LambdaInvoker;
  /** Late-bound because EventBridge sits above Lambda (on-failure destinations publish to a bus). */
  setEventPublisher(publisher: EventPublisher): void;
}

export function createLambdaService(deps: LambdaDeps): LambdaService {
  const bootstrap = bootstrapPath();
  const code = new CodeStore(deps.store);
  code.linkNodeModules();
  const pool = new EnvironmentPool(bootstrap);
  const registry = new FunctionRegistry(
    deps.store,
    code,
    deps.iam,
    deps.clock,
    (fn) => pool.retire(functionKey(fn.region, fn.name), fn.generation),
    deps.log,
    new FunctionTransitions(deps.transitionMs),
  );
  const logs = new LogBatcher(
    deps.logs,
    deps.logFlushMs,
    (err) => deps.log(`lambda: writing logs failed: ${(err as Error).message}`),
    deps.iam,
  );
  const runner = new FunctionRunner({
    pool,
    code,
    logs,
    metrics: deps.metrics,
    clock: deps.clock,
    self: deps.self,
    runtimeDir: runtimeDirOf(bootstrap),
    iam: deps.iam,
  });
  let publisher: EventPublisher | undefined;
  // The queue needs the invoker (Lambda destinations) and the invoker the queue: bind late.
  const invokerRef: { current?: InvokeService } = {};
  const queue = new AsyncInvocations({
    clock: deps.clock,
    find: (region, name) => registry.list(region).find((f) => f.name === name),
    run: (fn, payload, requestId) => runner.run(fn, payload, { requestId }),
    publisher: () => publisher,
    invoker: { invoke: (req) => invokerRef.current!.invoke(req) },
    log: deps.log,
  });
  const invoker = new InvokeService(registry, runner, queue, deps.iam);
  invokerRef.current = invoker;

  const endpoint = restJsonService({
    signingName: 'lambda',
    bodyLimit: lambdaBodyLimit,
    routes: lambdaRoutes({
      registry,
      invoker,
      now: () => deps.clock.now(),
      onDelete: async (fn) => {
        // Invocations queued for an environment fail as they would on AWS once the function is gone.
        await pool.drop(functionKey(fn.region, fn.name), functionNotFound(functionArn(fn)));
        code.removeFunction(fn.region, fn.name);
      },
    }),
    authorize: (operation, req) =>
      enforceAccess(
        deps.iam,
        req.ctx.wire.principal,
        lambdaAccessRequests(operation, req),
        LAMBDA_ACCESS_DENIED,
      ),
  });

  return {
    endpoint,
    invoker,
    setEventPublisher: (p) => {
      publisher = p;
    },
    async stop() {
      queue.stop();
      await pool.stopAll();
      logs.flush();
    },
  };
}
