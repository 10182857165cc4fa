/**
 * The structural rules Step Functions applies to a parsed definition, reported as AWS reports them:
 * the fields of each state type, Next/End, required members, the form of paths and templates,
 * transition targets, reachability and a terminal state, for the top level and every Parallel
 * branch and Map processor. Where AWS's wording is known (from its error responses) it is used;
 * elsewhere the message says plainly what is wrong, in the same `CODE: message at location` form.
 */
import { choiceRule } from './choiceRules.js';
import { error, type Diagnostic } from './diagnostics.js';
import {
  catchers,
  isNonNegativeInt,
  isObj,
  isPositiveInt,
  paths,
  positive,
  required,
  retriers,
  template,
} from './fieldRules.js';
import {
  BRANCH_FIELDS,
  FLOWING,
  MACHINE_FIELDS,
  PROCESSOR_FIELDS,
  STATE_FIELDS,
  STATE_TYPES,
  TEMPLATE_FIELDS,
  type StateType,
} from './stateFields.js';
import { transitions } from './transitionRules.js';

type Obj = Record<string, unknown>;

/** AWS: state names are 1–80 characters. */
const MAX_STATE_NAME = 80;
/** Nesting of Parallel/Map containers beyond which AWS answers TOO_DEEPLY_NESTED (assumed depth). */
const MAX_DEPTH = 20;

interface Walk {
  out: Diagnostic[];
  /** Every state name seen so far in the whole definition: names are unique across it. */
  names: Set<string>;
}

/** All ERROR diagnostics of a parsed definition (an object). */
export function structuralDiagnostics(def: Obj): Diagnostic[] {
  const walk: Walk = { out: [], names: new Set() };
  container(walk, def, '', MACHINE_FIELDS, 0, def.QueryLanguage === 'JSONata');
  if ('QueryLanguage' in def && def.QueryLanguage !== 'JSONPath' && def.QueryLanguage !== 'JSONata') {
    walk.out.push(
      error(
        'SCHEMA_VALIDATION_FAILED',
        "The value for the field 'QueryLanguage' must be one of JSONPath, JSONata",
        '/QueryLanguage',
      ),
    );
  }
  if ('TimeoutSeconds' in def && !isPositiveInt(def.TimeoutSeconds)) {
    walk.out.push(
      error(
        'SCHEMA_VALIDATION_FAILED',
        "The value for the field 'TimeoutSeconds' must be a positive integer",
        '/TimeoutSeconds',
      ),
    );
  }
  return walk.out;
}

/** A set of states with StartAt: the whole machine, a Parallel branch, or a Map processor. */
function container(
  walk: Walk,
  c: Obj,
  at: string,
  allowed: ReadonlySet<string>,
  depth: number,
  jsonata: boolean,
): void {
  const here = at === '' ? '/' : at;
  if (depth > MAX_DEPTH) {
    walk.out.push(error('TOO_DEEPLY_NESTED', 'The states are too deeply nested', here));
    return;
  }
  for (const field of Object.keys(c)) {
    if (!allowed.has(field))
      walk.out.push(error('SCHEMA_VALIDATION_FAILED', `Field '${field}' is not supported`, here));
  }
  if (!('StartAt' in c)) walk.out.push(error('SCHEMA_VALIDATION_FAILED', required('StartAt'), here));
  else if (typeof c.StartAt !== 'string')
    walk.out.push(
      error(
        'SCHEMA_VALIDATION_FAILED',
        "The value for the field 'StartAt' must be a string",
        `${at}/StartAt`,
      ),
    );
  if (!('States' in c)) {
    walk.out.push(error('SCHEMA_VALIDATION_FAILED', required('States'), here));
    return;
  }
  if (!isObj(c.States)) {
    walk.out.push(
      error('SCHEMA_VALIDATION_FAILED', "The value for the field 'States' must be an object", `${at}/States`),
    );
    return;
  }
  const states = c.States;
  for (const [name, st] of Object.entries(states)) {
    const loc = `${at}/States/${name}`;
    if (name.length < 1 || name.length > MAX_STATE_NAME) {
      walk.out.push(
        error('INVALID_STATE_NAME', `State name must be 1 to ${MAX_STATE_NAME} characters long`, loc),
      );
    }
    if (walk.names.has(name))
      walk.out.push(error('DUPLICATE_STATE_NAME', `Duplicate State name: ${name}`, loc));
    walk.names.add(name);
    if (!isObj(st)) {
      walk.out.push(error('SCHEMA_VALIDATION_FAILED', 'The value for a state must be an object', loc));
      continue;
    }
    state(walk, st, loc, depth, jsonata || st.QueryLanguage === 'JSONata');
  }
  transitions(walk.out, c, states, at);
}

