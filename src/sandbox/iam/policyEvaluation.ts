/**
 * Identity-policy evaluation as IAM does it for one request: an explicit Deny in any statement wins,
 * otherwise any matching Allow allows, otherwise the request is implicitly denied. Covers what a
 * least-privilege role needs: Action/NotAction and Resource/NotResource with `*` and `?` wildcards,
 * and the common condition operators (String*, Arn*, Bool, Numeric*, Null) with `…IfExists` and the
 * `ForAnyValue:` / `ForAllValues:` set qualifiers. Policy variables (`${aws:username}`) are not
 * substituted. Unknown operators never match (so an Allow using one does not allow, as in IAM).
 */
export type ContextValue = string | number | boolean | string[];
export type RequestContext = Record<string, ContextValue | undefined>;

export type AccessDecision = 'allowed' | 'implicitDeny' | 'explicitDeny';

export interface EvaluatedRequest {
  action: string;
  resource: string;
  context?: RequestContext;
}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Statement = Record<string, Json>;

/** IAM's wildcard match: `*` any run of characters, `?` one character; case-sensitive unless told. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  // Iterative glob match with backtracking on the last `*`.
  let pi = 0;
  let vi = 0;
  let star = -1;
  let mark = 0;
  while (vi < v.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === v[vi])) {
      pi++;
      vi++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = vi;
    } else if (star >= 0) {
      pi = star + 1;
      vi = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

export function strings(v: Json | undefined): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map((x) => String(x));
  return [String(v)];
}

/** ARNs match segment by segment (the resource part may hold colons), each segment as a wildcard. */
function arnMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  const p = pattern.split(':');
  const v = value.split(':');
  if (p.length < 6 || v.length < 6) return wildcardMatch(pattern, value);
  for (let i = 0; i < 5; i++) if (!wildcardMatch(p[i]!, v[i]!)) return false;
  return wildcardMatch(p.slice(5).join(':'), v.slice(5).join(':'));
}

function actionMatches(patterns: string[], action: string): boolean {
  return patterns.some((p) => wildcardMatch(p, action, true));
}

function resourceMatches(patterns: string[], resource: string): boolean {
  return patterns.some((p) => arnMatch(p, resource));
}

type ValueTest = (expected: string, actual: string) => boolean;

function numeric(cmp: (a: number, b: number) => boolean): ValueTest {
  return (expected, actual) => {
    const a = Number(actual);
    const e = Number(expected);
    return !Number.isNaN(a) && !Number.isNaN(e) && cmp(a, e);
  };
}

/** Positive operators; the `Not` ones are handled by negation (see `negatedOf`). */
const OPERATORS: Record<string, ValueTest> = {
  StringEquals: (e, a) => e === a,
  StringEqualsIgnoreCase: (e, a) => e.toLowerCase() === a.toLowerCase(),
  StringLike: (e, a) => wildcardMatch(e, a),
  ArnEquals: (e, a) => arnMatch(e, a),
  ArnLike: (e, a) => arnMatch(e, a),
  Bool: (e, a) => e.toLowerCase() === a.toLowerCase(),
  NumericEquals: numeric((a, e) => a === e),
  NumericLessThan: numeric((a, e) => a < e),
  NumericLessThanEquals: numeric((a, e) => a <= e),
  NumericGreaterThan: numeric((a, e) => a > e),
  NumericGreaterThanEquals: numeric((a, e) => a >= e),
};

const NEGATED: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
  NumericNotEquals: 'NumericEquals',
};

function contextValues(context: RequestContext, key: string): string[] | undefined {
  const found = Object.keys(context).find((k) => k.toLowerCase() === key.toLowerCase());
  const v = found === undefined ? undefined : context[found];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v : [String(v)];
}

/** One `Operator: { key: values }` entry: every key must hold (AND); a key's values are ORed. */
function conditionHolds(rawOperator: string, block: Json, context: RequestContext): boolean {
  if (block === null || typeof block !== 'object' || Array.isArray(block)) return false;
  let operator = rawOperator;
  let set: 'any' | 'all' | undefined;
  if (operator.startsWith('ForAnyValue:')) [set, operator] = ['any', operator.slice('ForAnyValue:'.length)];
  else if (operator.startsWith('ForAllValues:'))
    [set, operator] = ['all', operator.slice('ForAllValues:'.length)];
  const ifExists = operator.endsWith('IfExists');
  if (ifExists) operator = operator.slice(0, -'IfExists'.length);

  return Object.entries(block).every(([key, expectedRaw]) => {
    const expected = strings(expectedRaw);
    const actual = contextValues(context, key);
    if (operator === 'Null') {
      const wantsAbsent = expected.some((e) => e.toLowerCase() === 'true');
      return wantsAbsent ? actual === undefined : actual !== undefined;
    }
    const negatedBase = NEGATED[operator];
    const test = OPERATORS[negatedBase ?? operator];
    if (!test) return false;
    const matchOne = (a: string): boolean => {
      const hit = expected.some((e) => test(e, a));
      return negatedBase ? !hit : hit;
    };
    if (actual === undefined || actual.length === 0) {
      if (ifExists) return true;
      // ForAllValues over an empty set is vacuously true; a missing key fails everything else,
      // except the negated operators, which IAM treats as matching an absent key.
      if (set === 'all') return true;
      return set === undefined && negatedBase !== undefined;
    }
    if (set === 'all') return actual.every(matchOne);
    if (set === 'any') return actual.some(matchOne);
    // A single-valued key given several values: IAM's default is "any of them" for positive operators.
    return negatedBase ? actual.every(matchOne) : actual.some(matchOne);
  });
}

export function statementApplies(st: Statement, req: EvaluatedRequest): boolean {
  if ('Action' in st) {
    if (!actionMatches(strings(st.Action), req.action)) return false;
  } else if ('NotAction' in st) {
    if (actionMatches(strings(st.NotAction), req.action)) return false;
  } else return false;
  if ('Resource' in st) {
    if (!resourceMatches(strings(st.Resource), req.resource)) return false;
  } else if ('NotResource' in st) {
    if (resourceMatches(strings(st.NotResource), req.resource)) return false;
  } else return false;
  const cond = st.Condition;
  if (cond !== undefined && cond !== null) {
    if (typeof cond !== 'object' || Array.isArray(cond)) return false;
    const context = req.context ?? {};
    return Object.entries(cond).every(([op, block]) => conditionHolds(op, block, context));
  }
  return true;
}

export function statementsOf(policyText: string): Statement[] {
  try {
    const doc = JSON.parse(policyText) as { Statement?: Json };
    const st = doc.Statement;
    if (Array.isArray(st))
      return st.filter((s): s is Statement => !!s && typeof s === 'object' && !Array.isArray(s));
    if (st && typeof st === 'object') return [st as Statement];
  } catch {
    // Policies are validated when stored; an unreadable one grants nothing.
  }
  return [];
}

/** The decision of a set of identity policies (JSON texts) for one request. */
export function evaluatePolicies(policies: string[], req: EvaluatedRequest): AccessDecision {
  let allowed = false;
  for (const text of policies) {
    for (const st of statementsOf(text)) {
      if (!statementApplies(st, req)) continue;
      if (st.Effect === 'Deny') return 'explicitDeny';
      if (st.Effect === 'Allow') allowed = true;
    }
  }
  return allowed ? 'allowed' : 'implicitDeny';
}
