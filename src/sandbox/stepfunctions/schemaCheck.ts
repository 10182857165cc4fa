/**
 * The States Language JSON schema check (Choice rule operators, intrinsic-function and path syntax,
 * field types), done with the schema of the validator aws-local-stepfunctions ships (compiled once,
 * aslSchemaValidator.ts), after our own structural rules found nothing. Its findings are re-worded
 * as SCHEMA_VALIDATION_FAILED diagnostics at the location it names, so no message mentions the
 * library, its schema names or its internal state-machine ids.
 */
import { aslSchemaFindings } from './aslSchemaValidator.js';
import { error, type Diagnostic } from './diagnostics.js';

const FORMATS: Record<string, string> = {
  asl_path: 'a valid JSONPath',
  asl_ref_path: 'a valid reference path',
  asl_result_path: 'a valid result path',
  asl_payload_template: 'a valid JSONPath or a valid intrinsic function call',
  asl_arn: 'a valid ARN',
  jsonata_string: 'a valid JSONata expression',
};

const REWORDINGS: Array<[RegExp, (...m: string[]) => string]> = [
  [/^must have required property '([^']+)'$/, (_m, f) => `The field '${f}' is required but was missing`],
  [/^must match format "(\w+)"$/, (_m, f) => `Value must be ${FORMATS[f!] ?? 'well formed'}.`],
  [/^must NOT have additional properties$/, () => 'The object has a field that is not supported'],
  [/^must match exactly one schema in oneOf$/, () => 'Value does not have a valid form.'],
  [/^must be equal to one of the allowed values$/, () => 'Value is not one of the allowed values.'],
  [/^must be (\w+)$/, (_m, t) => `Value must be of type ${t}.`],
  [/^must be (>=|<=|>|<) (\S+)$/, (_m, op, n) => `Value must be ${op} ${n}.`],
];

function reword(reason: string): string {
  for (const [re, to] of REWORDINGS) {
    const m = re.exec(reason);
    if (m) return to(...m);
  }
  return `Value is not valid (${reason}).`;
}

/** JSON-pointer array indexes as AWS writes locations: `/Choices/0` → `/Choices[0]`. */
function awsLocation(pointer: string): string {
  if (pointer === '') return '/';
  const out: string[] = [];
  for (const part of pointer.split('/').slice(1)) {
    const prev = out[out.length - 1];
    if (/^\d+$/.test(part) && prev !== undefined && prev !== 'States')
      out[out.length - 1] = `${prev}[${part}]`;
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

/**
 * Results are kept per definition: ValidateStateMachineDefinition then CreateStateMachine of the
 * same definition check once.
 */
const cache = new Map<string, Diagnostic[]>();
const CACHE_SIZE = 200;

/** SCHEMA_VALIDATION_FAILED diagnostics for a parsed definition; empty when the schema holds. */
export function schemaDiagnostics(def: object): Diagnostic[] {
  const key = JSON.stringify(def);
  let found = cache.get(key);
  if (!found) {
    found = check(def);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, found);
  }
  return found.map((d) => ({ ...d }));
}

function check(def: object): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const finding of aslSchemaFindings(def)) {
    const location = awsLocation(finding.instancePath);
    // A state that fails one schema of a `oneOf` also fails the others on Type and QueryLanguage,
    // which our own rules have already checked: those are echoes, not findings.
    if (/\/(Type|QueryLanguage)$/.test(location)) continue;
    const d = error('SCHEMA_VALIDATION_FAILED', reword(finding.message.trim()), location);
    const key = `${d.message}@${d.location}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  }
  return out;
}