function state(walk: Walk, st: Obj, loc: string, depth: number, jsonata: boolean): void {
  const out = walk.out;
  if (!('Type' in st)) {
    out.push(error('SCHEMA_VALIDATION_FAILED', required('Type'), loc));
    return;
  }
  if (typeof st.Type !== 'string' || !(STATE_TYPES as readonly string[]).includes(st.Type)) {
    out.push(
      error(
        'SCHEMA_VALIDATION_FAILED',
        `The value for the field 'Type' must be one of ${STATE_TYPES.join(', ')}`,
        `${loc}/Type`,
      ),
    );
    return;
  }
  const type = st.Type as StateType;
  if ('QueryLanguage' in st && st.QueryLanguage !== 'JSONPath' && st.QueryLanguage !== 'JSONata') {
    out.push(
      error(
        'SCHEMA_VALIDATION_FAILED',
        "The value for the field 'QueryLanguage' must be one of JSONPath, JSONata",
        `${loc}/QueryLanguage`,
      ),
    );
  }
  for (const field of Object.keys(st)) {
    if (!STATE_FIELDS[type].has(field))
      out.push(error('SCHEMA_VALIDATION_FAILED', `Field '${field}' is not supported`, loc));
  }
  if (FLOWING.has(type)) {
    const hasNext = 'Next' in st;
    const ends = st.End === true;
    if (hasNext && ends)
      out.push(error('SCHEMA_VALIDATION_FAILED', "Only one of 'Next' or 'End' may be given", loc));
    if (!hasNext && !ends)
      out.push(error('SCHEMA_VALIDATION_FAILED', "Exactly one of 'Next' or 'End' is required", loc));
    if (hasNext && typeof st.Next !== 'string')
      out.push(
        error('SCHEMA_VALIDATION_FAILED', "The value for the field 'Next' must be a string", `${loc}/Next`),
      );
    if ('End' in st && typeof st.End !== 'boolean')
      out.push(
        error('SCHEMA_VALIDATION_FAILED', "The value for the field 'End' must be a boolean", `${loc}/End`),
      );
  }
  if (!jsonata) {
    paths(out, st, loc);
    for (const f of TEMPLATE_FIELDS) if (f in st && type !== 'Pass') template(out, st[f], `${loc}/${f}`);
    if (type === 'Pass' && 'Parameters' in st) template(out, st.Parameters, `${loc}/Parameters`);
  }
  typeRules(walk, type, st, loc, depth, jsonata);
}

