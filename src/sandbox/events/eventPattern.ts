/**
 * EventBridge event patterns: validation (with EventBridge's own reasons) and matching.
 *
 * Semantics follow AWS's content-filtering documentation and the open-source engine behind it
 * (aws/event-ruler): fields AND, values in a list OR, arrays in the event match if any element
 * matches, objects inside event arrays are matched element by element (a pattern never combines
 * fields from different elements), `exists` looks at leaves only, and `$or` forks the pattern.
 */
import { AwsError } from '../errors.js';
import { CidrError, ipInRange, parseCidr, parseIp, type IpRange } from './ipAddress.js';
import { compileWildcard, WildcardSyntaxError } from './wildcard.js';

type Scalar = string | number | boolean | null;

type ValueMatcher =
  | { kind: 'exact'; value: Scalar; ip?: number[] }
  | { kind: 'prefix'; value: string; ignoreCase: boolean }
  | { kind: 'suffix'; value: string; ignoreCase: boolean }
  | { kind: 'equalsIgnoreCase'; value: string }
  | { kind: 'wildcard'; regex: RegExp }
  | { kind: 'numeric'; low?: number; lowOpen: boolean; high?: number; highOpen: boolean }
  | { kind: 'cidr'; range: IpRange }
  | { kind: 'exists'; present: boolean }
  | { kind: 'anythingBut'; values: Scalar[] }
  | { kind: 'anythingButMatch'; inner: ValueMatcher[] };

type FieldPattern = { kind: 'object'; pattern: ObjectPattern } | { kind: 'leaf'; matchers: ValueMatcher[] };

interface ObjectPattern {
  fields: Array<[string, FieldPattern]>;
  /** Each `$or` at this level: the node must match at least one branch. */
  ors: ObjectPattern[][];
}

/** Raised for a pattern EventBridge would refuse; `reason` is EventBridge's wording. */
export class InvalidPatternError extends Error {
  override readonly name = 'InvalidPatternError';
  constructor(readonly reason: string) {
    super(reason);
  }
}

const NUMERIC_LIMIT = 5e9;
const OR_KEY = '$or';
const RESERVED_IN_OR = new Set([
  'anything-but',
  'exists',
  'prefix',
  'suffix',
  'numeric',
  'cidr',
  'equals-ignore-case',
  'wildcard',
]);

function fail(reason: string): never {
  throw new InvalidPatternError(reason);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Six decimals and ±5e9, the precision EventBridge compares numbers at. */
function checkComparable(n: number): void {
  const text = String(n);
  const exp = /e-(\d+)$/.exec(text);
  const decimals = exp
    ? Number(exp[1]) + (text.split('e')[0]!.split('.')[1]?.length ?? 0)
    : (text.split('.')[1]?.length ?? 0);
  if (decimals > 6) fail(`Only values upto 6 decimals are supported ${text}`);
  if (Math.abs(n) > NUMERIC_LIMIT) fail('Value must be between -5000000000 and 5000000000, inclusive');
}

// ---- compiling ---------------------------------------------------------------------------------

function compileObject(obj: Record<string, unknown>, insideOr: boolean): ObjectPattern {
  const keys = Object.keys(obj);
  if (keys.length === 0) fail('Empty objects are not allowed');
  const out: ObjectPattern = { fields: [], ors: [] };
  for (const key of keys) {
    const value = obj[key];
    if (key === OR_KEY) {
      out.ors.push(compileOr(value));
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key)) {
      fail(`${key} is Ruler reserved fieldName which cannot be used inside ${OR_KEY}.`);
    }
    if (Array.isArray(value)) out.fields.push([key, { kind: 'leaf', matchers: compileValueList(value) }]);
    else if (isPlainObject(value))
      out.fields.push([key, { kind: 'object', pattern: compileObject(value, insideOr) }]);
    else fail(`"${key}" must be an object or an array`);
  }
  return out;
}

