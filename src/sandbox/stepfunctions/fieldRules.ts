/**
 * Rules for individual fields of a state, shared by the structural check: numbers, paths, payload
 * templates, and the Retry and Catch arrays (ErrorEquals, States.ALL alone and last).
 */
import { error, type Diagnostic } from './diagnostics.js';
import { PATH_FIELDS, PATH_OR_INTRINSIC_FIELDS } from './stateFields.js';

type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
export const required = (field: string): string => `The field '${field}' is required but was missing`;
export const isPositiveInt = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v > 0;
export const isNonNegativeInt = (v: unknown): boolean =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isPath = (v: string): boolean => v.startsWith('$');
const isIntrinsic = (v: string): boolean => /^States\.[A-Za-z]+\(.*\)$/s.test(v);

export function positive(out: Diagnostic[], st: Obj, field: string, loc: string): void {
  if (field in st && !isPositiveInt(st[field])) {
    out.push(
      error(
        'SCHEMA_VALIDATION_FAILED',
        `The value for the field '${field}' must be a positive integer`,
        `${loc}/${field}`,
      ),
    );
  }
}

export function paths(out: Diagnostic[], st: Obj, loc: string): void {
  for (const f of PATH_FIELDS) {
    const v = st[f];
    // InputPath, OutputPath and ResultPath may be null (discard); the others must be strings.
    if (!(f in st) || (v === null && ['InputPath', 'OutputPath', 'ResultPath'].includes(f))) continue;
    if (typeof v !== 'string' || !isPath(v))
      out.push(
        error(
          'SCHEMA_VALIDATION_FAILED',
          // AWS's wording for a path field ("Value must be a valid JSONPath. at /States/…").
          'Value must be a valid JSONPath.',
          `${loc}/${f}`,
        ),
      );
  }
  for (const f of PATH_OR_INTRINSIC_FIELDS) {
    const v = st[f];
    if (f in st && (typeof v !== 'string' || !(isPath(v) || isIntrinsic(v)))) {
      out.push(
        error(
          'SCHEMA_VALIDATION_FAILED',
          `The value for the field '${f}' must be a valid JSONPath or a valid intrinsic function call`,
          `${loc}/${f}`,
        ),
      );
    }
  }
}

/** `<key>.$` members of a payload template hold a path or an intrinsic function call. */
export function template(out: Diagnostic[], value: unknown, loc: string): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => template(out, v, `${loc}[${i}]`));
    return;
  }
  if (!isObj(value)) return;
  for (const [k, v] of Object.entries(value)) {
    if (k.endsWith('.$')) {
      if (typeof v !== 'string' || !(isPath(v) || isIntrinsic(v))) {
        out.push(
          error(
            'SCHEMA_VALIDATION_FAILED',
            `The value for the field '${k}' must be a valid JSONPath or a valid intrinsic function call`,
            `${loc}/${k}`,
          ),
        );
      }
    } else {
      template(out, v, `${loc}/${k}`);
    }
  }
}

function errorEquals(out: Diagnostic[], entry: Obj, loc: string): void {
  const names = entry.ErrorEquals;
  if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string')) {
    out.push(
      error(
        'SCHEMA_VALIDATION_FAILED',
        "The field 'ErrorEquals' must be a non-empty array of strings",
        `${loc}/ErrorEquals`,
      ),
    );
  } else if (names.includes('States.ALL') && names.length > 1) {
    out.push(
      error(
        'SCHEMA_VALIDATION_FAILED',
        "'States.ALL' must appear alone in 'ErrorEquals'",
        `${loc}/ErrorEquals`,
      ),
    );
  }
}

/** A retrier or catcher with States.ALL must be the last one (ASL). */
function allIsLast(out: Diagnostic[], list: unknown[], loc: string): void {
  list.forEach((entry, i) => {
    if (
      i < list.length - 1 &&
      isObj(entry) &&
      Array.isArray(entry.ErrorEquals) &&
      entry.ErrorEquals.includes('States.ALL')
    ) {
      out.push(
        error(
          'SCHEMA_VALIDATION_FAILED',
          "'States.ALL' must appear in the last element",
          `${loc}[${i}]/ErrorEquals`,
        ),
      );
    }
  });
}

export function retriers(out: Diagnostic[], value: unknown, loc: string): void {
  if (!Array.isArray(value)) {
    out.push(error('SCHEMA_VALIDATION_FAILED', "The value for the field 'Retry' must be an array", loc));
    return;
  }
  value.forEach((r, i) => {
    const at = `${loc}[${i}]`;
    if (!isObj(r)) return void out.push(error('SCHEMA_VALIDATION_FAILED', 'A retrier must be an object', at));
    errorEquals(out, r, at);
    if ('MaxAttempts' in r && !isNonNegativeInt(r.MaxAttempts))
      out.push(
        error(
          'SCHEMA_VALIDATION_FAILED',
          "The value for the field 'MaxAttempts' must be a non-negative integer",
          `${at}/MaxAttempts`,
        ),
      );
    if ('IntervalSeconds' in r && !isPositiveInt(r.IntervalSeconds))
      out.push(
        error(
          'SCHEMA_VALIDATION_FAILED',
          "The value for the field 'IntervalSeconds' must be a positive integer",
          `${at}/IntervalSeconds`,
        ),
      );
    if ('BackoffRate' in r && !(typeof r.BackoffRate === 'number' && r.BackoffRate >= 1))
      out.push(
        error(
          'SCHEMA_VALIDATION_FAILED',
          "The value for the field 'BackoffRate' must be a number greater than or equal to 1",
          `${at}/BackoffRate`,
        ),
      );
  });
  allIsLast(out, value, loc);
}

export function catchers(out: Diagnostic[], value: unknown, loc: string): void {
  if (!Array.isArray(value)) {
    out.push(error('SCHEMA_VALIDATION_FAILED', "The value for the field 'Catch' must be an array", loc));
    return;
  }
  value.forEach((c, i) => {
    const at = `${loc}[${i}]`;
    if (!isObj(c)) return void out.push(error('SCHEMA_VALIDATION_FAILED', 'A catcher must be an object', at));
    errorEquals(out, c, at);
    if (typeof c.Next !== 'string') out.push(error('SCHEMA_VALIDATION_FAILED', required('Next'), at));
    if (
      'ResultPath' in c &&
      c.ResultPath !== null &&
      (typeof c.ResultPath !== 'string' || !isPath(c.ResultPath))
    )
      out.push(error('SCHEMA_VALIDATION_FAILED', 'Value must be a valid JSONPath.', `${at}/ResultPath`));
  });
  allIsLast(out, value, loc);
}
