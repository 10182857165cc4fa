/**
 * Runs one invocation of a function in an execution environment and turns what happened into
 * Lambda's observable results: the response payload (or the error document with
 * `X-Amz-Function-Error: Unhandled`), the CloudWatch Logs stream entries, the log tail, and the
 * AWS/Lambda metrics.
 */
import path from 'node:path';
import type { IamDirectory, MetricRecorder } from '../contracts.js';
import type { SandboxClock } from '../clock.js';
import type { SelfAccess } from '../service.js';
import {
  MAX_ENVIRONMENT_AGE_MS,
  newLogStreamName,
  type CompletedInvocation,
  type EnvironmentSpec,
} from './environment.js';
import type { EnvironmentPool } from './environmentPool.js';
import { InvocationLog } from './invocationLog.js';
import { systemRecordsWritten } from './loggingConfig.js';
import { pathScrubber, type PathScrubber } from './pathScrubber.js';
import { sdkNodeModulesDir } from './codeStore.js';
import type { LogBatcher } from './logBatcher.js';
import { functionKey } from './functionRegistry.js';
import type { CodeStore } from './codeStore.js';
import {
  LATEST,
  functionArn,
  loggingOf,
  runtimeVersion,
  runtimeVersionArn,
  type FunctionRecord,
} from './model.js';

export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
/** Extra life of a role session beyond its environment's, for a request still on the wire. */
const SESSION_MARGIN_MS = 60_000;

export interface RunOptions {
  requestId: string;
  logTail?: boolean;
  clientContext?: unknown;
}

export interface RunResult {
  payload: Buffer;
  functionError?: 'Unhandled';
  /** The error document's errorType, when the function failed. */
  errorType?: string;
  logResult?: string;
}

export interface RunnerDeps {
  pool: EnvironmentPool;
  code: CodeStore;
  logs: LogBatcher;
  metrics: MetricRecorder;
  clock: SandboxClock;
  self: SelfAccess;
  runtimeDir: string;
  /** Issues the execution role's session credentials each environment runs with, and revokes them. */
  iam: Pick<IamDirectory, 'issueRoleSession' | 'revokeSession'>;
}

export class FunctionRunner {
  private readonly scrubbers = new Map<string, PathScrubber>();
  private readonly sdkModules = sdkNodeModulesDir();

  constructor(private readonly deps: RunnerDeps) {}

  /** Rewrites the real paths of this code folder, the runtime and the SDK to AWS's (`/var/task`, …). */
  private scrubberFor(codeDir: string): PathScrubber {
    let s = this.scrubbers.get(codeDir);
    if (!s) {
      if (this.scrubbers.size > 100) this.scrubbers.clear();
      s = pathScrubber({
        codeDir,
        bootstrap: path.join(this.deps.runtimeDir, 'bootstrap.mjs'),
        sdkNodeModules: this.sdkModules,
      });
      this.scrubbers.set(codeDir, s);
    }
    return s;
  }

  private environmentSpec(fn: FunctionRecord): EnvironmentSpec {
    const logStreamName = newLogStreamName(this.deps.clock.now());
    const codeDir = this.deps.code.absolute(fn.codeDir);
    // The handler runs as its execution role, as on Lambda: temporary credentials, never root's,
    // valid while the environment can live (plus its last invocation and a margin), revoked when
    // it exits (retired, timed out, function deleted).
    const lifetimeMs = MAX_ENVIRONMENT_AGE_MS + fn.timeout * 1000 + SESSION_MARGIN_MS;
    const session = this.deps.iam.issueRoleSession(fn.role, fn.name, lifetimeMs);
    const logging = loggingOf(fn);
    const env: Record<string, string> = {
      ...fn.environment,
      SANDBOX_CLOCK_OFFSET_MS: String(this.deps.clock.now() - Date.now()),
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      LANG: 'en_US.UTF-8',
      TZ: ':UTC',
      AWS_REGION: fn.region,
      AWS_DEFAULT_REGION: fn.region,
      AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
      AWS_LAMBDA_FUNCTION_VERSION: LATEST,
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_GROUP_NAME: logging.logGroup,
      AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
      // As Lambda sets them from LoggingConfig; the runtime formats and filters its console by them.
      AWS_LAMBDA_LOG_FORMAT: logging.logFormat === 'JSON' ? 'JSON' : 'TEXT',
      ...(logging.applicationLogLevel ? { AWS_LAMBDA_LOG_LEVEL: logging.applicationLogLevel } : {}),
      LAMBDA_TASK_ROOT: codeDir,
      LAMBDA_RUNTIME_DIR: '/var/runtime',
      _HANDLER: fn.handler,
      AWS_ENDPOINT_URL: this.deps.self.endpoint(),
      AWS_ACCESS_KEY_ID: session.accessKeyId,
      AWS_SECRET_ACCESS_KEY: session.secretAccessKey,
      AWS_SESSION_TOKEN: session.sessionToken,
      // Lambda's Node is 22+; the host's may be 20, where the SDK would warn on every cold start.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    return {
      functionKey: functionKey(fn.region, fn.name),
      generation: fn.generation,
      codeDir,
      memorySize: fn.memorySize,
      env,
      logStreamName,
      onExit: () => this.deps.iam.revokeSession(session.accessKeyId),
    };
  }