function compileOr(value: unknown): ObjectPattern[] {
  if (!Array.isArray(value)) fail(`It must be an Array followed with ${OR_KEY}.`);
  const branches = value.map((b) => {
    if (!isPlainObject(b)) fail(`Only JSON object is allowed in array of ${OR_KEY} relationship.`);
    return compileObject(b, true);
  });
  if (branches.length < 2) fail(`There must have at least 2 Objects in ${OR_KEY} relationship.`);
  return branches;
}

function compileValueList(list: unknown[]): ValueMatcher[] {
  if (list.length === 0) fail('Empty arrays are not allowed');
  return list.map((item): ValueMatcher => {
    if (isPlainObject(item)) return compileExpression(item);
    if (Array.isArray(item)) fail('Match value must be String, number, true, false, or null');
    if (typeof item === 'string') return { kind: 'exact', value: item, ip: parseIp(item) };
    return { kind: 'exact', value: item as Scalar };
  });
}

function onlyKey(expr: Record<string, unknown>, tooMany = 'Only one key allowed in match expression'): void {
  if (Object.keys(expr).length > 1) fail(tooMany);
}

function requireString(v: unknown, reason: string): string {
  if (typeof v !== 'string') fail(reason);
  return v;
}

function compileExpression(expr: Record<string, unknown>): ValueMatcher {
  const [op] = Object.keys(expr);
  if (op === undefined) fail('Match expression name not found');
  const arg = expr[op];
  switch (op) {
    case 'prefix':
    case 'suffix': {
      if (isPlainObject(arg)) {
        const [inner] = Object.keys(arg);
        if (inner === undefined) fail(`${op === 'prefix' ? 'Prefix' : 'Suffix'} expression name not found`);
        if (inner !== 'equals-ignore-case') fail(`Unsupported ${op} pattern: ${inner}`);
        const value = requireString(arg[inner], 'equals-ignore-case match pattern must be a string');
        onlyKey(arg);
        onlyKey(expr);
        return { kind: op, value, ignoreCase: true };
      }
      const value = requireString(arg, `${op} match pattern must be a string`);
      onlyKey(expr);
      return { kind: op, value, ignoreCase: false };
    }
    case 'equals-ignore-case':
      onlyKey(expr);
      return {
        kind: 'equalsIgnoreCase',
        value: requireString(arg, 'equals-ignore-case match pattern must be a string'),
      };
    case 'wildcard':
      onlyKey(expr);
      return {
        kind: 'wildcard',
        regex: wildcardOrFail(requireString(arg, 'wildcard match pattern must be a string')),
      };
    case 'exists':
      if (typeof arg !== 'boolean') fail('exists match pattern must be either true or false.');
      onlyKey(expr);
      return { kind: 'exists', present: arg };
    case 'cidr': {
      const text = requireString(arg, 'prefix match pattern must be a string');
      onlyKey(expr);
      try {
        return { kind: 'cidr', range: parseCidr(text) };
      } catch (err) {
        if (err instanceof CidrError) fail(err.message);
        throw err;
      }
    }
    case 'numeric':
      if (!Array.isArray(arg)) fail('Value of numeric must be an array.');
      onlyKey(expr, 'Too many elements in numeric expression');
      return compileNumeric(arg);
    case 'anything-but':
      onlyKey(expr, 'Too many elements in numeric expression');
      return compileAnythingBut(arg);
    default:
      return fail(`Unrecognized match type ${op}`);
  }
}

function wildcardOrFail(value: string): RegExp {
  try {
    return compileWildcard(value);
  } catch (err) {
    if (err instanceof WildcardSyntaxError) fail(err.message);
    throw err;
  }
}

