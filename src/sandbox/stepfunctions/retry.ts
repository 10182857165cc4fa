/**
 * Retry and Catch as the States Language defines them, timed on the sandbox clock:
 * the first retrier whose ErrorEquals matches decides (retry if its attempts are not exhausted);
 * otherwise the first matching catcher sends `{Error, Cause}` (placed by its ResultPath) to its Next.
 * `States.Runtime` and `States.DataLimitExceeded` are never retried or caught, not even by
 * `States.ALL` (AWS's error-handling guide); `States.TaskFailed` matches any Task failure except
 * `States.Timeout`.
 */
import type { Json, StateDef } from './definition.js';
import { StateFailure, catchOutput, type ContextObject } from './evaluator.js';
import { sleepOnClock, type RunEnv } from './runtime.js';
import { TERMINAL_ERRORS } from './runtimeFailures.js';

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
}

export interface Attempted {
  output: Json;
  /** Set when a catcher handled the failure: the state to go to. */
  caughtNext?: string;
}

function matches(errorEquals: string[], failure: StateFailure, st: StateDef): boolean {
  return errorEquals.some(
    (e) =>
      e === failure.error ||
      e === 'States.ALL' ||
      (e === 'States.TaskFailed' && st.Type === 'Task' && failure.error !== 'States.Timeout'),
  );
}

/** Sandbox milliseconds to wait before retry number `attempt` (0-based) of this retrier. */
export function retryDelayMs(r: Retrier, attempt: number, random: () => number = Math.random): number {
  const interval = r.IntervalSeconds ?? 1;
  const backoff = r.BackoffRate ?? 2;
  let seconds = interval * Math.pow(backoff, attempt);
  if (r.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, r.MaxDelaySeconds);
  if (r.JitterStrategy === 'FULL') seconds = random() * seconds;
  return Math.round(seconds * 1000);
}

/**
 * Run `attempt` (given the retry count) under the state's Retry and Catch fields.
 * `catchContext` gives the context object for evaluating a catcher's ResultPath.
 */
export async function withRetryAndCatch(
  env: RunEnv,
  st: StateDef,
  rawInput: Json,
  attempt: (retryCount: number) => Promise<Json>,
  catchContext: () => ContextObject,
): Promise<Attempted> {
  const retriers = (st.Retry as Retrier[] | undefined) ?? [];
  const catchers = (st.Catch as Catcher[] | undefined) ?? [];
  const counts = retriers.map(() => 0);
  let retryCount = 0;
  for (;;) {
    try {
      return { output: await attempt(retryCount) };
    } catch (err) {
      if (!(err instanceof StateFailure) || TERMINAL_ERRORS.has(err.error)) throw err;
      const i = retriers.findIndex((r) => matches(r.ErrorEquals, err, st));
      if (i >= 0 && counts[i]! < (retriers[i]!.MaxAttempts ?? 3)) {
        const delay = retryDelayMs(retriers[i]!, counts[i]!);
        counts[i]!++;
        retryCount++;
        await sleepOnClock(env, delay);
        continue;
      }
      const catcher = catchers.find((c) => matches(c.ErrorEquals, err, st));
      if (!catcher) throw err;
      const errorOutput: Json = { Error: err.error, Cause: err.causeText };
      const output = await catchOutput(
        catcher as unknown as Record<string, unknown>,
        rawInput,
        errorOutput,
        catchContext(),
      );
      return { output, caughtNext: catcher.Next };
    }
  }
}
