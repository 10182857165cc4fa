/**
 * The States Language JSON schema, compiled ahead of time. asl-validator (which aws-local-stepfunctions
 * runs in its StateMachine constructor) builds a new Ajv and compiles its whole schema on every call:
 * 0.3–3 s of CPU per definition, the bulk of ValidateStateMachineDefinition's and
 * CreateStateMachine's time. Here the same schema files, formats and libraries (resolved from
 * asl-validator itself, so the versions are the ones it ships with) are compiled by `npm run build`
 * into standalone code next to this module (Ajv's standalone output, `writePrecompiledAslSchema`),
 * which loads in milliseconds; without it (tests run from src/) the schema is compiled once per
 * process. Either way the findings are asl-validator's: its deepest errors, with `oneOf` echoes and
 * repeats (same schema and instance path) removed.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
type AjvConstructor = new (opts: {
  schemas: object[];
  allowUnionTypes: boolean;
  code?: { source: boolean; formats: unknown };
}) => AjvInstance;
type Formats = Record<string, (value: string) => boolean>;

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

/** Where `npm run build` puts the standalone validator (next to this module). */
export const PRECOMPILED_FILE = 'aslSchema.precompiled.cjs';

/** `require` as asl-validator's own code resolves: its schemas, and the libraries it depends on. */
const fromValidator = (): NodeJS.Require =>
  createRequire(createRequire(import.meta.url).resolve('asl-validator'));

function load<T>(req: NodeJS.Require, id: string): T {
  const mod = req(id) as { default?: T } & T;
  return mod.default ?? mod;
}

/**
 * The formats asl-validator registers with `checkPaths` and `checkArn` on (as aws-local-stepfunctions
 * calls it), and ajv-formats' date-time, by name.
 */
function aslFormats(req: NodeJS.Require): Formats {
  const jsonata = load<(expr: string) => unknown>(req, 'jsonata');
  const { fullFormats } = req('ajv-formats/dist/formats') as {
    fullFormats: Record<string, { validate: (value: string) => boolean }>;
  };
  const paths: Formats = {};
  const { registerAll } = req('asl-path-validator') as { registerAll: (ajv: AjvInstance) => void };
  registerAll({ addFormat: (name, test) => (paths[name] = test), getSchema: () => undefined });
  const { isArnFormatValid } = req('./checks/formats') as { isArnFormatValid: (v: string) => boolean };
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
  return {
    'date-time': fullFormats['date-time']!.validate,
    ...paths,
    asl_arn: isArnFormatValid,
    jsonata_string: validJsonata,
    maybe_jsonata_string: (value) => {
      const t = value.trim();
      return t.startsWith('{%') || t.endsWith('%}') ? validJsonata(t) : true;
    },
  };
}

/** asl-validator's Ajv with every schema and format; `source` keeps the code for standalone output. */
function aslAjv(source: boolean): AjvInstance {
  const req = fromValidator();
  const Ajv = load<AjvConstructor>(req, 'ajv');
  const { _ } = req('ajv') as { _: (strings: TemplateStringsArray, ...args: unknown[]) => unknown };
  const ajv = new Ajv({
    schemas: SCHEMA_FILES.map((f) => req(`./schemas/${f}.json`) as object),
    allowUnionTypes: true,
    // The standalone code names the formats by this identifier (the factory's parameter, below).
    ...(source ? { code: { source: true, formats: _`aslFormats` } } : {}),
  });
  for (const [name, test] of Object.entries(aslFormats(req))) ajv.addFormat(name, test);
  return ajv;
}

function rootValidator(ajv: AjvInstance): CompiledValidator {
  const validate = ajv.getSchema(ROOT_SCHEMA);
  if (!validate) throw new Error(`asl-validator has no schema ${ROOT_SCHEMA}`);
  return validate;
}

/**
 * Write the standalone validator into `dir` (the build's copy of this module's folder), as a
 * CommonJS module exporting `(formats) => validate`: formats are functions, given when it loads.
 */
export function writePrecompiledAslSchema(dir: string): void {
  const ajv = aslAjv(true);
  const standalone = load<(ajv: AjvInstance, v: CompiledValidator) => string>(
    fromValidator(),
    'ajv/dist/standalone',
  );
  const code = standalone(ajv, rootValidator(ajv));
  fs.writeFileSync(
    path.join(dir, PRECOMPILED_FILE),
    "// Generated by npm run build (aslSchemaValidator.ts): asl-validator's schema, compiled by Ajv.\n" +
      "'use strict';\nmodule.exports = function (aslFormats) {\n" +
      `const module = { exports: {} };\nconst exports = module.exports;\n${code}\nreturn module.exports;\n};\n`,
  );
}

let compiled: CompiledValidator | undefined;

/** The build's standalone validator next to this module, if there is one. */
function precompiled(): CompiledValidator | undefined {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), PRECOMPILED_FILE);
  return fs.existsSync(file) ? loadPrecompiled(file) : undefined;
}

/** A standalone validator written by writePrecompiledAslSchema. */
function loadPrecompiled(file: string): CompiledValidator {
  const make = createRequire(import.meta.url)(file) as (
    formats: Formats,
  ) => { default?: CompiledValidator } & CompiledValidator;
  const made = make(aslFormats(fromValidator()));
  return made.default ?? made;
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
  compiled ??= precompiled() ?? rootValidator(aslAjv(false));
  return findings(compiled, def);
}

/** Findings with the standalone validator in `file` (tests: the build's output finds the same). */
export function precompiledAslSchemaFindings(file: string): (def: object) => SchemaFinding[] {
  const validate = loadPrecompiled(file);
  return (def) => findings(validate, def);
}

function findings(compiled: CompiledValidator, def: object): SchemaFinding[] {
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
