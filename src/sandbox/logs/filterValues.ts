/**
 * The pieces every filter pattern form shares: the error for a pattern CloudWatch Logs would refuse,
 * `%regex%` values (the subset of regular expressions filter patterns allow), and how a pattern's
 * value (a number, a string with `*` at either end, a regex) compares with a field.
 */
import { createRequire } from 'node:module';
import type { RE2JS as RE2JSClass } from 're2js';
import { AwsError } from '../errors.js';

/** re2js, loaded on first use: most sandboxes never see a regex, and it takes a while to load. */
let re2: typeof RE2JSClass | undefined;
function RE2(): typeof RE2JSClass {
  re2 ??= (createRequire(import.meta.url)('re2js') as { RE2JS: typeof RE2JSClass }).RE2JS;
  return re2;
}

export function invalidPattern(): AwsError {
  return new AwsError('InvalidParameterException', 'Invalid filter pattern', 400);
}

/**
 * Regexes may use letters, digits, the symbols `: _ # = @ / ; , -` and the operators
 * `^ $ ? [ ] { } | \ * + .`; not parentheses, not multi-byte characters ("Supported regular
 * expressions (regex) syntax", CloudWatch Logs user guide).
 */
const REGEX_CHARS = /^[A-Za-z0-9:_#=@/;,\-^$?[\]{}|\\*+.]+$/;

/** A compiled `%regex%`: does it match anywhere in the text? */
export interface FilterRegex {
  test(text: string): boolean;
}

/**
 * Compile the text between `%…%`; throws InvalidParameterException for what AWS refuses. RE2
 * semantics (re2js): matching takes linear time, so a hostile pattern such as `%a*a*a*a*a*c%` cannot
 * stall the sandbox the way a backtracking JavaScript RegExp would.
 */
export function compileRegex(source: string): FilterRegex {
  if (source.length === 0 || !REGEX_CHARS.test(source)) throw invalidPattern();
  try {
    const compiled = RE2().compile(source);
    return { test: (text) => compiled.test(text) };
  } catch {
    throw invalidPattern();
  }
}

/** At most two regexes in a JSON or space-delimited pattern. */
export const MAX_REGEX_PER_PATTERN = 2;

export type PatternValue =
  | { kind: 'number'; value: number; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'regex'; regex: FilterRegex };

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** A pattern's value as written: `"quoted"`, `%regex%`, a number, or a bare string. */
export function patternValue(raw: string): PatternValue {
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) {
    return { kind: 'string', value: raw.slice(1, -1).replace(/\\(.)/g, '$1') };
  }
  if (raw.length >= 2 && raw.startsWith('%') && raw.endsWith('%')) {
    return { kind: 'regex', regex: compileRegex(raw.slice(1, -1)) };
  }
  if (NUMBER.test(raw)) return { kind: 'number', value: Number(raw), text: raw };
  if (raw === '' || /[\s"]/.test(raw)) throw invalidPattern();
  return { kind: 'string', value: raw };
}

/** `*` at the start and/or end matches any text there; elsewhere it is a literal asterisk. */
export function wildcardEquals(pattern: string, text: string): boolean {
  if (pattern === '*') return true;
  const lead = pattern.startsWith('*');
  const trail = pattern.length > 1 && pattern.endsWith('*');
  const core = pattern.slice(lead ? 1 : 0, trail ? -1 : undefined);
  if (lead && trail) return text.includes(core);
  if (lead) return text.endsWith(core);
  if (trail) return text.startsWith(core);
  return text === core;
}

export type Operator = '=' | '!=' | '<' | '>' | '<=' | '>=';

export function isNumeric(text: string): boolean {
  return NUMBER.test(text.trim());
}

/**
 * Compare a field (its text, and its number when it is one) with a pattern value. Ordering operators
 * need numbers on both sides; `=`/`!=` compare numbers as numbers and anything else as text.
 */
export function compareValue(op: Operator, field: string | number, v: PatternValue): boolean {
  const fieldNumber = typeof field === 'number' ? field : isNumeric(field) ? Number(field) : undefined;
  if (op !== '=' && op !== '!=') {
    if (v.kind !== 'number' || fieldNumber === undefined) return false;
    switch (op) {
      case '<':
        return fieldNumber < v.value;
      case '>':
        return fieldNumber > v.value;
      case '<=':
        return fieldNumber <= v.value;
      default:
        return fieldNumber >= v.value;
    }
  }
  const text = String(field);
  let equal: boolean;
  if (v.kind === 'number') equal = fieldNumber !== undefined ? fieldNumber === v.value : text === v.text;
  else if (v.kind === 'regex') equal = v.regex.test(text);
  else equal = wildcardEquals(v.value, text);
  return op === '=' ? equal : !equal;
}