  async run(fn: FunctionRecord, payload: string, opts: RunOptions): Promise<RunResult> {
    const { pool, clock } = this.deps;
    const key = functionKey(fn.region, fn.name);
    const { env, cold } = await pool.acquire(() => this.environmentSpec(fn), key, fn.generation);
    const id = opts.requestId;
    const logging = loggingOf(fn);
    const style = { format: logging.logFormat, systemRecords: systemRecordsWritten(logging) };
    const initLog = new InvocationLog(() => clock.now(), undefined, style);
    const log = new InvocationLog(() => clock.now(), undefined, style);
    const scrub = this.scrubberFor(env.spec.codeDir);
    if (cold) {
      initLog.initStart({
        runtimeVersion: runtimeVersion(fn),
        runtimeVersionArn: runtimeVersionArn(fn),
        functionName: fn.name,
        instanceId: env.spec.logStreamName.replace('[$LATEST]', `${fn.name}[$LATEST]`),
        memorySize: fn.memorySize,
      });
    }
    log.start(id, functionArn(fn));
    let completed: CompletedInvocation;
    try {
      completed = await env.invoke({
        id,
        payload,
        timeoutMs: fn.timeout * 1000,
        functionName: fn.name,
        functionVersion: LATEST,
        invokedFunctionArn: functionArn(fn),
        memoryLimitInMB: fn.memorySize,
        logGroupName: logging.logGroup,
        clientContext: opts.clientContext,
        clockOffsetMs: clock.now() - Date.now(),
        onLog: (level, text, phase) =>
          phase === 'init'
            ? initLog.console(undefined, level, scrub(text))
            : log.console(id, level, scrub(text)),
        onRaw: (text) => log.raw(scrub(text)),
      });
    } finally {
      pool.release(key, env);
    }
    log.noteDropped(completed.droppedBytes);
    const result = this.shape(fn, id, completed, log, scrub);
    log.end(id);
    log.report({
      requestId: id,
      durationMs: completed.durationMs,
      memorySize: fn.memorySize,
      maxMemoryUsedMb: completed.memoryMb,
      initMs: completed.initMs,
      status:
        completed.outcome.kind === 'timeout'
          ? 'timeout'
          : completed.outcome.kind === 'exit'
            ? 'error'
            : undefined,
      errorType: completed.outcome.kind === 'exit' ? result.errorType : undefined,
      functionFailed: result.functionError !== undefined,
    });
    const initEnd = initLog.lastTimestamp();
    if (initEnd !== undefined) log.notBefore(initEnd);
    this.deps.logs.add(fn.role, fn.region, logging.logGroup, env.spec.logStreamName, [
      ...initLog.events(),
      ...log.events(),
    ]);
    this.recordMetrics(fn, completed.durationMs, result.functionError !== undefined);
    if (opts.logTail) result.logResult = log.tailBase64();
    return result;
  }

  private shape(
    fn: FunctionRecord,
    id: string,
    c: CompletedInvocation,
    log: InvocationLog,
    scrub: PathScrubber,
  ): RunResult {
    const o = c.outcome;
    const failure = (errorType: string, rawMessage: string, rawTrace?: string[]): RunResult => {
      const errorMessage = scrub(rawMessage);
      const trace = rawTrace?.map(scrub);
      return {
        payload: Buffer.from(
          JSON.stringify(trace ? { errorType, errorMessage, trace } : { errorType, errorMessage }),
        ),
        functionError: 'Unhandled',
        errorType,
      };
    };
    switch (o.kind) {
      case 'result': {
        const payload = Buffer.from(o.payload, 'utf8');
        if (payload.length > MAX_RESPONSE_BYTES) {
          return failure(
            'Function.ResponseSizeTooLarge',
            `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
          );
        }
        return { payload };
      }
      case 'error':
        if (o.fatalExit) {
          log.textOnly(
            `RequestId: ${id} Error: Runtime exited with error: ${o.fatalExit}\nRuntime.ExitError`,
          );
        }
        return failure(o.error.errorType, o.error.errorMessage, o.error.trace ?? []);
      case 'timeout': {
        const seconds = (Math.max(o.elapsedMs, fn.timeout * 1000) / 1000).toFixed(2);
        log.textOnly(
          `${new Date(this.deps.clock.now()).toISOString()} ${id} Task timed out after ${seconds} seconds`,
        );
        return failure('Sandbox.Timedout', `RequestId: ${id} Error: Task timed out after ${seconds} seconds`);
      }
      case 'exit': {
        const reason = o.description
          ? `Runtime exited with error: ${o.description}`
          : 'Runtime exited without providing a reason';
        const errorType = o.outOfMemory ? 'Runtime.OutOfMemory' : 'Runtime.ExitError';
        log.textOnly(`RequestId: ${id} Error: ${reason}\n${errorType}`);
        return failure(errorType, `RequestId: ${id} Error: ${reason}`);
      }
    }
  }

  private recordMetrics(fn: FunctionRecord, durationMs: number, failed: boolean): void {
    const base = {
      region: fn.region,
      namespace: 'AWS/Lambda',
      dimensions: [{ Name: 'FunctionName', Value: fn.name }],
      timestamp: this.deps.clock.now(),
    };
    const m = this.deps.metrics;
    m.record({ ...base, metricName: 'Invocations', value: 1, unit: 'Count' });
    m.record({ ...base, metricName: 'Errors', value: failed ? 1 : 0, unit: 'Count' });
    m.record({
      ...base,
      metricName: 'Duration',
      value: Math.round(durationMs * 100) / 100,
      unit: 'Milliseconds',
    });
    m.record({ ...base, metricName: 'Throttles', value: 0, unit: 'Count' });
  }
}

/** Where LAMBDA_RUNTIME_DIR points: the folder of the bootstrap. */
export function runtimeDirOf(bootstrap: string): string {
  return path.dirname(bootstrap);
}
