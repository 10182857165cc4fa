/**
 * Choice rules (JSONPath): each has exactly one comparison operator (or And / Or / Not), a
 * `Variable` for comparisons, operands of the operator's type, and — at the top level only — a
 * `Next`. Unknown fields are refused as AWS refuses them, `Field '<name>' is not supported`.
 */
import { error, type Diagnostic } from './diagnostics.js';
import { isObj, required } from './fieldRules.js';

type Operand = 'string' | 'number' | 'boolean' | 'path';

const OPERATORS = new Map<string, Operand>();
for (const base of ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals']) {
  OPERATORS.set(`String${base}`, 'string');
  OPERATORS.set(`Numeric${base}`, 'number');
  OPERATORS.set(`Timestamp${base}`, 'string');
  for (const kind of ['String', 'Numeric', 'Timestamp']) OPERATORS.set(`${kind}${base}Path`, 'path');
}
OPERATORS.set('StringMatches', 'string');
OPERATORS.set('BooleanEquals', 'boolean');
OPERATORS.set('BooleanEqualsPath', 'path');
for (const test of ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp']) {
  OPERATORS.set(test, 'boolean');
}
const COMBINATORS = ['And', 'Or', 'Not'];

function operandOk(kind: Operand, v: unknown): boolean {
  if (kind === 'path') return typeof v === 'string' && v.startsWith('$');
  return typeof v === kind;
}

/** Check one rule at `loc`; `top` rules carry Next, nested ones (inside And/Or/Not) do not. */
export function choiceRule(out: Diagnostic[], rule: unknown, loc: string, top: boolean): void {
  if (!isObj(rule)) {
    out.push(error('SCHEMA_VALIDATION_FAILED', 'A Choice rule must be an object', loc));
    return;
  }
  const ops = Object.keys(rule).filter((k) => OPERATORS.has(k) || COMBINATORS.includes(k));
  for (const field of Object.keys(rule)) {
    const known =
      ops.includes(field) || field === 'Variable' || field === 'Comment' || (top && field === 'Next');
    if (!known) out.push(error('SCHEMA_VALIDATION_FAILED', `Field '${field}' is not supported`, loc));
  }
  if (ops.length !== 1) {
    out.push(
      error(
        'SCHEMA_VALIDATION_FAILED',
        'A Choice rule must have exactly one comparison operator, or And, Or or Not',
        loc,
      ),
    );
    return;
  }
  const op = ops[0]!;
  if (op === 'And' || op === 'Or') {
    const list = rule[op];
    if (!Array.isArray(list) || list.length === 0) {
      out.push(
        error(
          'SCHEMA_VALIDATION_FAILED',
          `The value for the field '${op}' must be a non-empty array`,
          `${loc}/${op}`,
        ),
      );
    } else {
      list.forEach((r, i) => choiceRule(out, r, `${loc}/${op}[${i}]`, false));
    }
    return;
  }
  if (op === 'Not') {
    choiceRule(out, rule.Not, `${loc}/Not`, false);
    return;
  }
  if (!('Variable' in rule)) out.push(error('SCHEMA_VALIDATION_FAILED', required('Variable'), loc));
  else if (typeof rule.Variable !== 'string' || !rule.Variable.startsWith('$'))
    out.push(error('SCHEMA_VALIDATION_FAILED', 'Value must be a valid JSONPath.', `${loc}/Variable`));
  const kind = OPERATORS.get(op)!;
  if (!operandOk(kind, rule[op])) {
    const what = kind === 'path' ? 'a valid JSONPath' : `a ${kind}`;
    out.push(
      error('SCHEMA_VALIDATION_FAILED', `The value for the field '${op}' must be ${what}`, `${loc}/${op}`),
    );
  }
}
