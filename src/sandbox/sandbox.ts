/**
 * Assemble and run a sandbox: lock the state directory, load its credentials and state, wire the
 * services together in their one-way dependency order, and listen on 127.0.0.1.
 */
import type { AddressInfo } from 'node:net';
import { SandboxClock } from './clock.js';
import {
  DEFAULT_REGION,
  SANDBOX_ACCOUNT_ID,
  loadOrCreateCredentials,
  type SandboxCredentials,
} from './credentials.js';
import { PortInUseError } from './errors.js';
import { acquireLock, releaseLock, updateLock } from './lock.js';
import { createSandboxServer } from './server.js';
import { StateStore } from './store.js';
import type { SandboxService, ServiceDeps } from './service.js';
import { createIamService } from './iam/index.js';
import { createStsService } from './sts/index.js';
import { createLogsService } from './logs/index.js';
import { createCloudWatchService } from './cloudwatch/index.js';
import { createLambdaService } from './lambda/index.js';
import { createStepFunctionsService } from './stepfunctions/index.js';
import { createEventBridgeService } from './events/index.js';
import { createS3Service } from './s3/index.js';
import { DEFAULT_TRANSITION_MS } from './lambda/functionTransitions.js';
import { hasAnyFault, type FaultProfile } from './faults/profile.js';
import { RequestFaultInjector } from './faults/requestFaults.js';
import { SettleWindow } from './faults/settleWindow.js';
import { describeFaultProfile } from './faults/describeProfile.js';

export interface SandboxOptions {
  /** Directory holding the sandbox's state, credentials and lock. */
  stateDir: string;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Sandbox seconds per real second (default 1). */
  timeScale?: number;
  /** Diagnostic lines (requests that failed internally, Lambda runtime problems). */
  log?: (line: string) => void;
  /** Real ms a Lambda function stays Pending after creation / InProgress after an update (default 150). */
  lambdaTransitionMs?: number;
  /** AWS's bad days on purpose (see faults/); absent or `none`, the sandbox behaves as always. */
  faults?: FaultProfile;
}

export interface RunningSandbox {
  endpoint: string;
  port: number;
  region: string;
  accountId: string;
  credentials: SandboxCredentials;
  stateDir: string;
  clock: SandboxClock;
  /** The fault profile in effect, when one changes anything. */
  faults?: FaultProfile;
  /** Stop the server, child processes and timers; flush state; release the lock. */
  stop(): Promise<void>;
}

interface ClockState {
  lastNow: number;
}

/**
 * How long Lambda keeps a function Pending: the profile's sandbox seconds in real time, never less
 * than the sandbox's usual brief window (or what the caller asked for).
 */
function lambdaTransitionMs(
  asked: number | undefined,
  faults: FaultProfile | undefined,
  clock: SandboxClock,
): number | undefined {
  if (!faults?.lambdaPendingSeconds) return asked;
  return Math.max(
    asked ?? DEFAULT_TRANSITION_MS,
    Math.round(clock.toRealMs(faults.lambdaPendingSeconds * 1000)),
  );
}

