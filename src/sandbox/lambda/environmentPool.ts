/**
 * Warm execution environments per function, reused as Lambda does: an idle environment serves the
 * next invocation; concurrent invocations get more environments up to a cap (then they queue);
 * an environment idle for a while is shut down; a new code/configuration generation retires the
 * old environments (idle ones at once, busy ones when their invocation ends).
 */
import { AwsError } from '../errors.js';
import { ExecutionEnvironment, type EnvironmentSpec } from './environment.js';

export const MAX_ENVIRONMENTS_PER_FUNCTION = 10;
/** Real time an idle environment stays warm. */
export const IDLE_MS = 5 * 60 * 1000;

interface FunctionEnvironments {
  all: Set<ExecutionEnvironment>;
  idle: ExecutionEnvironment[];
  idleTimers: Map<ExecutionEnvironment, NodeJS.Timeout>;
  waiters: Array<{ spec: () => EnvironmentSpec; give(env: Acquired): void; refuse(err: Error): void }>;
  generation: number;
}

export interface Acquired {
  env: ExecutionEnvironment;
  cold: boolean;
}

export class EnvironmentPool {
  private readonly functions = new Map<string, FunctionEnvironments>();
  private stopped = false;

  constructor(
    private readonly bootstrap: string,
    /** Called for each environment started, e.g. to note its log stream. */
    private readonly onSpawn: (env: ExecutionEnvironment) => void = () => undefined,
  ) {}

  /** An environment for this generation of the function: warm if one is idle, else a new one (or wait). */
  acquire(makeSpec: () => EnvironmentSpec, functionKey: string, generation: number): Promise<Acquired> {
    if (this.stopped) return Promise.reject(sandboxStopping());
    const f = this.entry(functionKey);
    if (generation > f.generation) this.retire(functionKey, generation);
    while (f.idle.length > 0) {
      const env = f.idle.pop()!;
      this.clearIdleTimer(f, env);
      if (env.usable) return Promise.resolve({ env, cold: false });
      f.all.delete(env);
    }
    if (f.all.size < MAX_ENVIRONMENTS_PER_FUNCTION) return Promise.resolve(this.spawn(f, makeSpec()));
    return new Promise((resolve, reject) =>
      f.waiters.push({ spec: makeSpec, give: resolve, refuse: reject }),
    );
  }

  /** Hand an environment back after an invocation. */
  release(functionKey: string, env: ExecutionEnvironment): void {
    const f = this.functions.get(functionKey);
    if (!f || !f.all.has(env)) {
      // Its function was dropped (deleted, or the sandbox is stopping) while it ran.
      env.kill();
      return;
    }
    const reusable = env.usable && env.spec.generation >= f.generation && !this.stopped;
    if (!reusable) {
      env.kill();
      f.all.delete(env);
      const waiter = f.waiters.shift();
      if (waiter) waiter.give(this.spawn(f, waiter.spec()));
      return;
    }
    const waiter = f.waiters.shift();
    if (waiter) {
      waiter.give({ env, cold: false });
      return;
    }
    f.idle.push(env);
    const timer = setTimeout(() => {
      f.idleTimers.delete(env);
      f.idle = f.idle.filter((e) => e !== env);
      f.all.delete(env);
      env.kill();
    }, IDLE_MS);
    timer.unref();
    f.idleTimers.set(env, timer);
  }

  /** Retire environments older than `generation` (new code or configuration). */
  retire(functionKey: string, generation: number): void {
    const f = this.entry(functionKey);
    f.generation = Math.max(f.generation, generation);
    for (const env of [...f.idle]) {
      if (env.spec.generation < f.generation) {
        this.clearIdleTimer(f, env);
        f.idle = f.idle.filter((e) => e !== env);
        f.all.delete(env);
        env.kill();
      }
    }
  }

  /**
   * Kill every environment of a function (DeleteFunction, stop); returns when they have exited.
   * Invocations still waiting for an environment fail with `reason` (AWS's error for the caller).
   */
  async drop(functionKey: string, reason: Error = sandboxStopping()): Promise<void> {
    const f = this.functions.get(functionKey);
    if (!f) return;
    this.functions.delete(functionKey);
    for (const t of f.idleTimers.values()) clearTimeout(t);
    for (const waiter of f.waiters.splice(0)) waiter.refuse(reason);
    const envs = [...f.all];
    for (const env of envs) env.kill();
    await Promise.all(envs.map((e) => e.whenExited()));
  }

  async stopAll(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.functions.keys()].map((k) => this.drop(k, sandboxStopping())));
  }

  /** Environments currently alive for a function (for tests and diagnostics). */
  count(functionKey: string): number {
    return this.functions.get(functionKey)?.all.size ?? 0;
  }

  private spawn(f: FunctionEnvironments, spec: EnvironmentSpec): Acquired {
    const env = new ExecutionEnvironment(spec, this.bootstrap);
    f.all.add(env);
    this.onSpawn(env);
    return { env, cold: true };
  }

  private clearIdleTimer(f: FunctionEnvironments, env: ExecutionEnvironment): void {
    const t = f.idleTimers.get(env);
    if (t) clearTimeout(t);
    f.idleTimers.delete(env);
  }

  private entry(functionKey: string): FunctionEnvironments {
    let f = this.functions.get(functionKey);
    if (!f) {
      f = { all: new Set(), idle: [], idleTimers: new Map(), waiters: [], generation: 0 };
      this.functions.set(functionKey, f);
    }
    return f;
  }
}

/**
 * What a caller whose invocation could not start gets when the sandbox stops: Lambda's
 * ServiceException (500), its generic internal failure (botocore: ServiceException, HTTP 500).
 */
function sandboxStopping(): AwsError {
  return new AwsError('ServiceException', 'The sandbox is stopping; the invocation did not run.', 500);
}
