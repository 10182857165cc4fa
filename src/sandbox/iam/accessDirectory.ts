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
import { trustPolicyAllowsService } from './policyDocument.js';
import { evaluatePolicies } from './policyEvaluation.js';
import { RolePropagation, type RoleView } from './propagation.js';
import { evaluateResourcePolicies } from './resourcePolicyEvaluation.js';
import type { RoleStore, StoredRole } from './roleStore.js';
import { SessionRegistry } from './sessions.js';

/** How long IAM changes take to reach other services (see propagation.ts). */
export interface PropagationOptions {
  clock: { now(): number };
  /** Sandbox milliseconds; 0 means at once. */
  delayMs: number;
  /** Where each answer changed by propagation is reported (the sandbox log). */
  log: (line: string) => void;
}

function identityPoliciesOf(role: StoredRole): string[] {
  const managed = (role.attachedPolicies ?? [])
    .map(managedPolicyDocument)
    .filter((d): d is string => d !== undefined);
  return [...Object.values(role.inlinePolicies), ...managed];
}

function viewsOf(roles: StoredRole[]): Map<string, RoleView> {
  return new Map(
    roles.map((r) => [r.arn, { trustPolicy: r.assumeRolePolicyDocument, policies: identityPoliciesOf(r) }]),
  );
}

export class AccessDirectory implements IamDirectory {
  readonly sessions = new SessionRegistry();
  private readonly propagation: RolePropagation | undefined;

  constructor(
    private readonly roles: RoleStore,
    private readonly delay?: PropagationOptions,
  ) {
    if (delay && delay.delayMs > 0) {
      const propagation = new RolePropagation(delay.clock, delay.delayMs);
      propagation.settle(viewsOf(roles.list()));
      roles.onChange(() => propagation.commit(viewsOf(roles.list())));
      this.propagation = propagation;
    }
  }

  findRoleByArn(arn: string): RoleRecord | undefined {
    return this.roles.findRoleByArn(arn);
  }

  roleTrustsService(arn: string, servicePrincipal: string): boolean {
    const now = this.roles.roleTrustsService(arn, servicePrincipal);
    const pending = this.propagation?.propagating(arn);
    if (!pending) return now;
    const seen = pending.visible
      ? trustPolicyAllowsService(pending.visible.trustPolicy, servicePrincipal)
      : false;
    if (seen !== now) {
      this.reportPropagation(
        arn,
        `${seen ? 'still assumable' : 'not yet assumable'} by ${servicePrincipal}`,
        pending.leftMs,
      );
    }
    return seen;
  }

  /** The role's identity policies as JSON texts (inline, then known managed), as other services see them. */
  identityPolicies(roleArn: string): string[] {
    const pending = this.propagation?.propagating(roleArn);
    if (pending) return pending.visible?.policies ?? [];
    const role = this.roles.findRoleByArn(roleArn);
    return role ? identityPoliciesOf(role) : [];
  }

  authorize(roleArn: string, request: AccessRequest): AccessDecision {
    const decision = evaluatePolicies(this.identityPolicies(roleArn), request);
    const pending = this.propagation?.propagating(roleArn);
    if (pending) {
      const role = this.roles.findRoleByArn(roleArn);
      const inForce = evaluatePolicies(role ? identityPoliciesOf(role) : [], request);
      if (inForce !== decision) {
        this.reportPropagation(
          roleArn,
          `${request.action} on ${request.resource} ${decision === 'allowed' ? 'still allowed' : 'not yet allowed'}`,
          pending.leftMs,
        );
      }
    }
    return decision;
  }

  private reportPropagation(roleArn: string, what: string, leftMs: number): void {
    this.delay?.log(
      `fault: IAM propagation: role ${roleArn.slice(roleArn.lastIndexOf('/') + 1)} ${what} (its last change reaches other services in ${Math.ceil(leftMs / 1000)} s of sandbox time)`,
    );
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
