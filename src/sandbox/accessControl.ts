/**
 * Enforcement of IAM for requests signed by a role session: each service declares which IAM
 * actions an operation needs (its `authorization.ts`), and this checks them against the role's
 * policies through `IamDirectory`, throwing the service's own access-denied error with AWS's
 * wording. Requests signed with the sandbox's root credentials are never checked (they are the
 * account's admin credentials).
 */
import type {
  AccessDecision,
  AccessRequest,
  CallerPrincipal,
  IamDirectory,
  RoleSession,
} from './contracts.js';
import { AwsError } from './errors.js';

/** How a service's protocol shapes access denied: S3 and awsQuery `AccessDenied` 403, JSON 400. */
export interface DeniedShape {
  code: string;
  status: number;
  /** S3 quotes the resource ARN in its message. */
  quoteResource?: boolean;
}

export const JSON_ACCESS_DENIED: DeniedShape = { code: 'AccessDeniedException', status: 400 };
/** Lambda's REST API answers an IAM denial with 403. */
export const LAMBDA_ACCESS_DENIED: DeniedShape = { code: 'AccessDeniedException', status: 403 };
export const QUERY_ACCESS_DENIED: DeniedShape = { code: 'AccessDenied', status: 403 };
export const S3_ACCESS_DENIED: DeniedShape = { code: 'AccessDenied', status: 403, quoteResource: true };

export function accessDeniedMessage(
  who: string,
  req: AccessRequest,
  decision: Exclude<AccessDecision, 'allowed'>,
  quoteResource = false,
): string {
  const resource = quoteResource ? `"${req.resource}"` : req.resource;
  const why =
    decision === 'explicitDeny'
      ? 'with an explicit deny in an identity-based policy'
      : `because no identity-based policy allows the ${req.action} action`;
  return `User: ${who} is not authorized to perform: ${req.action} on resource: ${resource} ${why}`;
}

export function accessDenied(
  session: RoleSession,
  req: AccessRequest,
  decision: Exclude<AccessDecision, 'allowed'>,
  shape: DeniedShape,
): AwsError {
  return new AwsError(
    shape.code,
    accessDeniedMessage(session.assumedRoleArn, req, decision, shape.quoteResource),
    shape.status,
  );
}

/** The role session behind a request, or undefined for root (unchecked). */
export function roleSessionOf(principal: CallerPrincipal | undefined): RoleSession | undefined {
  return principal?.kind === 'role' ? principal : undefined;
}

/** Whether the caller may make this request (root always may). */
export function isPermitted(
  iam: IamDirectory,
  principal: CallerPrincipal | undefined,
  req: AccessRequest,
): boolean {
  const session = roleSessionOf(principal);
  return !session || iam.authorize(session.roleArn, req) === 'allowed';
}

/** Throw the service's access-denied error for the first request the caller's role does not allow. */
export function enforceAccess(
  iam: IamDirectory,
  principal: CallerPrincipal | undefined,
  requests: AccessRequest[],
  shape: DeniedShape,
): void {
  const session = roleSessionOf(principal);
  if (!session) return;
  for (const req of requests) {
    const decision = iam.authorize(session.roleArn, req);
    if (decision !== 'allowed') throw accessDenied(session, req, decision, shape);
  }
}
