/**
 * CloudWatch Logs filter patterns, compiled to a predicate over an event's message.
 *
 * Term patterns: `ERROR timeout` (all terms, case-sensitive), `"exact phrase"`, `?ERROR ?WARN`
 * (any of the ?-terms), `-DEBUG` (exclude). JSON patterns: `{ $.level = "ERROR" }`,
 * `{ $.ms > 100 && $.user.id = 7 }`, `||`, `*` wildcards in string values, `IS TRUE/FALSE/NULL`,
 * `EXISTS`/`NOT EXISTS`. Space-delimited (`[a, b]`) patterns are not supported and are rejected.
 */
import { AwsError } from '../errors.js';

export type MessagePredicate = (message: string) => boolean;

function invalid(): AwsError {
  return new AwsError('InvalidParameterException', 'Invalid filter pattern', 400);
}

function tokenizeTerms(pattern: string): string[] {
  const tokens: string[] = [];
  const re = /([?-]?)"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of pattern.matchAll(re)) {
    if (m[3] !== undefined) tokens.push(m[3]);
    else tokens.push(`${m[1]}\u0000${(m[2] ?? '').replace(/\\(.)/g, '$1')}`);
  }
  return tokens;
}

function compileTerms(pattern: string): MessagePredicate {
  const all: string[] = [];
  const any: string[] = [];
  const none: string[] = [];
  for (const raw of tokenizeTerms(pattern)) {
    const quoted = raw.includes('\u0000');
    const prefix = quoted ? raw.slice(0, raw.indexOf('\u0000')) : /^[?-]/.test(raw) ? raw[0]! : '';
    const term = quoted ? raw.slice(raw.indexOf('\u0000') + 1) : raw.slice(prefix.length);
    if (term === '') throw invalid();
    if (prefix === '?') any.push(term);
    else if (prefix === '-') none.push(term);
    else all.push(term);
  }
  return (message) =>
    all.every((t) => message.includes(t)) &&
    (any.length === 0 || any.some((t) => message.includes(t))) &&
    !none.some((t) => message.includes(t));
}

// ---- JSON patterns ----

type Comparison = { path: string[]; op: string; value: string | number | boolean | null | 'EXISTS' };

function parsePath(selector: string): string[] {
  if (!selector.startsWith('$')) throw invalid();
  const parts: string[] = [];
  const re = /\.([A-Za-z0-9_\-@$]+)|\[(\d+)\]/gy;
  re.lastIndex = 1;
  while (re.lastIndex < selector.length) {
    const m = re.exec(selector);
    if (!m) throw invalid();
    parts.push(m[1] ?? m[2] ?? '');
  }
  return parts;
}

function parseComparison(text: string): Comparison {
  const t = text.trim();
  let m = /^(\$\S*)\s+(NOT\s+EXISTS|EXISTS)$/i.exec(t);
  if (m) return { path: parsePath(m[1]!), op: /NOT/i.test(m[2]!) ? 'NOTEXISTS' : 'EXISTS', value: 'EXISTS' };
  m = /^(\$\S*)\s+IS\s+(TRUE|FALSE|NULL)$/i.exec(t);
  if (m) {
    const v = m[2]!.toUpperCase();
    return { path: parsePath(m[1]!), op: 'IS', value: v === 'NULL' ? null : v === 'TRUE' };
  }
  m = /^(\$[^\s=!<>]*)\s*(=|!=|<=|>=|<|>)\s*(.+)$/.exec(t);
  if (!m) throw invalid();
  const rawValue = m[3]!.trim();
  let value: string | number;
  if (/^"(.*)"$/.test(rawValue)) value = rawValue.slice(1, -1);
  else if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(rawValue)) value = Number(rawValue);
  else value = rawValue;
  if (['<', '>', '<=', '>='].includes(m[2]!) && typeof value !== 'number') throw invalid();
  return { path: parsePath(m[1]!), op: m[2]!, value };
}

function lookup(doc: unknown, path: string[]): { found: boolean; value: unknown } {
  let cur: unknown = doc;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, key))
      return { found: false, value: undefined };
    cur = (cur as Record<string, unknown>)[key];
  }
  return { found: true, value: cur };
}

function wildcardMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return re.test(value);
}

function evaluate(c: Comparison, doc: unknown): boolean {
  const { found, value } = lookup(doc, c.path);
  if (c.op === 'EXISTS') return found;
  if (c.op === 'NOTEXISTS') return !found;
  if (!found) return false;
  if (c.op === 'IS') return value === c.value;
  if (typeof c.value === 'number') {
    if (typeof value !== 'number') return false;
    switch (c.op) {
      case '=':
        return value === c.value;
      case '!=':
        return value !== c.value;
      case '<':
        return value < c.value;
      case '>':
        return value > c.value;
      case '<=':
        return value <= c.value;
      default:
        return value >= c.value;
    }
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const equal = wildcardMatch(String(c.value), text);
  return c.op === '=' ? equal : !equal;
}

/** `a && b || c && d` — && binds tighter; parenthesised groups are supported. */
function compileJsonExpression(expr: string): (doc: unknown) => boolean {
  const text = expr.trim();
  if (text.startsWith('(') && matchingParen(text, 0) === text.length - 1) {
    return compileJsonExpression(text.slice(1, -1));
  }
  for (const op of ['||', '&&']) {
    const parts = splitTopLevel(text, op);
    if (parts.length > 1) {
      const compiled = parts.map(compileJsonExpression);
      return op === '||' ? (doc) => compiled.some((f) => f(doc)) : (doc) => compiled.every((f) => f(doc));
    }
  }
  const comparison = parseComparison(text);
  return (doc) => evaluate(comparison, doc);
}

function matchingParen(text: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"') inString = !inString;
    if (inString) continue;
    if (c === '(') depth++;
    if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

function splitTopLevel(text: string, op: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') inString = !inString;
    if (inString) continue;
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && text.startsWith(op, i)) {
      parts.push(text.slice(start, i));
      start = i + op.length;
      i += op.length - 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function compileJson(pattern: string): MessagePredicate {
  const test = compileJsonExpression(pattern.trim().slice(1, -1));
  return (message) => {
    let doc: unknown;
    try {
      doc = JSON.parse(message);
    } catch {
      return false;
    }
    return typeof doc === 'object' && doc !== null && test(doc);
  };
}

/** Compile a filter pattern; throws InvalidParameterException for patterns it cannot parse. */
export function compileFilterPattern(pattern: string | undefined): MessagePredicate {
  const p = (pattern ?? '').trim();
  if (p === '' || p === '""') return () => true;
  if (p.startsWith('{')) {
    if (!p.endsWith('}')) throw invalid();
    return compileJson(p);
  }
  if (p.startsWith('[')) throw invalid();
  return compileTerms(p);
}
