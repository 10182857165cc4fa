/**
 * The run loop: enters states in turn, records AWS history events, and runs each state type.
 * Data processing (paths, templates, intrinsic functions, Choice rules) is aws-local-stepfunctions'
 * (see evaluator.ts); timing, Task invocation, Retry/Catch, Map and Parallel are here because the
 * library runs on real timers, calls real AWS and cannot resume a redriven execution.
 */
import type { Json, MachineDef, StateDef } from './definition.js';
import {
  StateFailure,
  choose,
  effectiveInput,
  evaluatePaths,
  passThrough,
  stateOutput,
} from './evaluator.js';
import { NOT_TRUNCATED, type Thread } from './history.js';
import { classifyResource, invokeLambdaArn, invokeLambdaIntegration } from './lambdaTask.js';
import { withRetryAndCatch } from './retry.js';
import { checkPayloadSize, RuntimeFailure } from './runtimeFailures.js';
import {
  EXECUTION_TIMED_OUT,
  ExecutionAbortedSignal,
  abortable,
  contextFor,
  jsonText,
  sleepOnClock,
  throwIfAborted,
  yieldNow,
  type RunEnv,
} from './runtime.js';
import { runMap, runParallel, type BranchMemory } from './branching.js';

/** Hooks the top level of an execution uses for redrive: where to resume, and where it stopped. */
export interface TopLevelHooks {
  resume?: { stateName: string; input: Json; partialResults?: Array<{ index: number; output: Json }> };
  onStopped(stateName: string, input: Json, memory: BranchMemory | undefined): void;
}

interface Step {
  output: Json;
  /** Undefined when the state ends the (sub-)machine. */
  next?: string;
}

const ABORTED_EVENT: Partial<Record<StateDef['Type'], string>> = {
  Task: 'TaskStateAborted',
  Wait: 'WaitStateAborted',
  Map: 'MapStateAborted',
  Parallel: 'ParallelStateAborted',
};

/** Run a (sub-)machine from `startAt` until it ends; returns its output or throws StateFailure / abort. */
export async function runStates(
  env: RunEnv,
  def: Pick<MachineDef, 'States'>,
  startAt: string,
  input: Json,
  thread: Thread,
  top?: TopLevelHooks,
): Promise<Json> {
  let name = startAt;
  let current = input;
  let resume = top?.resume;
  for (;;) {
    await yieldNow(env);
    throwIfAborted(env);
    const st = def.States[name];
    if (!st) throw new StateFailure('States.Runtime', `State '${name}' does not exist in the definition.`);
    const entered = env.clock.now();
    const enteredId = env.recorder.emit(thread, `${st.Type}StateEntered`, {
      name,
      input: jsonText(current),
      inputDetails: NOT_TRUNCATED,
    });
    const memory: BranchMemory | undefined =
      st.Type === 'Map' || st.Type === 'Parallel'
        ? {
            resumed:
              resume?.stateName === name
                ? new Map(resume.partialResults?.map((r) => [r.index, r.output]))
                : undefined,
            succeeded: [],
          }
        : undefined;
    resume = undefined;
    let step: Step;
    let outputText: string;
    try {
      step = await runState(env, name, st, current, thread, entered, memory);
      outputText = jsonText(step.output);
      checkPayloadSize(outputText, name);
    } catch (err) {
      // AWS records no state-aborted event when the execution timed out.
      const timedOut = env.signal.reason === EXECUTION_TIMED_OUT;
      if (err instanceof ExecutionAbortedSignal && ABORTED_EVENT[st.Type] && !timedOut) {
        env.recorder.emit(thread, ABORTED_EVENT[st.Type]!);
      }
      top?.onStopped(name, current, memory);
      throw err instanceof RuntimeFailure ? err.locate(name, enteredId) : err;
    }
    if (st.Type !== 'Fail') {
      env.recorder.emit(thread, `${st.Type}StateExited`, {
        name,
        output: outputText,
        outputDetails: NOT_TRUNCATED,
      });
    }
    if (step.next === undefined) return step.output;
    name = step.next;
    current = step.output;
  }
}

async function runState(
  env: RunEnv,
  name: string,
  st: StateDef,
  input: Json,
  thread: Thread,
  entered: number,
  memory: BranchMemory | undefined,
): Promise<Step> {
  const ctx = (retryCount = 0) => contextFor(env, name, entered, retryCount);
  const next = st.End === true ? undefined : st.Next;
  switch (st.Type) {
    case 'Pass':
      return { output: await passThrough(st, input, ctx()), next };
    case 'Succeed':
      return { output: await passThrough(st, input, ctx()) };
    case 'Choice':
      return choose(st, input, ctx(), name);
    case 'Wait':
      await sleepOnClock(env, await waitMs(env, st, input, ctx()));
      return { output: await passThrough(st, input, ctx()), next };
    case 'Fail':
      throw await failure(st, input, ctx());
    case 'Task': {
      const r = await withRetryAndCatch(
        env,
        st,
        input,
        (n) => taskAttempt(env, st, input, thread, ctx(n)),
        ctx,
      );
      return { output: r.output, next: r.caughtNext ?? next };
    }
    case 'Parallel':
    case 'Map': {
      const run = st.Type === 'Map' ? runMap : runParallel;
      const r = await withRetryAndCatch(
        env,
        st,
        input,
        (n) => run(env, name, st, input, thread, ctx(n), n === 0 ? memory : undefined, runStates),
        ctx,
      );
      return { output: r.output, next: r.caughtNext ?? next };
    }
    default:
      throw new StateFailure('States.Runtime', `Unsupported state type '${String(st.Type)}'.`);
  }
}