function typeRules(walk: Walk, type: StateType, st: Obj, loc: string, depth: number, jsonata: boolean): void {
  const out = walk.out;
  const exactlyOne = (fields: string[]): void => {
    if (fields.filter((f) => f in st).length !== 1) {
      out.push(
        error(
          'SCHEMA_VALIDATION_FAILED',
          `Exactly one of ${fields.map((f) => `'${f}'`).join(', ')} is required`,
          loc,
        ),
      );
    }
  };
  const atMostOne = (fields: string[]): void => {
    if (fields.filter((f) => f in st).length > 1) {
      out.push(
        error(
          'SCHEMA_VALIDATION_FAILED',
          `Only one of ${fields.map((f) => `'${f}'`).join(', ')} may be given`,
          loc,
        ),
      );
    }
  };
  switch (type) {
    case 'Task':
      if (!('Resource' in st)) out.push(error('SCHEMA_VALIDATION_FAILED', required('Resource'), loc));
      else if (typeof st.Resource !== 'string' || !/^arn:aws[\w-]*:[a-z0-9-]+:/.test(st.Resource))
        out.push(
          error(
            'INVALID_RESOURCE',
            `The resource provided ${String(st.Resource)} is not a valid ARN`,
            `${loc}/Resource`,
          ),
        );
      atMostOne(['TimeoutSeconds', 'TimeoutSecondsPath']);
      atMostOne(['HeartbeatSeconds', 'HeartbeatSecondsPath']);
      positive(out, st, 'TimeoutSeconds', loc);
      positive(out, st, 'HeartbeatSeconds', loc);
      break;
    case 'Choice':
      if (!Array.isArray(st.Choices) || st.Choices.length === 0) {
        out.push(
          error(
            'SCHEMA_VALIDATION_FAILED',
            "The field 'Choices' must be a non-empty array",
            `${loc}/Choices`,
          ),
        );
      } else {
        st.Choices.forEach((rule, i) => {
          if (!isObj(rule) || typeof rule.Next !== 'string')
            out.push(error('SCHEMA_VALIDATION_FAILED', required('Next'), `${loc}/Choices[${i}]`));
          else if (!jsonata) choiceRule(out, rule, `${loc}/Choices[${i}]`, true);
        });
      }
      break;
    case 'Wait':
      exactlyOne(['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath']);
      if ('Seconds' in st && !jsonata && !isNonNegativeInt(st.Seconds))
        out.push(
          error(
            'SCHEMA_VALIDATION_FAILED',
            "The value for the field 'Seconds' must be a non-negative integer",
            `${loc}/Seconds`,
          ),
        );
      break;
    case 'Fail':
      atMostOne(['Error', 'ErrorPath']);
      atMostOne(['Cause', 'CausePath']);
      break;
    case 'Parallel':
      if (!Array.isArray(st.Branches) || st.Branches.length === 0) {
        out.push(
          error(
            'SCHEMA_VALIDATION_FAILED',
            "The field 'Branches' must be a non-empty array",
            `${loc}/Branches`,
          ),
        );
      } else {
        st.Branches.forEach((b, i) => {
          if (isObj(b)) container(walk, b, `${loc}/Branches[${i}]`, BRANCH_FIELDS, depth + 1, jsonata);
          else
            out.push(
              error('SCHEMA_VALIDATION_FAILED', 'A branch must be an object', `${loc}/Branches[${i}]`),
            );
        });
      }
      break;
    case 'Map': {
      exactlyOne(['ItemProcessor', 'Iterator']);
      atMostOne(['ItemSelector', 'Parameters']);
      atMostOne(['MaxConcurrency', 'MaxConcurrencyPath']);
      if ('MaxConcurrency' in st && !jsonata && !isNonNegativeInt(st.MaxConcurrency))
        out.push(
          error(
            'SCHEMA_VALIDATION_FAILED',
            "The value for the field 'MaxConcurrency' must be a non-negative integer",
            `${loc}/MaxConcurrency`,
          ),
        );
      const field = 'ItemProcessor' in st ? 'ItemProcessor' : 'Iterator';
      const processor = st[field];
      if (isObj(processor))
        container(walk, processor, `${loc}/${field}`, PROCESSOR_FIELDS, depth + 1, jsonata);
      else if (field in st)
        out.push(
          error('SCHEMA_VALIDATION_FAILED', `The field '${field}' must be an object`, `${loc}/${field}`),
        );
      break;
    }
    default:
      break;
  }
  if ('Retry' in st) retriers(out, st.Retry, `${loc}/Retry`);
  if ('Catch' in st) catchers(out, st.Catch, `${loc}/Catch`);
}
