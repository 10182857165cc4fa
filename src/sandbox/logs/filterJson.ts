/**
 * Filter patterns for JSON log events: `{ SELECTOR OPERATOR VALUE }` joined with `&&` and `||`
 * (`&&` binds tighter; parentheses group), selectors `$.a.b`, `$.list[0]`, `$.grid[0][1]`, values
 * quoted or bare (with `*` at either end), numbers, `%regex%`, and `IS TRUE|FALSE|NULL`,
 * `EXISTS`, `NOT EXISTS`. A selector must point at a value: an object or an array never equals
 * anything (so both `=` and `!=` fail on it), as AWS documents.
 */
import {
  compareValue,
  invalidPattern,
  MAX_REGEX_PER_PATTERN,
  patternValue,
  type Operator,
  type PatternValue,
} from './filterValues.js';

type Condition =
  | { kind: 'compare'; path: string[]; selector: string; op: Operator; value: PatternValue }
  | { kind: 'is'; path: string[]; selector: string; value: boolean | null }
  | { kind: 'exists'; path: string[]; selector: string; exists: boolean };

type Node = { kind: 'and' | 'or'; parts: Node[] } | { kind: 'condition'; condition: Condition };

export interface JsonPattern {
  test(doc: unknown): boolean;
  /** Every selector the pattern names (TestMetricFilter reports their values). */
  selectors: string[];
  regexCount: number;
}

/** `$.a.b[0]` → ['a', 'b', '0']; undefined when it is not a selector. */
export function parseSelector(selector: string): string[] | undefined {
  if (!selector.startsWith('$')) return undefined;
  const parts: string[] = [];
  const re = /\.([A-Za-z0-9_\-@$]+)|\[(\d+)\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < selector.length) {
    const m = re.exec(selector);
    if (!m) return undefined;
    parts.push(m[1] ?? m[2]!);
  }
  return parts.length > 0 ? parts : undefined;
}

/** The value at a path, if every step exists. */
export function lookup(doc: unknown, path: string[]): { found: boolean; value: unknown } {
  let cur: unknown = doc;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return { found: false, value: undefined };
    if (Array.isArray(cur) ? !/^\d+$/.test(key) || Number(key) >= cur.length : !Object.hasOwn(cur, key))
      return { found: false, value: undefined };
    cur = (cur as Record<string, unknown>)[key];
  }
  return { found: true, value: cur };
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (text.startsWith('&&', i) || text.startsWith('||', i)) {
      tokens.push(text.slice(i, i + 2));
      i += 2;
    } else if (c === '(' || c === ')') {
      tokens.push(c);
      i++;
    } else if (/[=!<>]/.test(c)) {
      const op = /^(!=|<=|>=|=|<|>)/.exec(text.slice(i))?.[0];
      if (!op) throw invalidPattern();
      tokens.push(op);
      i += op.length;
    } else if (c === '"' || c === '%') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' && c === '"' ? 2 : 1;
      if (j >= text.length) throw invalidPattern();
      tokens.push(text.slice(i, j + 1));
      i = j + 1;
    } else {
      let j = i;
      while (j < text.length && !/[\s()=!<>&|"]/.test(text[j]!)) j++;
      tokens.push(text.slice(i, j));
      i = j;
    }
  }
  return tokens;
}

class Parser {
  private pos = 0;
  regexCount = 0;
  readonly selectors: string[] = [];

  constructor(private readonly tokens: string[]) {}

  private peek(): string | undefined {
    return this.tokens[this.pos];
  }

  private next(): string {
    const t = this.tokens[this.pos++];
    if (t === undefined) throw invalidPattern();
    return t;
  }

  parse(): Node {
    const node = this.or();
    if (this.pos !== this.tokens.length) throw invalidPattern();
    return node;
  }

  private or(): Node {
    const parts = [this.and()];
    while (this.peek() === '||') {
      this.next();
      parts.push(this.and());
    }
    return parts.length === 1 ? parts[0]! : { kind: 'or', parts };
  }

  private and(): Node {
    const parts = [this.primary()];
    while (this.peek() === '&&') {
      this.next();
      parts.push(this.primary());
    }
    return parts.length === 1 ? parts[0]! : { kind: 'and', parts };
  }

  private primary(): Node {
    if (this.peek() === '(') {
      this.next();
      const inner = this.or();
      if (this.next() !== ')') throw invalidPattern();
      return inner;
    }
    return { kind: 'condition', condition: this.condition() };
  }

  private condition(): Condition {
    const selector = this.next();
    const path = parseSelector(selector);
    if (!path) throw invalidPattern();
    this.selectors.push(selector);
    const word = this.next();
    const upper = word.toUpperCase();
    if (upper === 'IS') {
      const v = this.next().toUpperCase();
      if (v !== 'TRUE' && v !== 'FALSE' && v !== 'NULL') throw invalidPattern();
      return { kind: 'is', path, selector, value: v === 'NULL' ? null : v === 'TRUE' };
    }
    if (upper === 'EXISTS') return { kind: 'exists', path, selector, exists: true };
    if (upper === 'NOT') {
      if (this.next().toUpperCase() !== 'EXISTS') throw invalidPattern();
      return { kind: 'exists', path, selector, exists: false };
    }
    if (!['=', '!=', '<', '>', '<=', '>='].includes(word)) throw invalidPattern();
    const value = patternValue(this.next());
    if (value.kind === 'regex') this.regexCount++;
    if (word !== '=' && word !== '!=' && value.kind !== 'number') throw invalidPattern();
    return { kind: 'compare', path, selector, op: word as Operator, value };
  }
}

function holds(c: Condition, doc: unknown): boolean {
  const { found, value } = lookup(doc, c.path);
  if (c.kind === 'exists') return found === c.exists;
  if (!found) return false;
  if (c.kind === 'is') return value === c.value;
  if (value === null || typeof value === 'object') return false;
  return compareValue(c.op, typeof value === 'number' ? value : String(value), c.value);
}

function evaluate(node: Node, doc: unknown): boolean {
  if (node.kind === 'condition') return holds(node.condition, doc);
  return node.kind === 'and'
    ? node.parts.every((p) => evaluate(p, doc))
    : node.parts.some((p) => evaluate(p, doc));
}

/** Compile the inside of `{ … }`. */
export function compileJson(body: string): JsonPattern {
  const parser = new Parser(tokenize(body));
  const tree = parser.parse();
  if (parser.regexCount > MAX_REGEX_PER_PATTERN) throw invalidPattern();
  return {
    test: (doc) => evaluate(tree, doc),
    selectors: [...new Set(parser.selectors)],
    regexCount: parser.regexCount,
  };
}