/** Sandbox milliseconds a Wait state pauses, from Seconds, Timestamp, SecondsPath or TimestampPath. */
async function waitMs(env: RunEnv, st: StateDef, input: Json, ctx: Record<string, unknown>): Promise<number> {
  const untilTimestamp = (ts: unknown, field: string): number => {
    const t = typeof ts === 'string' ? Date.parse(ts) : NaN;
    if (Number.isNaN(t)) {
      throw new StateFailure(
        'States.Runtime',
        `The value of ${field} is not a valid ISO-8601 timestamp: ${String(ts)}`,
      );
    }
    return t - env.clock.now();
  };
  if (typeof st.Seconds === 'number') return st.Seconds * 1000;
  if (typeof st.Timestamp === 'string') return untilTimestamp(st.Timestamp, 'Timestamp');
  const eff = await effectiveInput(st, input, ctx);
  if (typeof st.SecondsPath === 'string') {
    const { v } = await evaluatePaths(st, { v: st.SecondsPath }, eff, ctx);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new StateFailure(
        'States.Runtime',
        `The SecondsPath parameter does not reference a non-negative integer value: ${JSON.stringify(v)}`,
      );
    }
    return v * 1000;
  }
  if (typeof st.TimestampPath === 'string') {
    const { v } = await evaluatePaths(st, { v: st.TimestampPath }, eff, ctx);
    return untilTimestamp(v, 'TimestampPath');
  }
  return 0;
}

async function failure(st: StateDef, input: Json, ctx: Record<string, unknown>): Promise<StateFailure> {
  let error = typeof st.Error === 'string' ? st.Error : '';
  let cause = typeof st.Cause === 'string' ? st.Cause : '';
  const paths: Record<string, string> = {};
  if (typeof st.ErrorPath === 'string') paths.e = st.ErrorPath;
  if (typeof st.CausePath === 'string') paths.c = st.CausePath;
  if (Object.keys(paths).length > 0) {
    const v = await evaluatePaths(st, paths, input, ctx);
    if (paths.e) error = typeof v.e === 'string' ? v.e : JSON.stringify(v.e);
    if (paths.c) cause = typeof v.c === 'string' ? v.c : JSON.stringify(v.c);
  }
  return new StateFailure(error, cause);
}

/** One attempt of a Task state: evaluate parameters, call Lambda (with TimeoutSeconds), shape output. */
async function taskAttempt(
  env: RunEnv,
  st: StateDef,
  input: Json,
  thread: Thread,
  ctx: Record<string, unknown>,
): Promise<Json> {
  const params = await effectiveInput(st, input, ctx);
  const kind = classifyResource(String(st.Resource), env.region);
  let timeoutSeconds = typeof st.TimeoutSeconds === 'number' ? st.TimeoutSeconds : undefined;
  if (typeof st.TimeoutSecondsPath === 'string') {
    const { t } = await evaluatePaths(st, { t: st.TimeoutSecondsPath }, params, ctx);
    if (typeof t !== 'number' || t < 1) {
      throw new StateFailure('States.Runtime', 'TimeoutSecondsPath does not reference a positive integer.');
    }
    timeoutSeconds = t;
  }
  const timeoutField = timeoutSeconds === undefined ? {} : { timeoutInSeconds: timeoutSeconds };
  if (kind.kind === 'unsupported') {
    throw new StateFailure('States.Runtime', `The sandbox cannot run Task resource ${String(st.Resource)}.`);
  }
  const integration = kind.kind === 'lambdaInvoke';
  const tag = { resourceType: 'lambda', resource: 'invoke' };
  if (integration) {
    env.recorder.emit(thread, 'TaskScheduled', {
      ...tag,
      region: kind.region,
      parameters: jsonText(params),
      ...timeoutField,
    });
    env.recorder.emit(thread, 'TaskStarted', tag);
  } else {
    env.recorder.emit(thread, 'LambdaFunctionScheduled', {
      resource: kind.functionArn,
      input: jsonText(params),
      inputDetails: NOT_TRUNCATED,
      ...timeoutField,
    });
    env.recorder.emit(thread, 'LambdaFunctionStarted');
  }
  let result: Json;
  try {
    const call =
      kind.kind === 'lambdaInvoke'
        ? invokeLambdaIntegration(env.lambda, kind.region, params)
        : invokeLambdaArn(env.lambda, kind.region, kind.functionArn, params);
    result = await abortable(env.signal, withTimeout(env, call, timeoutSeconds));
    checkPayloadSize(jsonText(result), kind.kind === 'lambdaArn' ? kind.functionArn : String(st.Resource));
  } catch (err) {
    if (!(err instanceof StateFailure)) throw err;
    const timedOut = err.error === 'States.Timeout';
    const details = { error: err.error, cause: err.causeText };
    if (integration)
      env.recorder.emit(thread, timedOut ? 'TaskTimedOut' : 'TaskFailed', { ...tag, ...details });
    else env.recorder.emit(thread, timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed', details);
    throw err;
  }
  const out = { output: jsonText(result), outputDetails: NOT_TRUNCATED };
  if (integration) env.recorder.emit(thread, 'TaskSucceeded', { ...tag, ...out });
  else env.recorder.emit(thread, 'LambdaFunctionSucceeded', out);
  return stateOutput(st, input, result, ctx);
}

function withTimeout<T>(env: RunEnv, p: Promise<T>, seconds: number | undefined): Promise<T> {
  if (seconds === undefined) return p;
  return new Promise<T>((resolve, reject) => {
    const timer = env.clock.setTimer(seconds * 1000, () =>
      reject(new StateFailure('States.Timeout', `Task timed out after ${seconds} seconds.`)),
    );
    p.then(
      (v) => {
        timer.cancel();
        resolve(v);
      },
      (e: unknown) => {
        timer.cancel();
        reject(e);
      },
    );
  });
}
