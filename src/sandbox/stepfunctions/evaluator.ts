/**
 * Data processing for one state, delegated to aws-local-stepfunctions: InputPath, Parameters (with
 * intrinsic functions and the context object), ResultSelector, ResultPath, OutputPath, Choice rules.
 * The library runs whole state machines on real timers and real AWS; we instead hand it one-state
 * machines built from each state ("mini machines", cached per state) and do the orchestration —
 * transitions, Task invocation, Retry/Catch, Wait, Map, Parallel, history — ourselves.
 */
import './polyfill.js';
import { ExecutionError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { Json, StateDef } from './definition.js';

/** A state's failure as ASL sees it: an error name and a cause. */
export class StateFailure extends Error {
  override readonly name = 'StateFailure';
  constructor(
    readonly error: string,
    readonly causeText: string,
  ) {
    super(`${error}: ${causeText}`);
  }
}

/** The context object (`$$`) for one state. */
export type ContextObject = Record<string, unknown>;

const SLOT = 'S';
/** Task states in mini machines never reach AWS: their resource is always a local handler. */
const LOCAL_RESOURCE = 'arn:aws:lambda:us-east-1:000000000000:function:sandbox-local';
/** Longest timeout Node's setTimeout accepts without overflowing (the library arms one per Task). */
const NO_TIMEOUT_SECONDS = 2_000_000;

const cache = new WeakMap<object, Map<string, StateMachine>>();

function mini(owner: object, role: string, build: () => Record<string, unknown>): StateMachine {
  let byRole = cache.get(owner);
  if (!byRole) {
    byRole = new Map();
    cache.set(owner, byRole);
  }
  let sm = byRole.get(role);
  if (!sm) {
    const states = build();
    const def = { StartAt: SLOT, States: states } as unknown as StateMachineDefinition;
    sm = new StateMachine(def, { validationOptions: { noValidate: true } });
    byRole.set(role, sm);
  }
  return sm;
}

function pick(st: StateDef, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f in st) out[f] = st[f];
  return out;
}

export function toFailure(err: unknown): StateFailure {
  if (err instanceof StateFailure) return err;
  const inner = err instanceof ExecutionError ? err.cause : err;
  if (inner instanceof Error) {
    const name = inner.name && inner.name !== 'Error' ? inner.name : 'States.Runtime';
    return new StateFailure(name, inner.message);
  }
  return new StateFailure('States.Runtime', String(inner));
}

async function run(
  sm: StateMachine,
  input: Json,
  context: ContextObject,
  overrides?: Record<string, unknown>,
): Promise<Json> {
  try {
    const execution = sm.run(input, { context, overrides } as Parameters<StateMachine['run']>[1]);
    return (await execution.result) as Json;
  } catch (err) {
    throw toFailure(err);
  }
}

/** InputPath then Parameters: the state's effective input. Map's `Parameters` is its ItemSelector, so not here. */
export function effectiveInput(st: StateDef, input: Json, ctx: ContextObject): Promise<Json> {
  const fields = st.Type === 'Map' ? ['InputPath'] : ['InputPath', 'Parameters'];
  if (!fields.some((f) => f in st)) return Promise.resolve(input);
  const sm = mini(st, 'pre', () => ({ [SLOT]: { Type: 'Pass', ...pick(st, fields), End: true } }));
  return run(sm, input, ctx);
}

/** ResultSelector, ResultPath (against the raw state input), OutputPath: the state's output. */
export function stateOutput(st: StateDef, rawInput: Json, result: Json, ctx: ContextObject): Promise<Json> {
  const fields = ['ResultSelector', 'ResultPath', 'OutputPath'];
  if (!fields.some((f) => f in st)) return Promise.resolve(result);
  const sm = mini(st, 'post', () => ({
    [SLOT]: {
      Type: 'Task',
      Resource: LOCAL_RESOURCE,
      TimeoutSeconds: NO_TIMEOUT_SECONDS,
      ...pick(st, fields),
      End: true,
    },
  }));
  return run(sm, rawInput, ctx, { taskResourceLocalHandlers: { [SLOT]: () => result } });
}

/** A Catcher's ResultPath applied to the error output `{Error, Cause}`. */
export function catchOutput(
  catcher: Record<string, unknown>,
  rawInput: Json,
  errorOutput: Json,
  ctx: ContextObject,
): Promise<Json> {
  return stateOutput(catcher as StateDef, rawInput, errorOutput, ctx);
}

/** A Pass, Succeed or Wait state run whole (Wait without its pause, which the caller times). */
export function passThrough(st: StateDef, input: Json, ctx: ContextObject): Promise<Json> {
  const sm = mini(st, 'whole', () => {
    const copy: Record<string, unknown> = { ...st };
    delete copy.Next;
    if (st.Type !== 'Succeed') copy.End = true;
    return { [SLOT]: copy };
  });
  const overrides = st.Type === 'Wait' ? { waitTimeOverrides: { [SLOT]: 0 } } : undefined;
  return run(sm, input, ctx, overrides);
}

/** Evaluate a Choice state: the next state's name and the state's output. */
export async function choose(
  st: StateDef,
  input: Json,
  ctx: ContextObject,
): Promise<{ next: string; output: Json }> {
  const sm = mini(st, 'choice', () => {
    const targets: string[] = [];
    const slotOf = (name: string): string => {
      let i = targets.indexOf(name);
      if (i < 0) i = targets.push(name) - 1;
      return `T${i}`;
    };
    const choices = (st.Choices as Array<Record<string, unknown>>).map((c) => ({
      ...c,
      Next: slotOf(c.Next as string),
    }));
    const choice: Record<string, unknown> = { ...st, Choices: choices };
    if (typeof st.Default === 'string') choice.Default = slotOf(st.Default);
    const states: Record<string, unknown> = { [SLOT]: choice };
    targets.forEach((name, i) => {
      states[`T${i}`] = { Type: 'Pass', Parameters: { next: name, 'output.$': '$' }, End: true };
    });
    return states;
  });
  const r = (await run(sm, input, ctx)) as { next: string; output: Json };
  return r;
}

/** Evaluate reference paths (e.g. `SecondsPath`, `ItemsPath`) against an input. */
export async function evaluatePaths(
  owner: object,
  paths: Record<string, string>,
  input: Json,
  ctx: ContextObject,
): Promise<Record<string, Json>> {
  const key = `paths:${JSON.stringify(paths)}`;
  const sm = mini(owner, key, () => ({
    [SLOT]: {
      Type: 'Pass',
      Parameters: Object.fromEntries(Object.entries(paths).map(([k, p]) => [`${k}.$`, p])),
      End: true,
    },
  }));
  return (await run(sm, input, ctx)) as Record<string, Json>;
}

/** A Map state's ItemSelector (or legacy Parameters) for one item; `ctx` carries `Map.Item`. */
export function selectItem(st: StateDef, mapInput: Json, item: Json, ctx: ContextObject): Promise<Json> {
  const template = st.ItemSelector ?? st.Parameters;
  if (template === undefined) return Promise.resolve(item);
  const sm = mini(st, 'items', () => ({ [SLOT]: { Type: 'Pass', Parameters: template, End: true } }));
  return run(sm, mapInput, ctx);
}
