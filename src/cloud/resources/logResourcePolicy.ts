/**
 * CloudWatch Logs resource policies: account-level (at most 10 per region), named, and without
 * tags. What proves one ours is its run-prefixed name *and* its document: every resource it grants
 * must name this run (`course-<demo>-<run>-…`). A policy of the same name that grants anything else
 * is someone else's and is never adopted, changed or deleted. PutResourcePolicy is an upsert.
 */
import {
  DeleteResourcePolicyCommand,
  DescribeResourcePoliciesCommand,
  PutResourcePolicyCommand,
  type ResourcePolicy,
} from '@aws-sdk/client-cloudwatch-logs';
import { ResourceConflictError } from '../errors.js';
import { runPrefix } from '../naming.js';
import type { LogResourcePolicySpec } from '../resourceTypes.js';
import type { KindTeardown, ResourceContext } from './context.js';
import { removeIfOurs } from './ownership.js';

/** Resource policies have no ARN; this names one for display (status, reports). */
export function logResourcePolicyRef(ctx: { region: string; accountId: string }, name: string): string {
  return `arn:aws:logs:${ctx.region}:${ctx.accountId}:resource-policy:${name}`;
}

/** Every resource policy of the account in the region (DescribeResourcePolicies, paged). */
async function allPolicies(ctx: ResourceContext): Promise<ResourcePolicy[]> {
  const found: ResourcePolicy[] = [];
  let token: string | undefined;
  do {
    const out = await ctx.clients.logs.send(new DescribeResourcePoliciesCommand({ nextToken: token }));
    found.push(...(out.resourcePolicies ?? []));
    token = out.nextToken;
  } while (token);
  return found;
}

async function findPolicy(ctx: ResourceContext, name: string): Promise<ResourcePolicy | undefined> {
  return (await allPolicies(ctx)).find((p) => p.policyName === name);
}

/** Whether every resource the document grants names this run (and it grants something). */
export function grantsOnlyRun(document: string | undefined, demo: string, runId: string): boolean {
  const prefix = runPrefix(demo, runId);
  try {
    const doc = JSON.parse(document ?? '') as { Statement?: unknown };
    const statements = [doc.Statement ?? []].flat() as Array<{ Resource?: unknown }>;
    const resources = statements.flatMap((s) => [s.Resource ?? []].flat());
    return resources.length > 0 && resources.every((r) => typeof r === 'string' && r.includes(prefix));
  } catch {
    return false;
  }
}

/** The policy's "tags": this run's when its document proves it, other's otherwise (for removeIfOurs). */
function ownershipTags(
  ctx: ResourceContext,
  policy: ResourcePolicy | undefined,
): Record<string, string> | undefined {
  if (!policy) return undefined;
  return grantsOnlyRun(policy.policyDocument, ctx.demo, ctx.runId) ? ctx.tags : {};
}

export async function createLogResourcePolicy(
  ctx: ResourceContext,
  spec: LogResourcePolicySpec,
  name: string,
): Promise<string> {
  const document = JSON.stringify(spec.policyDocument);
  if (!grantsOnlyRun(document, ctx.demo, ctx.runId)) {
    // A bug in the demo, caught before it touches the account: the proof of ownership would fail.
    throw new ResourceConflictError(
      'log-resource-policy',
      name,
      'its document grants resources outside this run, so teardown could not prove it ours',
    );
  }
  const existing = await findPolicy(ctx, name);
  if (existing && !grantsOnlyRun(existing.policyDocument, ctx.demo, ctx.runId)) {
    throw new ResourceConflictError(
      'log-resource-policy',
      name,
      'a policy of that name grants resources of another run',
    );
  }
  await ctx.clients.logs.send(new PutResourcePolicyCommand({ policyName: name, policyDocument: document }));
  return logResourcePolicyRef(ctx, name);
}

export const logResourcePolicyTeardown: KindTeardown = {
  async remove(ctx, ref) {
    return removeIfOurs(ctx, {
      tags: ownershipTags(ctx, await findPolicy(ctx, ref.name)),
      refusal: () => "its document grants resources that are not this run's",
      remove: async () => {
        await ctx.clients.logs.send(new DeleteResourcePolicyCommand({ policyName: ref.name }));
      },
    });
  },
  async sweep(ctx) {
    const prefix = runPrefix(ctx.demo, ctx.runId);
    return (await allPolicies(ctx))
      .filter((p) => p.policyName?.startsWith(prefix) && grantsOnlyRun(p.policyDocument, ctx.demo, ctx.runId))
      .map((p) => ({ name: p.policyName!, arn: logResourcePolicyRef(ctx, p.policyName!) }));
  },
};
