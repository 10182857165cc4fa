/**
 * `iam:PassRole`: handing a role to a service (a function's execution role, a state machine's
 * role, a rule target's role) requires the caller to be allowed to pass it, as on AWS. The
 * learner's root credentials always are; a role session needs the permission in its policies.
 * Each service adds these requests to the ones its operation needs (its authorization.ts).
 */
import type { AccessRequest } from './contracts.js';

/** One PassRole request per role ARN given (non-strings and duplicates ignored). */
export function passRoleRequests(roles: unknown[]): AccessRequest[] {
  const arns = new Set(roles.filter((r): r is string => typeof r === 'string' && r !== ''));
  return [...arns].map((resource) => ({ action: 'iam:PassRole', resource }));
}
