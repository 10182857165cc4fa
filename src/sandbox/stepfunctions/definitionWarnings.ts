/**
 * The WARNING diagnostics AWS documents for ValidateStateMachineDefinition: NO_DOLLAR (a template
 * member that looks like a path or intrinsic function but whose name lacks `.$`), NO_PATH (a field
 * whose value looks like a path but whose name does not end in `Path`) and PASS_RESULT_IS_STATIC (a
 * path in a Pass state's Result, which is never evaluated). They never stop a state machine being
 * created. AWS's exact wording is not documented; these messages say the same thing.
 */
import { warning, type Diagnostic } from './diagnostics.js';
import { TEMPLATE_FIELDS } from './stateFields.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const looksLikePath = (v: unknown): boolean => typeof v === 'string' && /^\$(\$|\.|\[|$)/.test(v);
const looksLikeIntrinsic = (v: unknown): boolean => typeof v === 'string' && /^States\.[A-Za-z]+\(/.test(v);

/** Fields with a `<name>Path` variant whose plain form takes a literal. */
const HAS_PATH_VARIANT = ['Timestamp', 'Error', 'Cause'];

export function definitionWarnings(def: Obj): Diagnostic[] {
  const out: Diagnostic[] = [];
  visitStates(def, '', (st, loc) => {
    if (st.QueryLanguage === 'JSONata') return;
    for (const f of TEMPLATE_FIELDS) if (f in st) noDollar(out, st[f], `${loc}/${f}`);
    for (const f of HAS_PATH_VARIANT) {
      if (looksLikePath(st[f])) {
        out.push(
          warning(
            'NO_PATH',
            `The value of the field '${f}' looks like a path, but the field name does not end with 'Path'`,
            `${loc}/${f}`,
          ),
        );
      }
    }
    if (st.Type === 'Pass' && 'Result' in st) staticResult(out, st.Result, `${loc}/Result`);
  });
  return out;
}

function visitStates(c: Obj, at: string, visit: (st: Obj, loc: string) => void): void {
  if (!isObj(c.States)) return;
  for (const [name, st] of Object.entries(c.States)) {
    if (!isObj(st)) continue;
    const loc = `${at}/States/${name}`;
    visit(st, loc);
    if (Array.isArray(st.Branches)) {
      st.Branches.forEach((b, i) => {
        if (isObj(b)) visitStates(b, `${loc}/Branches[${i}]`, visit);
      });
    }
    for (const f of ['ItemProcessor', 'Iterator']) if (isObj(st[f])) visitStates(st[f], `${loc}/${f}`, visit);
  }
}

function noDollar(out: Diagnostic[], value: unknown, loc: string): void {
  if (Array.isArray(value)) return value.forEach((v, i) => noDollar(out, v, `${loc}[${i}]`));
  if (!isObj(value)) return;
  for (const [k, v] of Object.entries(value)) {
    if (k.endsWith('.$')) continue;
    if (looksLikePath(v) || looksLikeIntrinsic(v)) {
      out.push(
        warning(
          'NO_DOLLAR',
          `The field '${k}' appears to hold a JSONPath or intrinsic function, but its name does not end with '.$', so it is used as a literal`,
          `${loc}/${k}`,
        ),
      );
    } else {
      noDollar(out, v, `${loc}/${k}`);
    }
  }
}

function staticResult(out: Diagnostic[], value: unknown, loc: string): void {
  if (Array.isArray(value)) return value.forEach((v, i) => staticResult(out, v, `${loc}[${i}]`));
  if (!isObj(value)) return;
  for (const [k, v] of Object.entries(value)) {
    if (k.endsWith('.$')) {
      out.push(
        warning(
          'PASS_RESULT_IS_STATIC',
          `The Result of a Pass state is static: the path in '${k}' is not evaluated`,
          `${loc}/${k}`,
        ),
      );
    } else {
      staticResult(out, v, `${loc}/${k}`);
    }
  }
}
