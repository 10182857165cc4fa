/**
 * One execution environment: a child Node process running `runtime/bootstrap.mjs` for one function
 * generation (code + configuration). It serves one invocation at a time and enforces the function's
 * timeout by killing the process. Timeouts are real seconds, not sandbox-clock seconds: the handler's
 * own code (network calls, CPU) runs in real time whatever the sandbox's time-scale.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { killProcessTree, trackChild } from './childProcesses.js';

/**
 * Real time an environment serves before it is retired (AWS recycles execution environments after
 * some hours too); its role session lives this long plus the function's timeout and a margin.
 */
export const MAX_ENVIRONMENT_AGE_MS = 2 * 60 * 60 * 1000;
/** Lambda's limit for the init phase of on-demand functions. */
const INIT_TIMEOUT_MS = 10_000;
/** How long to wait for the exit that follows a fatal error the runtime reported. */
const FATAL_EXIT_WAIT_MS = 1_000;

export interface ErrorShape {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export interface EnvironmentSpec {
  functionKey: string;
  generation: number;
  codeDir: string;
  memorySize: number;
  env: Record<string, string>;
  logStreamName: string;
  /** Called once when the process is gone (e.g. to revoke the role session it held). */
  onExit?: () => void;
}

export interface InvocationSpec {
  id: string;
  payload: string;
  timeoutMs: number;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: number;
  logGroupName: string;
  clientContext?: unknown;
  /**
   * Sandbox clock minus real clock, in ms. The handler's `Date` is shifted by it for this
   * invocation, so the time a handler reads agrees with its event's time under a fast time-scale.
   */
  clockOffsetMs?: number;
  /** Console output of the runtime: level INFO/WARN/ERROR/…; `phase` init means before the handler ran. */
  onLog(level: string, text: string, phase: 'init' | 'invoke'): void;
  /** Raw bytes the handler wrote to stdout/stderr directly. */
  onRaw(text: string): void;
}

export type InvocationOutcome =
  | { kind: 'result'; payload: string }
  | { kind: 'error'; error: ErrorShape; fatalExit?: string }
  | { kind: 'timeout'; elapsedMs: number }
  | { kind: 'exit'; description: string; outOfMemory: boolean };

export interface CompletedInvocation {
  outcome: InvocationOutcome;
  durationMs: number;
  /** Set when this invocation paid for the environment's init. */
  initMs?: number;
  memoryMb: number;
  droppedBytes: number;
}

interface Pending {
  spec: InvocationSpec;
  resolve(c: CompletedInvocation): void;
  timer?: NodeJS.Timeout;
  startedAt?: number;
  memoryMb: number;
  droppedBytes: number;
  fatal?: { error: ErrorShape };
}

interface ChildMessage {
  t: 'ready' | 'initError' | 'log' | 'result' | 'error';
  id?: string;
  initMs?: number;
  level?: string;
  text?: string;
  payload?: string;
  error?: ErrorShape;
  fatal?: boolean;
  memoryMb?: number;
  droppedBytes?: number;
}

/** The bootstrap ships as a plain .mjs in the source tree; find it from the package root. */
export function bootstrapPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) {
      return path.join(dir, 'src', 'sandbox', 'lambda', 'runtime', 'bootstrap.mjs');
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot locate the package root for the Lambda runtime bootstrap');
    dir = parent;
  }
}

