/** What a running execution carries through the interpreter, and the waiting primitives it uses. */
import type { SandboxClock } from '../clock.js';
import type { LambdaInvoker } from '../contracts.js';
import type { Json } from './definition.js';
import type { ContextObject } from './evaluator.js';
import type { HistoryRecorder } from './history.js';

export interface RunEnv {
  recorder: HistoryRecorder;
  clock: SandboxClock;
  lambda: LambdaInvoker;
  /** Aborted when the execution is stopped, times out, or (for a branch) a sibling branch failed. */
  signal: AbortSignal;
  region: string;
  /** `Execution` and `StateMachine` members of the context object. */
  baseContext: ContextObject;
  /** States entered so far by this execution (all branches), for `yieldNow`. */
  pace: { states: number };
}

/** States an execution runs between yields to the event loop. */
const STATES_PER_YIELD = 64;

/**
 * Pass and Choice states resolve on promises alone, so a loop of them would keep the event loop
 * from everything else (HTTP requests, timers, other executions) until it ends. Every so many
 * states the execution lets the rest of the sandbox run.
 */
export async function yieldNow(env: RunEnv): Promise<void> {
  if (++env.pace.states % STATES_PER_YIELD === 0) await new Promise<void>((r) => setImmediate(r));
}

/** The abort reason of an execution that ran out of its TimeoutSeconds (no state-aborted events then). */
export const EXECUTION_TIMED_OUT = 'ExecutionTimedOut';

/** Raised inside the interpreter when its signal aborts; never caught by Retry or Catch. */
export class ExecutionAbortedSignal extends Error {
  override readonly name = 'ExecutionAbortedSignal';
  constructor() {
    super('aborted');
  }
}

export function throwIfAborted(env: RunEnv): void {
  if (env.signal.aborted) throw new ExecutionAbortedSignal();
}

/** Settle with `p`, or reject with `ExecutionAbortedSignal` as soon as the signal aborts. */
export function abortable<T>(signal: AbortSignal, p: Promise<T>): Promise<T> {
  if (signal.aborted) {
    p.catch(() => undefined);
    return Promise.reject(new ExecutionAbortedSignal());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new ExecutionAbortedSignal());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** Wait `sandboxMs` on the sandbox clock, abortably. */
export function sleepOnClock(env: RunEnv, sandboxMs: number): Promise<void> {
  if (sandboxMs <= 0) return Promise.resolve();
  let timer: { cancel(): void } | undefined;
  const p = new Promise<void>((resolve) => {
    timer = env.clock.setTimer(sandboxMs, resolve);
  });
  return abortable(env.signal, p).finally(() => timer?.cancel());
}

/** The context object for a state: execution and state machine, plus `State` (and `Map` when given). */
export function contextFor(
  env: RunEnv,
  stateName: string,
  enteredTime: number,
  retryCount: number,
  extra?: ContextObject,
): ContextObject {
  return {
    ...env.baseContext,
    State: { Name: stateName, EnteredTime: new Date(enteredTime).toISOString(), RetryCount: retryCount },
    ...extra,
  };
}

export const jsonText = (v: Json | undefined): string => JSON.stringify(v ?? null);
