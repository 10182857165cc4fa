/**
 * Resource-based policy evaluation (a CloudWatch Logs resource policy, for instance): like an
 * identity policy, but a statement applies only when its `Principal` (or `NotPrincipal`) names the
 * caller. Callers here are AWS service principals (`events.amazonaws.com`) or IAM principals by ARN.
 */
import type { PolicyCaller } from '../contracts.js';
import {
  statementApplies,
  statementsOf,
  strings,
  type AccessDecision,
  type EvaluatedRequest,
  type Json,
  type Statement,
} from './policyEvaluation.js';

function accountOf(arn: string): string | undefined {
  return /^arn:aws[\w-]*:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1];
}

/** Whether a `Principal` element names the caller. */
function principalNamed(element: Json | undefined, who: PolicyCaller): boolean {
  if (element === '*') return true;
  if (element === null || element === undefined || typeof element !== 'object' || Array.isArray(element)) {
    return false;
  }
  if ('service' in who) {
    return strings(element.Service).some((s) => s.toLowerCase() === who.service.toLowerCase());
  }
  const account = accountOf(who.arn);
  return strings(element.AWS).some(
    (p) =>
      p === '*' ||
      p === who.arn ||
      (account !== undefined && (p === account || p === `arn:aws:iam::${account}:root`)),
  );
}

function statementNamesCaller(st: Statement, who: PolicyCaller): boolean {
  if ('Principal' in st) return principalNamed(st.Principal, who);
  if ('NotPrincipal' in st) return !principalNamed(st.NotPrincipal, who);
  return false;
}

/** The decision of a set of resource policies (JSON texts) for one caller's request. */
export function evaluateResourcePolicies(
  policies: string[],
  who: PolicyCaller,
  req: EvaluatedRequest,
): AccessDecision {
  let allowed = false;
  for (const text of policies) {
    for (const st of statementsOf(text)) {
      if (!statementNamesCaller(st, who) || !statementApplies(st, req)) continue;
      if (st.Effect === 'Deny') return 'explicitDeny';
      if (st.Effect === 'Allow') allowed = true;
    }
  }
  return allowed ? 'allowed' : 'implicitDeny';
}
