/** A role as IAM reports it: who may assume it, its inline policy names and one policy's document. */
import { GetRoleCommand, GetRolePolicyCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import type { StepContext } from '../../src/course/model.js';
import { decodePolicyDocument, readBack } from './checks.js';

export interface RoleReadBack {
  trustedServices: string[];
  policyNames: string[];
  policy: unknown;
}

export async function readRole(
  ctx: StepContext<unknown>,
  roleName: string,
  policyName: string,
): Promise<RoleReadBack> {
  const role = await ctx.aws.iam.send(new GetRoleCommand({ RoleName: roleName }));
  const trust = decodePolicyDocument(role.Role?.AssumeRolePolicyDocument) as {
    Statement?: Array<{ Principal?: { Service?: string | string[] } }>;
  };
  const trustedServices = (trust?.Statement ?? []).flatMap((s) => [s.Principal?.Service ?? []].flat());
  const listed = await ctx.aws.iam.send(new ListRolePoliciesCommand({ RoleName: roleName }));
  // The role exists (GetRole answered): a missing inline policy is read as no policy, not no role.
  const inline = await readBack(() =>
    ctx.aws.iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })),
  );
  return {
    trustedServices,
    policyNames: listed.PolicyNames ?? [],
    policy: inline ? decodePolicyDocument(inline.PolicyDocument) : undefined,
  };
}
