/**
 * What IAM offers the other services in-process (`IamDirectory`): roles and their trust, the
 * evaluation of a role's identity policies, and the role sessions the sandbox hands out.
 */
import type {
  AccessDecision,
  AccessRequest,
  IamDirectory,
  PolicyCaller,
  RoleRecord,
  RoleSession,
  SessionCredentials,
} from '../contracts.js';
import { managedPolicyDocument } from './managedPolicies.js';
import { evaluatePolicies } from './policyEvaluation.js';
import { evaluateResourcePolicies } from './resourcePolicyEvaluation.js';
import type { RoleStore } from './roleStore.js';
import { SessionRegistry } from './sessions.js';

export class AccessDirectory implements IamDirectory {
  readonly sessions = new SessionRegistry();

  constructor(private readonly roles: RoleStore) {}

  findRoleByArn(arn: string): RoleRecord | undefined {
    return this.roles.findRoleByArn(arn);
  }

  roleTrustsService(arn: string, servicePrincipal: string): boolean {
    return this.roles.roleTrustsService(arn, servicePrincipal);
  }

  /** The role's identity policies as JSON texts: inline ones, then the known managed ones. */
  identityPolicies(roleArn: string): string[] {
    const role = this.roles.findRoleByArn(roleArn);
    if (!role) return [];
    const managed = (role.attachedPolicies ?? [])
      .map(managedPolicyDocument)
      .filter((d): d is string => d !== undefined);
    return [...Object.values(role.inlinePolicies), ...managed];
  }

  authorize(roleArn: string, request: AccessRequest): AccessDecision {
    return evaluatePolicies(this.identityPolicies(roleArn), request);
  }

  authorizeByResourcePolicies(
    policies: string[],
    caller: PolicyCaller,
    request: AccessRequest,
  ): AccessDecision {
    return evaluateResourcePolicies(policies, caller, request);
  }

  issueRoleSession(roleArn: string, sessionName: string, lifetimeMs?: number): SessionCredentials {
    const role = this.roles.findRoleByArn(roleArn);
    return this.sessions.issue(roleArn, role?.roleId ?? 'AROAUNKNOWNROLE', sessionName, lifetimeMs);
  }

  findSession(accessKeyId: string): (RoleSession & SessionCredentials) | undefined {
    return this.sessions.find(accessKeyId);
  }

  revokeSession(accessKeyId: string): void {
    this.sessions.revoke(accessKeyId);
  }
}
