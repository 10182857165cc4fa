/**
 * Parallel and inline Map states. Each branch/iteration runs on its own history thread and abort
 * signal; the first failure aborts the others, as on AWS. `BranchMemory` lets a redrive skip the
 * branches/iterations that already succeeded (AWS redrives only failed or aborted ones).
 */
import type { Json, MachineDef, StateDef } from './definition.js';
import {
  StateFailure,
  effectiveInput,
  evaluatePaths,
  selectItem,
  stateOutput,
  type ContextObject,
} from './evaluator.js';
import type { Thread } from './history.js';
import { ExecutionAbortedSignal, type RunEnv } from './runtime.js';

export interface BranchMemory {
  /** Outputs of branches/iterations that succeeded before a redrive, by index. */
  resumed?: Map<number, Json>;
  /** Filled while running: the ones that succeeded (for the next redrive). */
  succeeded: Array<{ index: number; output: Json }>;
}

type RunStates = (
  env: RunEnv,
  def: Pick<MachineDef, 'States'>,
  startAt: string,
  input: Json,
  thread: Thread,
) => Promise<Json>;

/** Inline Map runs at most this many iterations at once when MaxConcurrency is 0 (AWS: up to 40). */
const DEFAULT_MAX_CONCURRENCY = 40;

interface Unit {
  index: number;
  /** Runs the branch/iteration on the given env and thread; returns its output. */
  run: (env: RunEnv, thread: Thread) => Promise<Json>;
  /** Emitted before/after the unit (MapIterationStarted…); Parallel branches have none. */
  events?: {
    started: string;
    succeeded: string;
    failed: string;
    aborted: string;
    details: Record<string, unknown>;
  };
}

/** Run units with a concurrency limit; first failure aborts the rest and is rethrown. */
async function runUnits(
  env: RunEnv,
  thread: Thread,
  count: number,
  limit: number,
  unitAt: (i: number) => Promise<Unit | { index: number; reused: Json }>,
  memory: BranchMemory | undefined,
): Promise<Json[]> {
  const results: Json[] = new Array<Json>(count).fill(null);
  const controller = new AbortController();
  const branchEnv: RunEnv = { ...env, signal: AbortSignal.any([env.signal, controller.signal]) };
  const startedFrom = thread.last;
  let failure: { err: unknown; last: number } | undefined;
  let lastFinished = startedFrom;
  let nextIndex = 0;
  const worker = async (): Promise<void> => {
    while (nextIndex < count && !failure && !branchEnv.signal.aborted) {
      const i = nextIndex++;
      let unit: Unit | { index: number; reused: Json };
      try {
        unit = await unitAt(i);
      } catch (err) {
        failure ??= { err, last: thread.last };
        controller.abort();
        return;
      }
      if ('reused' in unit) {
        results[i] = unit.reused;
        memory?.succeeded.push({ index: i, output: unit.reused });
        continue;
      }
      const t: Thread = { last: startedFrom };
      if (unit.events) env.recorder.emit(t, unit.events.started, unit.events.details);
      try {
        results[i] = await unit.run(branchEnv, t);
        memory?.succeeded.push({ index: i, output: results[i]! });
        if (unit.events) env.recorder.emit(t, unit.events.succeeded, unit.events.details);
        lastFinished = t.last;
      } catch (err) {
        const siblingAbort = err instanceof ExecutionAbortedSignal;
        if (unit.events) {
          env.recorder.emit(t, siblingAbort ? unit.events.aborted : unit.events.failed, unit.events.details);
        }
        if (!siblingAbort) {
          failure ??= { err, last: t.last };
          controller.abort();
        }
      }
    }
  };
  const workers = Math.max(1, Math.min(limit, count));
  await Promise.all(Array.from({ length: workers }, worker));
  if (env.signal.aborted) throw new ExecutionAbortedSignal();
  if (failure) {
    thread.last = failure.last;
    throw failure.err;
  }
  thread.last = lastFinished;
  return results;
}

export async function runParallel(
  env: RunEnv,
  _name: string,
  st: StateDef,
  input: Json,
  thread: Thread,
  ctx: ContextObject,
  memory: BranchMemory | undefined,
  runStates: RunStates,
): Promise<Json> {
  const eff = await effectiveInput(st, input, ctx);
  const branches = st.Branches as MachineDef[];
  env.recorder.emit(thread, 'ParallelStateStarted');
  let results: Json[];
  try {
    results = await runUnits(
      env,
      thread,
      branches.length,
      branches.length,
      async (i) => {
        if (memory?.resumed?.has(i)) return { index: i, reused: memory.resumed.get(i)! };
        const b = branches[i]!;
        return { index: i, run: (e, t) => runStates(e, b, b.StartAt, eff, t) };
      },
      memory,
    );
  } catch (err) {
    if (!(err instanceof ExecutionAbortedSignal)) env.recorder.emit(thread, 'ParallelStateFailed');
    throw err;
  }
  env.recorder.emit(thread, 'ParallelStateSucceeded');
  return stateOutput(st, input, results, ctx);
}

export async function runMap(
  env: RunEnv,
  name: string,
  st: StateDef,
  input: Json,
  thread: Thread,
  ctx: ContextObject,
  memory: BranchMemory | undefined,
  runStates: RunStates,
): Promise<Json> {
  const eff = await effectiveInput(st, input, ctx);
  let items: Json = eff;
  if (typeof st.ItemsPath === 'string') items = (await evaluatePaths(st, { v: st.ItemsPath }, eff, ctx)).v!;
  if (!Array.isArray(items)) {
    throw new StateFailure(
      'States.Runtime',
      `Map state '${name}' input must be an array, or ItemsPath must point to an array; got ${JSON.stringify(items)}`,
    );
  }
  let limit = typeof st.MaxConcurrency === 'number' ? st.MaxConcurrency : 0;
  if (typeof st.MaxConcurrencyPath === 'string') {
    const { v } = await evaluatePaths(st, { v: st.MaxConcurrencyPath }, eff, ctx);
    limit = typeof v === 'number' ? v : 0;
  }
  const processor = (st.ItemProcessor ?? st.Iterator) as MachineDef;
  const list = items;
  env.recorder.emit(thread, 'MapStateStarted', { length: list.length });
  let results: Json[];
  try {
    results = await runUnits(
      env,
      thread,
      list.length,
      limit > 0 ? limit : DEFAULT_MAX_CONCURRENCY,
      async (i) => {
        if (memory?.resumed?.has(i)) return { index: i, reused: memory.resumed.get(i)! };
        const itemCtx = { ...ctx, Map: { Item: { Index: i, Value: list[i]! } } };
        const itemInput = await selectItem(st, eff, list[i]!, itemCtx);
        return {
          index: i,
          run: (e, t) => runStates(e, processor, processor.StartAt, itemInput, t),
          events: {
            started: 'MapIterationStarted',
            succeeded: 'MapIterationSucceeded',
            failed: 'MapIterationFailed',
            aborted: 'MapIterationAborted',
            details: { name, index: i },
          },
        };
      },
      memory,
    );
  } catch (err) {
    if (!(err instanceof ExecutionAbortedSignal)) env.recorder.emit(thread, 'MapStateFailed');
    throw err;
  }
  env.recorder.emit(thread, 'MapStateSucceeded');
  return stateOutput(st, input, results, ctx);
}