function compileNumeric(terms: unknown[]): ValueMatcher {
  const [op, value, op2, value2, ...extra] = terms;
  if (typeof op !== 'string') fail(`Invalid member in numeric match: ${show(op)}`);
  if (!['=', '<', '<=', '>', '>='].includes(op)) fail(`Unrecognized numeric range operator: ${op}`);
  if (typeof value !== 'number') fail(`Value of ${op} must be numeric`);
  checkComparable(value);
  if (op === '=' || op === '<' || op === '<=') {
    if (terms.length > 2) fail('Too many elements in numeric expression');
    if (op === '=') return { kind: 'numeric', low: value, lowOpen: false, high: value, highOpen: false };
    return { kind: 'numeric', high: value, highOpen: op === '<', lowOpen: false };
  }
  if (terms.length === 2) return { kind: 'numeric', low: value, lowOpen: op === '>', highOpen: false };
  if (typeof op2 !== 'string') fail(`Bad value in numeric range: ${show(op2)}`);
  if (op2 !== '<' && op2 !== '<=') fail(`Bad numeric range operator: ${op2}`);
  if (typeof value2 !== 'number') fail(`Value of ${op2} must be numeric`);
  checkComparable(value2);
  if (extra.length > 0) fail('Too many terms in numeric range expression');
  if (value2 <= value) fail('Bottom must be less than top');
  return { kind: 'numeric', low: value, lowOpen: op === '>', high: value2, highOpen: op2 === '<' };
}

function compileAnythingBut(arg: unknown): ValueMatcher {
  if (isPlainObject(arg)) {
    const [inner] = Object.keys(arg);
    if (inner === undefined) fail('Anything-But expression name not found');
    if (!['equals-ignore-case', 'prefix', 'suffix', 'wildcard'].includes(inner)) {
      fail(`Unsupported anything-but pattern: ${inner}`);
    }
    const raw = arg[inner];
    const values = Array.isArray(raw) ? raw : [raw];
    if (!Array.isArray(raw) && typeof raw !== 'string' && typeof raw !== 'number') {
      fail('Value of anything-but must be an array or single string/number value.');
    }
    const wrongType =
      inner === 'equals-ignore-case'
        ? 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'
        : inner === 'wildcard'
          ? 'wildcard match pattern must be a string'
          : 'prefix/suffix match pattern must be a string';
    const inners = values.map((v): ValueMatcher => {
      if (typeof v !== 'string') fail(wrongType);
      if ((inner === 'prefix' || inner === 'suffix') && v === '') fail('Null prefix/suffix not allowed');
      if (inner === 'equals-ignore-case') return { kind: 'equalsIgnoreCase', value: v };
      if (inner === 'wildcard') return { kind: 'wildcard', regex: wildcardOrFail(v) };
      return { kind: inner as 'prefix' | 'suffix', value: v, ignoreCase: false };
    });
    if (Object.keys(arg).length > 1) fail('Too many elements in numeric expression');
    return { kind: 'anythingButMatch', inner: inners };
  }
  if (Array.isArray(arg)) {
    const numbers = arg.filter((v) => typeof v === 'number').length;
    const strings = arg.filter((v) => typeof v === 'string').length;
    if (numbers + strings !== arg.length)
      fail('Inside anything but list, start|null|boolean is not supported.');
    if ((numbers > 0 && strings > 0) || arg.length === 0) {
      fail('Inside anything but list, either all values are number or string, mixed type is not supported');
    }
    for (const v of arg) if (typeof v === 'number') checkComparable(v);
    return { kind: 'anythingBut', values: arg as Scalar[] };
  }
  if (typeof arg === 'string') return { kind: 'anythingBut', values: [arg] };
  if (typeof arg === 'number') {
    checkComparable(arg);
    return { kind: 'anythingBut', values: [arg] };
  }
  return fail('Value of anything-but must be an array or single string/number value.');
}

// ---- matching ----------------------------------------------------------------------------------

function lower(s: string): string {
  return s.toLowerCase();
}

