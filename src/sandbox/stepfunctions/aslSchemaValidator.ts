/**
 * The States Language JSON schema, compiled once. asl-validator (which aws-local-stepfunctions runs
 * in its StateMachine constructor) builds a new Ajv and compiles its whole schema on every call:
 * 0.2–2 s of CPU per definition, the bulk of ValidateStateMachineDefinition's and
 * CreateStateMachine's time. This module holds one compiled validator made from asl-validator's own
 * schema files, formats and libraries (resolved from asl-validator itself, so the versions are the
 * ones it ships with), and reports the same findings asl-validator would: its deepest errors, with
 * `oneOf` echoes and repeats (same schema and instance path) removed.
 */
import { createRequire } from 'node:module';

/** One finding as asl-validator words it (without its "SCHEMA_VALIDATION_FAILED: " prefix). */
export interface SchemaFinding {
  instancePath: string;
  message: string;
}

interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  message?: string;
}
interface CompiledValidator {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}
interface AjvInstance {
  addFormat(name: string, test: (value: string) => boolean): void;
  getSchema(ref: string): CompiledValidator | undefined;
}
type AjvConstructor = new (opts: { schemas: object[]; allowUnionTypes: boolean }) => AjvInstance;

const SCHEMA_FILES = [
  'common',
  'paths',
  'jsonata',
  'choice',
  'fail',
  'parallel',
  'pass',
  'base-state-machine',
  'state-machine',
  'state',
  'succeed',
  'task',
  'wait',
  'map',
  'errors',
];
const ROOT_SCHEMA = 'http://asl-validator.cloud/state-machine.json#';

let compiled: CompiledValidator | undefined;

/** asl-validator's Ajv set-up with `checkPaths` and `checkArn` on (as aws-local-stepfunctions calls it). */
function compile(): CompiledValidator {
  const fromValidator = createRequire(createRequire(import.meta.url).resolve('asl-validator'));
  const load = <T>(id: string): T => {
    const mod = fromValidator(id) as { default?: T } & T;
    return mod.default ?? mod;
  };
  const Ajv = load<AjvConstructor>('ajv');
  const addFormats = load<(ajv: AjvInstance) => void>('ajv-formats');
  const jsonata = load<(expr: string) => unknown>('jsonata');
  const { registerAll } = fromValidator('asl-path-validator') as { registerAll: (ajv: AjvInstance) => void };
  const { isArnFormatValid } = fromValidator('./checks/formats') as {
    isArnFormatValid: (v: string) => boolean;
  };
  const ajv = new Ajv({
    schemas: SCHEMA_FILES.map((f) => fromValidator(`./schemas/${f}.json`) as object),
    allowUnionTypes: true,
  });
  addFormats(ajv);
  const validJsonata = (value: string): boolean => {
    let expr = value.trim();
    expr = expr.startsWith('{%') ? expr.slice(2) : expr;
    expr = expr.endsWith('%}') ? expr.slice(0, -2) : expr;
    try {
      jsonata(expr);
      return true;
    } catch {
      return false;
    }
  };
  ajv.addFormat('jsonata_string', validJsonata);
  ajv.addFormat('maybe_jsonata_string', (value) => {
    const t = value.trim();
    return t.startsWith('{%') || t.endsWith('%}') ? validJsonata(t) : true;
  });
  registerAll(ajv);
  ajv.addFormat('asl_arn', isArnFormatValid);
  const validate = ajv.getSchema(ROOT_SCHEMA);
  if (!validate) throw new Error(`asl-validator has no schema ${ROOT_SCHEMA}`);
  return validate;
}

/**
 * Every object under a "States" key, at any depth (asl-validator's `$..States`): each of its states
 * without a QueryLanguage gets the definition's (JSONPath by default), as the schema expects.
 */
function defaultQueryLanguage(node: unknown, language: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) defaultQueryLanguage(item, language);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'States' && typeof value === 'object' && value !== null) {
      for (const state of Object.values(value as Record<string, unknown>)) {
        if (
          typeof state === 'object' &&
          state !== null &&
          !(state as { QueryLanguage?: unknown }).QueryLanguage
        )
          (state as { QueryLanguage?: unknown }).QueryLanguage = language;
      }
    }
    defaultQueryLanguage(value, language);
  }
}

/** The schema's findings for a parsed definition (not modified); empty when it holds. */
export function aslSchemaFindings(def: object): SchemaFinding[] {
  compiled ??= compile();
  const copy = structuredClone(def) as { QueryLanguage?: unknown };
  defaultQueryLanguage(copy, copy.QueryLanguage ?? 'JSONPath');
  if (compiled(copy)) return [];
  // Like asl-validator: only the deepest errors, and where a `oneOf` failed at a path, only that.
  let deepest: AjvError[] = [];
  let depth = 0;
  for (const e of compiled.errors ?? []) {
    const d = e.instancePath.split('/').length;
    if (d === depth) deepest.push(e);
    else if (d > depth) {
      deepest = [e];
      depth = d;
    }
  }
  const oneOfAt = new Set(deepest.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  const seen = new Set<string>();
  const findings: SchemaFinding[] = [];
  for (const e of deepest) {
    if (e.keyword !== 'oneOf' && oneOfAt.has(e.instancePath)) continue;
    const key = JSON.stringify([decodeURIComponent(e.schemaPath), e.instancePath]);
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push({ instancePath: e.instancePath, message: e.message ?? '' });
  }
  return findings;
}
