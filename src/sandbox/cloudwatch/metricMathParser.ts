/**
 * Metric math expressions (`m1 + m2`, `SUM(METRICS("errors")) / 2`, `IF(m1 > 5, 1, 0)`) parsed into
 * a tree. The grammar follows CloudWatch's documented syntax: ids start with a lower-case letter,
 * functions and keywords are upper case, `[a, b]` builds an array of time series, `AND`/`&&` and
 * `OR`/`||` join comparisons. Evaluation lives in `metricMath.ts`.
 */

export type MathNode =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'ref'; id: string }
  /** An upper-case word that is not a call: REPEAT, LINEAR, ASC, DESC, or a function name (SORT's AVG). */
  | { kind: 'word'; word: string }
  | { kind: 'negate'; arg: MathNode }
  | { kind: 'binary'; op: BinaryOperator; left: MathNode; right: MathNode }
  | { kind: 'call'; name: string; args: MathNode[] }
  | { kind: 'array'; items: MathNode[] };

export type BinaryOperator =
  '+' | '-' | '*' | '/' | '^' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'AND' | 'OR';

/** An expression CloudWatch would refuse; the message says where. */
export class MetricMathSyntaxError extends Error {
  override readonly name = 'MetricMathSyntaxError';
}

type Token =
  | { t: 'num'; v: number; at: number }
  | { t: 'str'; v: string; at: number }
  | { t: 'name'; v: string; at: number }
  | { t: 'op'; v: string; at: number }
  | { t: 'end'; at: number };

const OPERATORS = [
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '^',
  '(',
  ')',
  '[',
  ']',
  ',',
];
/** Expressions are at most 2,048 characters (the API's limit); nesting is bounded so a crafted one cannot exhaust the stack. */
const MAX_DEPTH = 64;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/.exec(text.slice(i));
    if (num) {
      tokens.push({ t: 'num', v: Number(num[0]), at: i });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (name) {
      tokens.push({ t: 'name', v: name[0], at: i });
      i += name[0].length;
      continue;
    }
    // The console also produces typographic quotes; CloudWatch accepts both.
    if (c === '"' || c === '“' || c === "'") {
      const close = c === '“' ? '”' : c;
      const end = text.indexOf(close, i + 1);
      if (end < 0) throw new MetricMathSyntaxError(`Unterminated string at position ${i}`);
      tokens.push({ t: 'str', v: text.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw new MetricMathSyntaxError(`Unexpected character '${c}' at position ${i}`);
    tokens.push({ t: 'op', v: op, at: i });
    i += op.length;
  }
  tokens.push({ t: 'end', at: text.length });
  return tokens;
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    return this.tokens[this.pos++]!;
  }

  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }

  private isWord(v: string): boolean {
    const t = this.peek();
    return t.t === 'name' && t.v === v;
  }

  private expect(v: string): void {
    const t = this.next();
    if (t.t !== 'op' || t.v !== v) throw this.unexpected(t, `'${v}'`);
  }

  private unexpected(t: Token, wanted: string): MetricMathSyntaxError {
    const what = t.t === 'end' ? 'end of expression' : `'${'v' in t ? String(t.v) : ''}'`;
    return new MetricMathSyntaxError(`Expected ${wanted} but found ${what} at position ${t.at}`);
  }

  parse(): MathNode {
    const node = this.or();
    const t = this.peek();
    if (t.t !== 'end') throw this.unexpected(t, 'an operator');
    return node;
  }

  private nested<T>(fn: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new MetricMathSyntaxError('Expression is nested too deeply');
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  private or(): MathNode {
    let left = this.and();
    while (this.isOp('||') || this.isWord('OR')) {
      this.next();
      left = { kind: 'binary', op: 'OR', left, right: this.and() };
    }
    return left;
  }

  private and(): MathNode {
    let left = this.comparison();
    while (this.isOp('&&') || this.isWord('AND')) {
      this.next();
      left = { kind: 'binary', op: 'AND', left, right: this.comparison() };
    }
    return left;
  }

  private comparison(): MathNode {
    let left = this.additive();
    for (;;) {
      const t = this.peek();
      if (t.t !== 'op' || !['==', '!=', '<', '<=', '>', '>='].includes(t.v)) return left;
      this.next();
      left = { kind: 'binary', op: t.v as BinaryOperator, left, right: this.additive() };
    }
  }

  private additive(): MathNode {
    let left = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next() as { v: '+' | '-' };
      left = { kind: 'binary', op: op.v, left, right: this.multiplicative() };
    }
    return left;
  }

  private multiplicative(): MathNode {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/')) {
      const op = this.next() as { v: '*' | '/' };
      left = { kind: 'binary', op: op.v, left, right: this.unary() };
    }
    return left;
  }

  private unary(): MathNode {
    if (this.isOp('-')) {
      this.next();
      return this.nested(() => ({ kind: 'negate', arg: this.unary() }));
    }
    if (this.isOp('+')) {
      this.next();
      return this.nested(() => this.unary());
    }
    return this.power();
  }

  private power(): MathNode {
    const base = this.primary();
    if (!this.isOp('^')) return base;
    this.next();
    return this.nested(() => ({ kind: 'binary', op: '^', left: base, right: this.unary() }));
  }

  private list(close: string): MathNode[] {
    const items: MathNode[] = [];
    if (this.isOp(close)) {
      this.next();
      return items;
    }
    for (;;) {
      items.push(this.nested(() => this.or()));
      if (this.isOp(',')) {
        this.next();
        continue;
      }
      this.expect(close);
      return items;
    }
  }

  private primary(): MathNode {
    const t = this.next();
    if (t.t === 'num') return { kind: 'number', value: t.v };
    if (t.t === 'str') return { kind: 'string', value: t.v };
    if (t.t === 'op' && t.v === '(') {
      const inner = this.nested(() => this.or());
      this.expect(')');
      return inner;
    }
    if (t.t === 'op' && t.v === '[') return { kind: 'array', items: this.list(']') };
    if (t.t === 'name') {
      if (/^[a-z]/.test(t.v)) return { kind: 'ref', id: t.v };
      if (this.isOp('(')) {
        this.next();
        return { kind: 'call', name: t.v, args: this.list(')') };
      }
      return { kind: 'word', word: t.v };
    }
    throw this.unexpected(t, 'a value');
  }
}

/** Parse an expression; throws `MetricMathSyntaxError`. */
export function parseMetricMath(text: string): MathNode {
  return new Parser(tokenize(text)).parse();
}

/** Every metric or expression id the expression refers to. */
export function referencedIds(node: MathNode, into = new Set<string>()): Set<string> {
  switch (node.kind) {
    case 'ref':
      into.add(node.id);
      break;
    case 'negate':
      referencedIds(node.arg, into);
      break;
    case 'binary':
      referencedIds(node.left, into);
      referencedIds(node.right, into);
      break;
    case 'call':
    case 'array':
      for (const n of node.kind === 'call' ? node.args : node.items) referencedIds(n, into);
      break;
    default:
      break;
  }
  return into;
}