export function newLogStreamName(sandboxNow: number): string {
  const d = new Date(sandboxNow);
  const day = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`;
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

export class ExecutionEnvironment {
  readonly spec: EnvironmentSpec;
  private readonly child: ChildProcess;
  private ready = false;
  private initMs: number | undefined;
  private initBilled = false;
  private pending: Pending | undefined;
  private stderrTail = '';
  private exitListeners: Array<() => void> = [];
  /** Init failed: the environment answers with that error and is then discarded. */
  initFailed = false;
  dead = false;
  /** Killed (timeout, retirement): never handed out again, even before its exit is observed. */
  killed = false;
  private readonly startedAt = Date.now();

  constructor(spec: EnvironmentSpec, bootstrap: string) {
    this.spec = spec;
    this.child = spawn(process.execPath, [`--max-old-space-size=${spec.memorySize}`, bootstrap], {
      cwd: spec.codeDir,
      env: spec.env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
      // Its own process group, killed as a whole; and a terminal's Ctrl-C reaches the CLI only,
      // which then stops its environments in order.
      detached: true,
    });
    trackChild(this.child);
    this.child.on('message', (m: ChildMessage) => this.onMessage(m));
    this.child.stdout?.setEncoding('utf8').on('data', (s: string) => this.pending?.spec.onRaw(s));
    this.child.stderr?.setEncoding('utf8').on('data', (s: string) => {
      this.stderrTail = (this.stderrTail + s).slice(-4096);
      this.pending?.spec.onRaw(s);
    });
    this.child.on('exit', (code, signal) => this.onExit(code, signal));
    this.child.on('error', () => this.onExit(null, 'SIGKILL'));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get busy(): boolean {
    return this.pending !== undefined;
  }

  invoke(spec: InvocationSpec): Promise<CompletedInvocation> {
    if (!this.usable || this.pending) throw new Error('environment is not available');
    return new Promise((resolve) => {
      const pending: Pending = { spec, resolve, memoryMb: 0, droppedBytes: 0 };
      this.pending = pending;
      if (this.ready) this.startClock(pending);
      else pending.timer = setTimeout(() => this.onTimeout(pending), INIT_TIMEOUT_MS + spec.timeoutMs);
      this.child.send({
        t: 'invoke',
        id: spec.id,
        payload: spec.payload,
        timeoutMs: spec.timeoutMs,
        functionName: spec.functionName,
        functionVersion: spec.functionVersion,
        invokedFunctionArn: spec.invokedFunctionArn,
        memoryLimitInMB: spec.memoryLimitInMB,
        logGroupName: spec.logGroupName,
        logStreamName: this.spec.logStreamName,
        clientContext: spec.clientContext,
        clockOffsetMs: spec.clockOffsetMs ?? 0,
      });
    });
  }

  /** Whether the environment can serve another invocation (it is alive and not too old). */
  get usable(): boolean {
    return (
      !this.dead && !this.killed && !this.initFailed && Date.now() - this.startedAt < MAX_ENVIRONMENT_AGE_MS
    );
  }

  kill(): void {
    this.killed = true;
    if (this.dead) return;
    killProcessTree(this.child);
  }

  /** Resolve once the process has exited (at once if it already has). */
  whenExited(): Promise<void> {
    if (this.dead) return Promise.resolve();
    return new Promise((resolve) => this.exitListeners.push(resolve));
  }

  private startClock(p: Pending): void {
    if (p.timer) clearTimeout(p.timer);
    p.startedAt = performance.now();
    p.timer = setTimeout(() => this.onTimeout(p), p.spec.timeoutMs);
  }

  private onMessage(m: ChildMessage): void {
    const p = this.pending;
    switch (m.t) {
      case 'ready':
      case 'initError':
        this.ready = true;
        this.initMs = m.initMs;
        this.initFailed = m.t === 'initError';
        if (p) this.startClock(p);
        return;
      case 'log':
        p?.spec.onLog(m.level ?? 'INFO', m.text ?? '', this.ready ? 'invoke' : 'init');
        return;
      case 'result':
      case 'error': {
        if (!p || m.id !== p.spec.id) return;
        p.memoryMb = m.memoryMb ?? 0;
        p.droppedBytes = m.droppedBytes ?? 0;
        if (m.t === 'result') {
          this.finish(p, { kind: 'result', payload: m.payload ?? 'null' });
        } else if (m.fatal) {
          // The runtime reported an uncaught error and is exiting; the exit completes the invocation.
          p.fatal = { error: m.error! };
          if (p.timer) clearTimeout(p.timer);
          p.timer = setTimeout(() => this.finish(p, { kind: 'error', error: m.error! }), FATAL_EXIT_WAIT_MS);
        } else {
          this.finish(p, { kind: 'error', error: m.error! });
        }
        return;
      }
    }
  }

  private onTimeout(p: Pending): void {
    if (this.pending !== p) return;
    const elapsedMs = p.startedAt === undefined ? p.spec.timeoutMs : performance.now() - p.startedAt;
    this.kill();
    this.finish(p, { kind: 'timeout', elapsedMs });
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.dead) return;
    this.dead = true;
    const p = this.pending;
    if (p) {
      const description =
        signal !== null
          ? `signal: ${signal === 'SIGKILL' ? 'killed' : signal === 'SIGABRT' ? 'aborted' : signal.toLowerCase()}`
          : `exit status ${code ?? 0}`;
      if (p.fatal) {
        this.finish(p, { kind: 'error', error: p.fatal.error, fatalExit: description });
      } else {
        const outOfMemory = /heap out of memory|Allocation failed/.test(this.stderrTail);
        this.finish(p, {
          kind: 'exit',
          description: code === 0 && signal === null ? '' : outOfMemory ? 'signal: killed' : description,
          outOfMemory,
        });
      }
    }
    this.spec.onExit?.();
    for (const l of this.exitListeners) l();
    this.exitListeners = [];
  }

  private finish(p: Pending, outcome: InvocationOutcome): void {
    if (this.pending !== p) return;
    if (p.timer) clearTimeout(p.timer);
    this.pending = undefined;
    const durationMs = p.startedAt === undefined ? 0 : performance.now() - p.startedAt;
    let initMs: number | undefined;
    if (!this.initBilled && this.initMs !== undefined) {
      initMs = this.initMs;
      this.initBilled = true;
    }
    p.resolve({ outcome, durationMs, initMs, memoryMb: p.memoryMb, droppedBytes: p.droppedBytes });
  }
}
