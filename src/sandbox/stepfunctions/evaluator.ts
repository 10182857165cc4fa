/**
 * Data processing for one state, delegated to aws-local-stepfunctions: InputPath, Parameters (with
 * intrinsic functions and the context object), ResultSelector, ResultPath, OutputPath, Choice rules.
 * The library runs whole state machines on real timers and real AWS; we instead hand it one-state
 * machines built from each state ("mini machines", cached per state) and do the orchestration —
 * transitions, Task invocation, Retry/Catch, Wait, Map, Parallel, history — ourselves.
 * When the library fails, the failure is re-stated as AWS states it (runtimeFailures.ts), naming the
 * field and the input involved, never the library's own error classes.
 */
import './polyfill.js';
import { ExecutionError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { CONTEXT_KEY } from './contextPaths.js';
import type { Json, StateDef } from './definition.js';
import { RuntimeCauses, RuntimeFailure } from './runtimeFailures.js';
import { StateFailure } from './stateFailure.js';

export { StateFailure } from './stateFailure.js';

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

/** What the library threw, unwrapped from its ExecutionError. */
function innerError(err: unknown): unknown {
  return err instanceof ExecutionError ? err.cause : err;
}

/** The path the library could not find, when that is what it complains of. */
function missingPath(err: unknown): string | undefined {
  const e = innerError(err);
  if (!(e instanceof Error)) return undefined;
  return /^Path expression '(.+)' does not point to a value$/s.exec(e.message)?.[1];
}

function isResultPathMismatch(err: unknown): boolean {
  const e = innerError(err);
  return e instanceof Error && e.name === 'States.ResultPathMatchFailure';
}

/** Any other library failure: an intrinsic function's, or a value of the wrong kind. */
function otherFailure(err: unknown): StateFailure {
  if (err instanceof StateFailure) return err;
  const e = innerError(err);
  if (e instanceof StateFailure) return e;
  const message = e instanceof Error ? e.message : String(e);
  return /intrinsic|JSON|States\./i.test(message) || (e instanceof Error && e.name !== 'States.Runtime')
    ? RuntimeCauses.intrinsic(message)
    : RuntimeCauses.other(message);
}

/** The `<key>.$` member of a payload template whose path (or intrinsic argument) is `path`. */
export function templateFieldOf(template: unknown, path: string): string | undefined {
  if (Array.isArray(template)) {
    for (const v of template) {
      const f = templateFieldOf(v, path);
      if (f) return f;
    }
    return undefined;
  }
  if (template === null || typeof template !== 'object') return undefined;
  for (const [k, v] of Object.entries(template)) {
    if (
      k.endsWith('.$') &&
      typeof v === 'string' &&
      (v === path || (v.startsWith('States.') && v.includes(path)))
    ) {
      return k;
    }
    const nested = templateFieldOf(v, path);
    if (nested) return nested;
  }
  return undefined;
}

async function run(
  sm: StateMachine,
  input: Json,
  context: ContextObject,
  overrides?: Record<string, unknown>,
): Promise<Json> {
  const execution = sm.run(input, { context: { [CONTEXT_KEY]: context }, overrides } as Parameters<
    StateMachine['run']
  >[1]);
  return (await execution.result) as Json;
}

/** InputPath alone, for explaining a failure of InputPath + template. */
function inputPathOnly(st: StateDef, input: Json, ctx: ContextObject): Promise<Json> {
  const sm = mini(st, 'inputPath', () => ({ [SLOT]: { Type: 'Pass', InputPath: st.InputPath, End: true } }));
  return run(sm, input, ctx);
}

/** Why InputPath + a template failed: the InputPath, or a template member (against InputPath's result). */
async function explainInputSide(
  err: unknown,
  st: StateDef,
  template: unknown,
  input: Json,
  ctx: ContextObject,
): Promise<StateFailure> {
  const missing = missingPath(err);
  if (missing === undefined) return otherFailure(err);
  let templateInput = input;
  if (typeof st.InputPath === 'string') {
    if (st.InputPath === missing) return RuntimeCauses.invalidPath(missing);
    templateInput = await inputPathOnly(st, input, ctx).catch(() => input);
  }
  const field = templateFieldOf(template, missing);
  return field
    ? RuntimeCauses.templatePath(missing, field, templateInput)
    : RuntimeCauses.invalidPath(missing);
}

/** InputPath then Parameters: the state's effective input. Map's `Parameters` is its ItemSelector, so not here. */
export async function effectiveInput(st: StateDef, input: Json, ctx: ContextObject): Promise<Json> {
  const fields = st.Type === 'Map' ? ['InputPath'] : ['InputPath', 'Parameters'];
  if (!fields.some((f) => f in st)) return input;
  const sm = mini(st, 'pre', () => ({ [SLOT]: { Type: 'Pass', ...pick(st, fields), End: true } }));
  try {
    return await run(sm, input, ctx);
  } catch (err) {
    throw await explainInputSide(err, st, st.Type === 'Map' ? undefined : st.Parameters, input, ctx);
  }
}

/** Why ResultSelector / ResultPath / OutputPath failed. */
function explainOutputSide(err: unknown, st: StateDef, rawInput: Json, result: Json): StateFailure {
  if (isResultPathMismatch(err)) return RuntimeCauses.resultPath(String(st.ResultPath), rawInput);
  const missing = missingPath(err);
  if (missing === undefined) return otherFailure(err);
  const field = templateFieldOf(st.ResultSelector, missing);
  return field ? RuntimeCauses.templatePath(missing, field, result) : RuntimeCauses.invalidPath(missing);
}

/** ResultSelector, ResultPath (against the raw state input), OutputPath: the state's output. */
export async function stateOutput(
  st: StateDef,
  rawInput: Json,
  result: Json,
  ctx: ContextObject,
): Promise<Json> {
  const fields = ['ResultSelector', 'ResultPath', 'OutputPath'];
  if (!fields.some((f) => f in st)) return result;
  const sm = mini(st, 'post', () => ({
    [SLOT]: {
      Type: 'Task',
      Resource: LOCAL_RESOURCE,
      TimeoutSeconds: NO_TIMEOUT_SECONDS,
      ...pick(st, fields),
      End: true,
    },
  }));
  try {
    return await run(sm, rawInput, ctx, { taskResourceLocalHandlers: { [SLOT]: () => result } });
  } catch (err) {
    throw explainOutputSide(err, st, rawInput, result);
  }
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
export async function passThrough(st: StateDef, input: Json, ctx: ContextObject): Promise<Json> {
  const sm = mini(st, 'whole', () => {
    const copy: Record<string, unknown> = { ...st };
    delete copy.Next;
    if (st.Type !== 'Succeed') copy.End = true;
    return { [SLOT]: copy };
  });
  const overrides = st.Type === 'Wait' ? { waitTimeOverrides: { [SLOT]: 0 } } : undefined;
  try {
    return await run(sm, input, ctx, overrides);
  } catch (err) {
    if (isResultPathMismatch(err)) throw RuntimeCauses.resultPath(String(st.ResultPath), input);
    if (missingPath(err) !== undefined && missingPath(err) === st.OutputPath) {
      throw RuntimeCauses.invalidPath(missingPath(err)!);
    }
    throw await explainInputSide(err, st, st.Parameters, input, ctx);
  }
}

/** Evaluate a Choice state: the next state's name and the state's output. */
export async function choose(
  st: StateDef,
  input: Json,
  ctx: ContextObject,
  stateName: string,
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
  try {
    return (await run(sm, input, ctx)) as { next: string; output: Json };
  } catch (err) {
    const inner = innerError(err);
    if (inner instanceof Error && inner.name === 'States.NoChoiceMatched') {
      throw new StateFailure('States.NoChoiceMatched', noChoiceCause(stateName, input));
    }
    const missing = missingPath(err);
    if (missing !== undefined && missing !== st.InputPath && missing !== st.OutputPath) {
      throw RuntimeCauses.choicePath(missing);
    }
    throw missing !== undefined ? RuntimeCauses.invalidPath(missing) : otherFailure(err);
  }
}

/**
 * The cause of States.NoChoiceMatched. AWS documents the error name only; this cause (an assumption)
 * names the state and quotes the input its rules were tested against.
 */
function noChoiceCause(stateName: string, input: Json): string {
  return `No Choice rule of the state '${stateName}' matched its input, and it has no Default. Input: ${JSON.stringify(input)}`;
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
  try {
    return (await run(sm, input, ctx)) as Record<string, Json>;
  } catch (err) {
    const missing = missingPath(err);
    throw missing !== undefined ? RuntimeCauses.invalidPath(missing) : otherFailure(err);
  }
}

/** A Map state's ItemSelector (or legacy Parameters) for one item; `ctx` carries `Map.Item`. */
export async function selectItem(
  st: StateDef,
  mapInput: Json,
  item: Json,
  ctx: ContextObject,
): Promise<Json> {
  const template = st.ItemSelector ?? st.Parameters;
  if (template === undefined) return item;
  const sm = mini(st, 'items', () => ({ [SLOT]: { Type: 'Pass', Parameters: template, End: true } }));
  try {
    return await run(sm, mapInput, ctx);
  } catch (err) {
    const missing = missingPath(err);
    const field = missing === undefined ? undefined : templateFieldOf(template, missing);
    throw field ? RuntimeCauses.templatePath(missing!, field, mapInput) : otherFailure(err);
  }
}

export { RuntimeFailure };
