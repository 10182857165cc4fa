/**
 * State machine definitions: parsed, validated (our structural rules, then the ASL schema check),
 * and prepared for execution (context paths redirected, see contextPaths.ts).
 */
import { AwsError } from '../errors.js';
import { error, errorsOf, invalidDefinition, type Diagnostic } from './diagnostics.js';
import { structuralDiagnostics } from './definitionRules.js';
import { definitionWarnings } from './definitionWarnings.js';
import { schemaDiagnostics } from './schemaCheck.js';
import { machine } from './contextPaths.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface StateDef {
  Type: 'Task' | 'Parallel' | 'Map' | 'Pass' | 'Wait' | 'Choice' | 'Succeed' | 'Fail';
  Next?: string;
  End?: boolean;
  [field: string]: unknown;
}

export interface MachineDef {
  StartAt: string;
  States: Record<string, StateDef>;
  TimeoutSeconds?: number;
  [field: string]: unknown;
}

function invalid(reason: string): AwsError {
  return new AwsError('InvalidDefinition', `Invalid State Machine Definition: '${reason}'`);
}

/** Features AWS has that the interpreter does not: refused at creation rather than misbehaving later. */
function refuseUnsupported(value: unknown, where: string): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => refuseUnsupported(v, `${where}[${i}]`));
    return;
  }
  const obj = value as Record<string, unknown>;
  if (obj.QueryLanguage === 'JSONata') {
    throw invalid(
      `UNSUPPORTED_FEATURE: QueryLanguage JSONata at ${where || '/'} is not supported by the sandbox; use JSONPath`,
    );
  }
  if ('Assign' in obj && typeof obj.Type === 'string') {
    throw invalid(`UNSUPPORTED_FEATURE: 'Assign' (variables) at ${where} is not supported by the sandbox`);
  }
  for (const [k, v] of Object.entries(obj)) refuseUnsupported(v, `${where}/${k}`);
}

/** Deepest JSON nesting a definition may have (far beyond any real one). */
const MAX_JSON_DEPTH = 256;

/** How deeply a parsed JSON value nests, measured without recursion. */
function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * Every diagnostic AWS would give the definition text (ERRORs and WARNINGs), in AWS's order:
 * JSON, then the structural rules, then the schema check (only once the structure holds).
 */
export function definitionDiagnostics(text: string): Diagnostic[] {
  if (text.trim() === '') return [error('MISSING_DESCRIPTION', 'Received a null or empty workflow input.')];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return [error('INVALID_JSON_DESCRIPTION', (err as Error).message)];
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return [error('SCHEMA_VALIDATION_FAILED', 'The definition must be a JSON object', '/')];
  }
  if (nestingDepth(parsed) > MAX_JSON_DEPTH) {
    // Checked before any recursive walk, so a hostile definition cannot exhaust the stack.
    return [error('TOO_DEEPLY_NESTED', 'The definition is nested too deeply', '/')];
  }
  const def = parsed as Record<string, unknown>;
  const structural = structuralDiagnostics(def);
  const errors = structural.length > 0 ? structural : schemaDiagnostics(def);
  return [...errors, ...definitionWarnings(def)];
}

/** Parse and validate as CreateStateMachine does; throws `InvalidDefinition` listing every error. */
export function validateDefinition(text: string): MachineDef {
  const errors = errorsOf(definitionDiagnostics(text));
  if (errors.length > 0) throw invalidDefinition(errors);
  const parsed = JSON.parse(text) as MachineDef;
  refuseUnsupported(parsed, '');
  return parsed;
}

const prepared = new Map<string, MachineDef>();

/** The definition ready to run, cached by its text (parsing is cheap; the cache keeps state identity stable). */
export function preparedDefinition(text: string): MachineDef {
  let def = prepared.get(text);
  if (!def) {
    def = machine(JSON.parse(text) as MachineDef);
    if (prepared.size > 500) prepared.clear();
    prepared.set(text, def);
  }
  return def;
}

/** Task resources the sandbox can run; anything else is refused at creation with a clear reason. */
export function checkSupportedResources(def: MachineDef): void {
  const visit = (states: Record<string, StateDef>): void => {
    for (const [name, st] of Object.entries(states)) {
      if (st.Type === 'Task') {
        const r = String(st.Resource);
        const ok =
          r === 'arn:aws:states:::lambda:invoke' ||
          /^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:[^:]+(:[^:]+)?$/.test(r);
        if (!ok) {
          throw invalid(
            `SCHEMA_VALIDATION_FAILED: The resource provided ${r} at /States/${name}/Resource is not supported by the sandbox, which runs arn:aws:states:::lambda:invoke and Lambda function ARNs`,
          );
        }
      }
      for (const b of (st.Branches as MachineDef[] | undefined) ?? []) visit(b.States);
      const processor = (st.ItemProcessor ?? st.Iterator) as MachineDef | undefined;
      if (processor) visit(processor.States);
    }
  };
  visit(def.States);
}