export async function startSandbox(opts: SandboxOptions): Promise<RunningSandbox> {
  const { stateDir } = opts;
  const log = opts.log ?? (() => undefined);
  acquireLock(stateDir);
  let services: SandboxService[] = [];
  try {
    const credentials = loadOrCreateCredentials(stateDir);
    const store = new StateStore(stateDir, log);
    // Sandbox time never runs backwards across restarts, even after a fast time-scale.
    const clockDoc = store.doc<ClockState>('clock.json', () => ({ lastNow: 0 }));
    const clock = new SandboxClock(opts.timeScale ?? 1, Math.max(Date.now(), clockDoc.data.lastNow));
    const deps: ServiceDeps = { store, clock, log };
    const faults = opts.faults && hasAnyFault(opts.faults) ? opts.faults : undefined;

    let endpointUrl = '';
    const iam = createIamService({ ...deps, propagationMs: (faults?.iamPropagationSeconds ?? 0) * 1000 });
    const withIam: ServiceDeps = { ...deps, iam: iam.directory };
    const sts = createStsService(withIam);
    const cloudwatch = createCloudWatchService({
      ...withIam,
      metricDelayMs: (faults?.metricDelaySeconds ?? 0) * 1000,
    });
    const logs = createLogsService({ ...withIam, metrics: cloudwatch.recorder });
    const lambda = createLambdaService({
      ...deps,
      iam: iam.directory,
      logs: logs.writer,
      metrics: cloudwatch.recorder,
      self: { endpoint: () => endpointUrl, credentials },
      transitionMs: lambdaTransitionMs(opts.lambdaTransitionMs, faults, clock),
    });
    const stepFunctions = createStepFunctionsService({
      ...deps,
      iam: iam.directory,
      logs: logs.writer,
      logPolicies: logs.resourcePolicies,
      metrics: cloudwatch.recorder,
      lambda: lambda.invoker,
    });
    const events = createEventBridgeService({
      ...deps,
      iam: iam.directory,
      metrics: cloudwatch.recorder,
      lambda: lambda.invoker,
      stepFunctions: stepFunctions.starter,
      settle: new SettleWindow(clock, (faults?.ruleDelaySeconds ?? 0) * 1000, log),
      logs: logs.writer,
      logPolicies: logs.resourcePolicies,
    });
    lambda.setEventPublisher(events.publisher);
    cloudwatch.setEventPublisher(events.publisher);
    const s3 = createS3Service({ ...withIam, events: events.publisher });
    services = [iam, sts, cloudwatch, logs, lambda, stepFunctions, events, s3];

    const endpoints = services.map((s) => s.endpoint);
    // Overrides are checked even when the profile changes nothing: a typo there is still a mistake.
    if (opts.faults) {
      RequestFaultInjector.checkOverrides(
        opts.faults,
        new Map(endpoints.map((e) => [e.signingName, e.operationNames?.()])),
      );
    }
    if (faults) log(`faults: ${describeFaultProfile(faults)}`);
    const injector = faults && new RequestFaultInjector(faults, { log });
    const { server, setEndpoint } = createSandboxServer({
      endpoints,
      credentials,
      sessions: iam.directory,
      clock,
      onInternalError: (err) => log(`internal error: ${(err as Error)?.stack ?? String(err)}`),
      beforeOperation: injector
        ? (call) =>
            injector.before({
              service: call.service,
              operation: call.operation,
              caller: call.wire.principal?.kind === 'role' ? 'role' : 'root',
              requestId: call.wire.requestId,
            })
        : undefined,
    });

    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        reject(err.code === 'EADDRINUSE' ? new PortInUseError(opts.port ?? 0) : err);
      });
      server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    endpointUrl = `http://127.0.0.1:${port}`;
    setEndpoint(endpointUrl);
    // Another process (a demo run in a second terminal) follows this clock from the lock: the
    // time-scale and one reading of the sandbox clock paired with the real time it was taken.
    const realMs = Date.now();
    updateLock(stateDir, {
      port,
      endpoint: endpointUrl,
      startedAt: new Date(realMs).toISOString(),
      timeScale: clock.timeScale,
      clockAnchor: { sandboxMs: clock.now(), realMs },
      ...(faults ? { faults: { profile: faults.name, seed: faults.seed } } : {}),
    });

    let stopped: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopped ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        for (const s of [...services].reverse()) {
          try {
            await s.stop?.();
          } catch (err) {
            log(`error stopping a service: ${(err as Error).message}`);
          }
        }
        clockDoc.data.lastNow = clock.now();
        clockDoc.changed();
        clock.stop();
        store.flushAll();
        releaseLock(stateDir);
      })();
      return stopped;
    };

    return {
      endpoint: endpointUrl,
      port,
      region: DEFAULT_REGION,
      accountId: SANDBOX_ACCOUNT_ID,
      credentials,
      stateDir,
      clock,
      faults,
      stop,
    };
  } catch (err) {
    for (const s of services) {
      try {
        await s.stop?.();
      } catch {
        // already failing; the original error matters more
      }
    }
    releaseLock(stateDir);
    throw err;
  }
}