function matchesValue(m: ValueMatcher, v: Scalar): boolean {
  switch (m.kind) {
    case 'exact':
      if (typeof m.value === 'string' && m.ip && typeof v === 'string') {
        const ip = parseIp(v);
        if (ip) return ipInRange(ip, { low: m.ip, high: m.ip });
      }
      return v === m.value;
    case 'prefix':
      return (
        typeof v === 'string' && (m.ignoreCase ? lower(v).startsWith(lower(m.value)) : v.startsWith(m.value))
      );
    case 'suffix':
      return (
        typeof v === 'string' && (m.ignoreCase ? lower(v).endsWith(lower(m.value)) : v.endsWith(m.value))
      );
    case 'equalsIgnoreCase':
      return typeof v === 'string' && lower(v) === lower(m.value);
    case 'wildcard':
      return typeof v === 'string' && m.regex.test(v);
    case 'numeric':
      if (typeof v !== 'number' || Math.abs(v) > NUMERIC_LIMIT) return false;
      if (m.low !== undefined && (m.lowOpen ? v <= m.low : v < m.low)) return false;
      if (m.high !== undefined && (m.highOpen ? v >= m.high : v > m.high)) return false;
      return true;
    case 'cidr': {
      const ip = typeof v === 'string' ? parseIp(v) : undefined;
      return ip !== undefined && ipInRange(ip, m.range);
    }
    case 'exists':
      return m.present;
    case 'anythingBut':
      return !m.values.includes(v);
    case 'anythingButMatch':
      return !m.inner.some((inner) => matchesValue(inner, v));
  }
}

/** The scalar leaves of an event value: itself, or the scalars of a (nested) array; objects are not leaves. */
function leavesOf(value: unknown, out: Scalar[] = []): Scalar[] {
  if (Array.isArray(value)) for (const v of value) leavesOf(v, out);
  else if (value !== undefined && !isPlainObject(value)) out.push(value as Scalar);
  return out;
}

function matchesLeaf(matchers: ValueMatcher[], value: unknown): boolean {
  const leaves = leavesOf(value);
  if (leaves.length === 0) return matchers.some((m) => m.kind === 'exists' && !m.present);
  return matchers.some((m) =>
    m.kind === 'exists' ? m.present : leaves.some((leaf) => matchesValue(m, leaf)),
  );
}

/** Object elements of an event value (arrays flattened); a missing or scalar value counts as `{}`. */
function objectsOf(value: unknown, out: Array<Record<string, unknown>> = []): Array<Record<string, unknown>> {
  if (Array.isArray(value)) for (const v of value) objectsOf(v, out);
  else out.push(isPlainObject(value) ? value : {});
  return out;
}

function matchesObjectNode(p: ObjectPattern, node: Record<string, unknown>): boolean {
  for (const [name, field] of p.fields) {
    const value = Object.hasOwn(node, name) ? node[name] : undefined;
    const ok =
      field.kind === 'leaf' ? matchesLeaf(field.matchers, value) : matchesObject(field.pattern, value);
    if (!ok) return false;
  }
  return p.ors.every((branches) => branches.some((b) => matchesObjectNode(b, node)));
}

function matchesObject(p: ObjectPattern, value: unknown): boolean {
  const nodes = objectsOf(value);
  if (nodes.length === 0) nodes.push({});
  return nodes.some((n) => matchesObjectNode(p, n));
}

// ---- public API --------------------------------------------------------------------------------

export interface EventPattern {
  matches(event: unknown): boolean;
}

/** Compile a pattern; throws `InvalidPatternError` with EventBridge's reason. */
export function compileEventPattern(text: string): EventPattern {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    fail(`Unexpected character in the pattern JSON (${(err as Error).message})`);
  }
  if (!isPlainObject(parsed)) fail('Filter is not an object');
  const root = compileObject(parsed, false);
  return { matches: (event) => matchesObject(root, event) };
}

/** The AWS error PutRule / TestEventPattern raise for a bad pattern. */
export function invalidEventPattern(reason: string): AwsError {
  return new AwsError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${reason}`, 400);
}

/** Compile or throw the AWS-shaped `InvalidEventPatternException`. */
export function parseEventPatternOrThrow(text: string): EventPattern {
  try {
    return compileEventPattern(text);
  } catch (err) {
    if (err instanceof InvalidPatternError) throw invalidEventPattern(err.reason);
    throw err;
  }
}
