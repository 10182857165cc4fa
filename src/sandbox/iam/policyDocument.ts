/**
 * IAM policy grammar checks, with IAM's `MalformedPolicyDocument` messages, for the two kinds of
 * policy a role has: its trust policy (Principal required, Resource prohibited) and its identity
 * policies (Resource required, Principal prohibited). And the one question other services ask of a
 * trust policy: may this service principal assume the role?
 */
import { AwsError } from '../errors.js';

export type PolicyKind = 'trust' | 'identity';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Statement = Record<string, Json>;

const VERSIONS = ['2008-10-17', '2012-10-17'];
const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_MEMBERS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);
const PRINCIPAL_TYPES = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);

export function malformed(message: string): AwsError {
  return new AwsError('MalformedPolicyDocument', message, 400);
}

function isObject(v: Json | undefined): v is { [k: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStringOrStrings(v: Json | undefined): boolean {
  return typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
}

function nonEmpty(v: Json | undefined): boolean {
  return v !== undefined && !(Array.isArray(v) && v.length === 0);
}

function statementsOf(doc: { [k: string]: Json }): Statement[] {
  const st = doc.Statement;
  if (isObject(st)) return [st];
  if (Array.isArray(st) && st.length > 0 && st.every(isObject)) return st as Statement[];
  throw malformed('Syntax errors in policy.');
}

function checkPrincipal(principal: Json | undefined): void {
  if (principal === '*') return;
  if (!isObject(principal) || Object.keys(principal).length === 0) {
    throw malformed('Invalid principal in policy: ' + JSON.stringify(principal ?? null));
  }
  for (const [type, value] of Object.entries(principal)) {
    if (!PRINCIPAL_TYPES.has(type) || !isStringOrStrings(value) || !nonEmpty(value)) {
      throw malformed(`Invalid principal in policy: "${type}":${JSON.stringify(value)}`);
    }
  }
}

function checkAction(action: string): void {
  if (action === '*') return;
  const parts = action.split(':');
  if (parts.length === 1) {
    throw malformed('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
  }
  if (parts.length > 2) throw malformed('Actions/Condition can contain only one colon.');
  if (/[^a-zA-Z0-9\-.*]/.test(parts[0] ?? '')) throw malformed(`Vendor ${parts[0]} is not valid`);
}

function checkResource(resource: string): void {
  if (resource === '*') return;
  if (!resource.startsWith('arn:')) throw malformed(`Resource ${resource} must be in ARN format or "*".`);
}

function strings(v: Json | undefined): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/** Parse and check a policy document; throws `MalformedPolicyDocument` as IAM would. */
export function validatePolicyDocument(text: string, kind: PolicyKind): void {
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch {
    throw malformed('This policy contains invalid Json');
  }
  if (!isObject(doc)) throw malformed('Syntax errors in policy.');
  for (const key of Object.keys(doc)) {
    if (!TOP_LEVEL.has(key)) throw malformed('Syntax errors in policy.');
  }
  if (doc.Version === undefined) {
    throw malformed('Policy document must be version 2012-10-17 or greater.');
  }
  if (typeof doc.Version !== 'string' || !VERSIONS.includes(doc.Version)) {
    throw malformed('The policy failed legacy parsing');
  }
  if (doc.Statement === undefined) throw malformed('Syntax errors in policy.');
  const statements = statementsOf(doc);
  const sids = new Set<string>();
  for (const st of statements) {
    for (const key of Object.keys(st)) {
      if (!STATEMENT_MEMBERS.has(key)) throw malformed('Syntax errors in policy.');
    }
    if (st.Effect === undefined) throw malformed('Missing required field Effect');
    if (typeof st.Effect !== 'string' || !['allow', 'deny'].includes(st.Effect.toLowerCase())) {
      throw malformed('Syntax errors in policy.');
    }
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw malformed('The policy failed legacy parsing');
    for (const member of ['Action', 'NotAction', 'Resource', 'NotResource']) {
      if (st[member] !== undefined && !isStringOrStrings(st[member]))
        throw malformed('Syntax errors in policy.');
    }
    if (st.Action !== undefined && st.NotAction !== undefined) throw malformed('Syntax errors in policy.');
    if (st.Resource !== undefined && st.NotResource !== undefined)
      throw malformed('Syntax errors in policy.');
    if (st.Sid !== undefined) {
      if (typeof st.Sid !== 'string') throw malformed('Syntax errors in policy.');
      if (st.Sid && sids.has(st.Sid))
        throw malformed('Statement IDs (SID) in a single policy must be unique.');
      sids.add(st.Sid);
    }
    if (st.Condition !== undefined && !isObject(st.Condition)) throw malformed('Syntax errors in policy.');
    if (!nonEmpty(st.Action ?? st.NotAction)) throw malformed('Policy statement must contain actions.');
    if (kind === 'trust') {
      if (st.Resource !== undefined) throw malformed('Has prohibited field Resource.');
      if (st.NotResource !== undefined) throw malformed('Has prohibited field NotResource.');
      const principal = st.Principal ?? st.NotPrincipal;
      if (principal === undefined) throw malformed('Missing required field Principal');
      checkPrincipal(principal);
    } else {
      if (st.Principal !== undefined) throw malformed('Has prohibited field Principal.');
      if (st.NotPrincipal !== undefined) throw malformed('Has prohibited field NotPrincipal.');
      if (!nonEmpty(st.Resource ?? st.NotResource))
        throw malformed('Policy statement must contain resources.');
      for (const r of strings(st.Resource ?? st.NotResource)) checkResource(r);
    }
    for (const a of strings(st.Action ?? st.NotAction)) checkAction(a);
  }
}

/** IAM action matching: case-insensitive, `*` and `?` wildcards. */
function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return re.test(action);
}

/**
 * Whether an (already valid) trust policy has an Allow statement letting `servicePrincipal` call
 * `sts:AssumeRole`, and no Deny statement stopping it.
 */
export function trustPolicyAllowsService(text: string, servicePrincipal: string): boolean {
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch {
    return false;
  }
  if (!isObject(doc)) return false;
  let statements: Statement[];
  try {
    statements = statementsOf(doc);
  } catch {
    return false;
  }
  const applies = (st: Statement): boolean => {
    const actions = strings(st.Action);
    if (!actions.some((a) => actionMatches(a, 'sts:AssumeRole'))) return false;
    const principal = st.Principal;
    if (principal === '*') return true;
    if (!isObject(principal)) return false;
    return strings(principal.Service).includes(servicePrincipal) || strings(principal.AWS).includes('*');
  };
  const relevant = statements.filter(applies);
  return relevant.some((st) => st.Effect === 'Allow') && !relevant.some((st) => st.Effect === 'Deny');
}
