/**
 * The context object (`$$`) reaches aws-local-stepfunctions under one hidden member, because the
 * library overwrites `$$.Execution.Input` and `$$.Execution.StartTime` with values of the one-state
 * machines we run (see evaluator.ts). A prepared definition therefore reads `$$…` as
 * `$$.<hidden>…` — but only where the States Language evaluates a path: `.$` template members
 * (including the arguments of intrinsic functions), the `…Path` fields, and Choice rules. Literal
 * strings that merely contain `$$.` (a Result, a plain template member, a Comment) are untouched.
 */
import type { MachineDef, StateDef } from './definition.js';

/** The member of the library's context object that holds the real one. */
export const CONTEXT_KEY = 'SandboxContext';
const HIDDEN = `$$.${CONTEXT_KEY}`;

/** Fields of a state that hold a path (or, for ErrorPath/CausePath, an intrinsic function). */
const PATH_FIELDS = [
  'InputPath',
  'OutputPath',
  'ItemsPath',
  'SecondsPath',
  'TimestampPath',
  'TimeoutSecondsPath',
  'HeartbeatSecondsPath',
  'MaxConcurrencyPath',
  'ToleratedFailureCountPath',
  'ToleratedFailurePercentagePath',
  'ErrorPath',
  'CausePath',
];
const TEMPLATE_FIELDS = ['Parameters', 'ResultSelector', 'ItemSelector'];

/** `$$` tokens of a path or intrinsic function call, outside quoted string literals, redirected. */
export function redirectContext(expr: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i]!;
    if (c === '\\' && quoted) {
      out += c + (expr[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === "'") quoted = !quoted;
    if (!quoted && c === '$' && expr[i + 1] === '$') {
      out += HIDDEN;
      i++;
      continue;
    }
    out += c;
  }
  return out;
}

/** A path as the author wrote it, for messages (the inverse of `redirectContext`). */
export function authorPath(expr: string): string {
  return expr.split(HIDDEN).join('$$');
}

function template(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(template);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k.endsWith('.$') && typeof v === 'string' ? redirectContext(v) : template(v),
    ]),
  );
}

function choiceRule(rule: unknown): unknown {
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) return rule;
  return Object.fromEntries(
    Object.entries(rule).map(([k, v]) => {
      if ((k === 'Variable' || k.endsWith('Path')) && typeof v === 'string') return [k, redirectContext(v)];
      if (k === 'And' || k === 'Or') return [k, Array.isArray(v) ? v.map(choiceRule) : v];
      if (k === 'Not') return [k, choiceRule(v)];
      return [k, v];
    }),
  );
}

function state(st: StateDef): StateDef {
  const out: StateDef = { ...st };
  for (const f of PATH_FIELDS) if (typeof st[f] === 'string') out[f] = redirectContext(st[f]);
  for (const f of TEMPLATE_FIELDS) if (f in st) out[f] = template(st[f]);
  if (Array.isArray(st.Choices)) out.Choices = st.Choices.map(choiceRule);
  if (Array.isArray(st.Branches)) out.Branches = (st.Branches as MachineDef[]).map(machine);
  for (const f of ['ItemProcessor', 'Iterator']) if (st[f]) out[f] = machine(st[f] as MachineDef);
  return out;
}

/** A definition whose context paths read the hidden member. */
export function machine(def: MachineDef): MachineDef {
  return {
    ...def,
    States: Object.fromEntries(Object.entries(def.States).map(([name, st]) => [name, state(st)])),
  };
}
