/**
 * IAM roles: trust policy for one service principal, inline policies exactly as the demo wrote them
 * (never widened), tags set at creation. On adopt the trust policy and inline policies are brought
 * back to the spec; inline policies the spec no longer names are removed.
 */
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  GetRoleCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  ListRolesCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { isNotFound, errorName, isUnsupportedOperation } from '../awsErrors.js';
import { tagList, tagMap, tagsMatch } from '../naming.js';
import type { PolicyDocument, RoleSpec } from '../resourceTypes.js';
import { assertAdoptable, type KindTeardown, type ResourceContext } from './context.js';
import { removeIfOurs, sweepByPrefix, unlessNotFound } from './ownership.js';

export function trustPolicy(service: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  };
}

/** The role's tags, or undefined when it does not exist. */
export async function roleTags(
  ctx: ResourceContext,
  name: string,
): Promise<Record<string, string> | undefined> {
  return unlessNotFound(async () => {
    const tags: Array<{ Key?: string; Value?: string }> = [];
    let marker: string | undefined;
    do {
      const out = await ctx.clients.iam.send(new ListRoleTagsCommand({ RoleName: name, Marker: marker }));
      tags.push(...(out.Tags ?? []));
      marker = out.IsTruncated ? out.Marker : undefined;
    } while (marker);
    return tagMap(tags);
  });
}

async function inlinePolicyNames(ctx: ResourceContext, name: string): Promise<string[]> {
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const out = await ctx.clients.iam.send(new ListRolePoliciesCommand({ RoleName: name, Marker: marker }));
    names.push(...(out.PolicyNames ?? []));
    marker = out.IsTruncated ? out.Marker : undefined;
  } while (marker);
  return names;
}

function sameDocument(encoded: string | undefined, doc: PolicyDocument): boolean {
  if (!encoded) return false;
  try {
    return JSON.stringify(JSON.parse(decodeURIComponent(encoded))) === JSON.stringify(doc);
  } catch {
    return false;
  }
}

export async function createRole(
  ctx: ResourceContext,
  spec: RoleSpec,
  name: string,
  ledgerNamedBefore: boolean,
): Promise<string> {
  const trust = trustPolicy(spec.trustedService);
  let arn: string;
  try {
    const out = await ctx.clients.iam.send(
      new CreateRoleCommand({
        RoleName: name,
        AssumeRolePolicyDocument: JSON.stringify(trust),
        Description: spec.description,
        Tags: tagList(ctx.tags),
      }),
    );
    arn = out.Role?.Arn ?? `arn:aws:iam::${ctx.accountId}:role/${name}`;
  } catch (err) {
    if (!/^EntityAlreadyExists(Exception)?$/.test(errorName(err))) throw err;
    const tags = await roleTags(ctx, name);
    assertAdoptable(ctx, 'iam-role', name, tags, ledgerNamedBefore);
    const existing = await ctx.clients.iam.send(new GetRoleCommand({ RoleName: name }));
    arn = existing.Role?.Arn ?? `arn:aws:iam::${ctx.accountId}:role/${name}`;
    if (!sameDocument(existing.Role?.AssumeRolePolicyDocument, trust)) {
      await ctx.clients.iam.send(
        new UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: JSON.stringify(trust) }),
      );
    }
    if (!tagsMatch(tags, ctx.demo, ctx.runId)) {
      await ctx.clients.iam.send(new TagRoleCommand({ RoleName: name, Tags: tagList(ctx.tags) }));
    }
    const wanted = new Set(Object.keys(spec.inlinePolicies));
    for (const stale of (await inlinePolicyNames(ctx, name)).filter((p) => !wanted.has(p))) {
      await ctx.clients.iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: stale }));
    }
  }
  // Inline policies are independent of each other: put them concurrently.
  await Promise.all(
    Object.entries(spec.inlinePolicies).map(([policyName, doc]) =>
      ctx.clients.iam.send(
        new PutRolePolicyCommand({
          RoleName: name,
          PolicyName: policyName,
          PolicyDocument: JSON.stringify(doc),
        }),
      ),
    ),
  );
  return arn;
}

/** The course attaches none, but a learner may have: AWS refuses DeleteRole while any remain. */
async function detachManagedPolicies(ctx: ResourceContext, name: string): Promise<void> {
  let marker: string | undefined;
  try {
    do {
      const out = await ctx.clients.iam.send(
        new ListAttachedRolePoliciesCommand({ RoleName: name, Marker: marker }),
      );
      for (const p of out.AttachedPolicies ?? []) {
        if (p.PolicyArn)
          await ctx.clients.iam.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn: p.PolicyArn }));
      }
      marker = out.IsTruncated ? out.Marker : undefined;
    } while (marker);
  } catch (err) {
    if (!isUnsupportedOperation(err)) throw err;
  }
}

export const roleTeardown: KindTeardown = {
  async remove(ctx, ref) {
    return removeIfOurs(ctx, {
      tags: await roleTags(ctx, ref.name),
      remove: async () => {
        await detachManagedPolicies(ctx, ref.name);
        for (const policyName of await inlinePolicyNames(ctx, ref.name)) {
          try {
            await ctx.clients.iam.send(
              new DeleteRolePolicyCommand({ RoleName: ref.name, PolicyName: policyName }),
            );
          } catch (err) {
            if (!isNotFound(err)) throw err;
          }
        }
        await ctx.clients.iam.send(new DeleteRoleCommand({ RoleName: ref.name }));
      },
    });
  },
  sweep(ctx) {
    return sweepByPrefix(ctx, {
      page: async (marker) => {
        const out = await ctx.clients.iam.send(new ListRolesCommand({ Marker: marker }));
        return { items: out.Roles ?? [], next: out.IsTruncated ? out.Marker : undefined };
      },
      name: (r) => r.RoleName,
      arn: (r) => r.Arn ?? '',
      tags: (name) => roleTags(ctx, name),
    });
  },
};
