/**
 * Filter patterns for space-delimited log events: `[ip, user, ..., status_code = 4*, bytes > 1000]`.
 * The event splits on spaces, text between double quotes or square brackets being one field; the
 * pattern names the fields in order (`...` stands for any number of them, an empty name for one
 * unnamed field) and may put conditions on them (`=`, `!=`, `<`, `>`, `<=`, `>=`, joined with `&&`
 * and `||`). Fields are extracted as `$name`, or `$N` (1-based position) when unnamed.
 */
import {
  compareValue,
  invalidPattern,
  MAX_REGEX_PER_PATTERN,
  patternValue,
  type Operator,
  type PatternValue,
} from './filterValues.js';

type Condition = { name: string; op: Operator; value: PatternValue };
type Expr = { kind: 'cond'; condition: Condition } | { kind: 'and' | 'or'; parts: Expr[] };

type Field = { kind: 'ellipsis' } | { kind: 'field'; name?: string; expr?: Expr };

export interface DelimitedPattern {
  /** The event's fields by `$name` / `$N`, when the event matches. */
  match(message: string): Map<string, string> | undefined;
  regexCount: number;
}

/** Split an event into fields: spaces separate, `"…"` and `[…]` hold one field each. */
export function splitEvent(message: string): string[] {
  const fields: string[] = [];
  let i = 0;
  const text = message.replace(/\r?\n$/, '');
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    const close = c === '"' ? '"' : c === '[' ? ']' : undefined;
    if (close) {
      const end = text.indexOf(close, i + 1);
      if (end >= 0) {
        fields.push(text.slice(i + 1, end));
        i = end + 1;
        continue;
      }
    }
    let j = i;
    while (j < text.length && text[j] !== ' ' && text[j] !== '\t') j++;
    fields.push(text.slice(i, j));
    i = j;
  }
  return fields;
}

/** Split the pattern body on commas outside quotes and regexes. */
function splitTopLevel(body: string, separator: string): string[] {
  const parts: string[] = [];
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === '%') quote = c;
    else if (body.startsWith(separator, i)) {
      parts.push(body.slice(start, i));
      start = i + separator.length;
      i += separator.length - 1;
    }
  }
  if (quote) throw invalidPattern();
  parts.push(body.slice(start));
  return parts;
}

function parseCondition(text: string, counter: { regex: number }): Condition {
  const m = /^\s*([A-Za-z0-9_]+)\s*(!=|<=|>=|=|<|>)\s*(.+?)\s*$/.exec(text);
  if (!m) throw invalidPattern();
  const value = patternValue(m[3]!);
  if (value.kind === 'regex') counter.regex++;
  if (m[2] !== '=' && m[2] !== '!=' && value.kind !== 'number') throw invalidPattern();
  return { name: m[1]!, op: m[2] as Operator, value };
}

function parseExpr(text: string, counter: { regex: number }): Expr {
  const ors = splitTopLevel(text, '||');
  if (ors.length > 1) return { kind: 'or', parts: ors.map((p) => parseExpr(p, counter)) };
  const ands = splitTopLevel(text, '&&');
  if (ands.length > 1) return { kind: 'and', parts: ands.map((p) => parseExpr(p, counter)) };
  return { kind: 'cond', condition: parseCondition(text, counter) };
}

function parseField(text: string, counter: { regex: number }): Field {
  const t = text.trim();
  if (t === '') return { kind: 'field' };
  if (t === '...' || t === '…') return { kind: 'ellipsis' };
  if (/^[A-Za-z0-9_]+$/.test(t)) return { kind: 'field', name: t };
  const expr = parseExpr(t, counter);
  // The field's name is the one its (first) condition names.
  let first: Expr = expr;
  while (first.kind !== 'cond') first = first.parts[0]!;
  return { kind: 'field', name: first.condition.name, expr };
}

function holds(expr: Expr, values: Map<string, string>): boolean {
  if (expr.kind === 'cond') {
    const field = values.get(`$${expr.condition.name}`);
    return field !== undefined && compareValue(expr.condition.op, field, expr.condition.value);
  }
  return expr.kind === 'and'
    ? expr.parts.every((p) => holds(p, values))
    : expr.parts.some((p) => holds(p, values));
}

/** Compile the inside of `[ … ]`. */
export function compileDelimited(body: string): DelimitedPattern {
  const counter = { regex: 0 };
  const fields = splitTopLevel(body, ',').map((f) => parseField(f, counter));
  if (counter.regex > MAX_REGEX_PER_PATTERN) throw invalidPattern();
  const ellipses = fields.filter((f) => f.kind === 'ellipsis').length;
  if (ellipses > 1 || fields.length === 0) throw invalidPattern();
  const at = fields.findIndex((f) => f.kind === 'ellipsis');
  const before = at < 0 ? fields : fields.slice(0, at);
  const after = at < 0 ? [] : fields.slice(at + 1);

  return {
    regexCount: counter.regex,
    match(message) {
      const tokens = splitEvent(message);
      if (at < 0 ? tokens.length !== fields.length : tokens.length < before.length + after.length)
        return undefined;
      const values = new Map<string, string>();
      const place = (f: Field, index: number): void => {
        const name = f.kind === 'field' && f.name ? `$${f.name}` : `$${index + 1}`;
        values.set(name, tokens[index]!);
      };
      before.forEach((f, i) => place(f, i));
      const tail = tokens.length - after.length;
      for (let i = before.length; i < tail; i++) values.set(`$${i + 1}`, tokens[i]!);
      after.forEach((f, i) => place(f, tail + i));
      for (const f of fields) if (f.kind === 'field' && f.expr && !holds(f.expr, values)) return undefined;
      return values;
    },
  };
}
