/**
 * CloudWatch Logs resource policies: how a service that has no role of ours (EventBridge delivering
 * to a log-group target, say) is allowed to write into a log group. They are account-level, limited
 * to 10 per region and carry no tags, so each one names only this run's log group (its ledger
 * parent): the group's tags and the policy's run-prefixed name prove it ours. PutResourcePolicy is
 * an upsert; one of ours is simply brought to the spec.
 */
import {
  DeleteResourcePolicyCommand,
  DescribeResourcePoliciesCommand,
  PutResourcePolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { ResourceConflictError } from '../errors.js';
import { describeTagMismatch, runPrefix, tagsMatch } from '../naming.js';
import type { LogResourcePolicySpec } from '../resourceTypes.js';
import type { KindTeardown, ResourceContext } from './context.js';
import { logGroupArn, logGroupTags } from './logGroup.js';
import { removeIfOurs } from './ownership.js';

/** A resource policy has no ARN of its own: the entry names the log group it opens. */
export async function createLogResourcePolicy(
  ctx: ResourceContext,
  spec: LogResourcePolicySpec,
  name: string,
  groupKnownOurs = false,
): Promise<string> {
  if (!groupKnownOurs) {
    const tags = await logGroupTags(ctx, spec.logGroupName);
    if (!tagsMatch(tags, ctx.demo, ctx.runId)) {
      throw new ResourceConflictError('log-group', spec.logGroupName, describeTagMismatch(tags, ctx.runId));
    }
  }
  await ctx.clients.logs.send(
    new PutResourcePolicyCommand({ policyName: name, policyDocument: JSON.stringify(spec.document) }),
  );
  return logGroupArn(ctx, spec.logGroupName);
}

async function policyNames(ctx: ResourceContext): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const out = await ctx.clients.logs.send(new DescribeResourcePoliciesCommand({ nextToken: token }));
    for (const p of out.resourcePolicies ?? []) if (p.policyName) names.push(p.policyName);
    token = out.nextToken;
  } while (token);
  return names;
}

export const logResourcePolicyTeardown: KindTeardown = {
  async remove(ctx, ref) {
    if (!(await policyNames(ctx)).includes(ref.name)) return 'gone';
    const tags = await logGroupTags(ctx, ref.parent ?? '');
    return removeIfOurs(ctx, {
      // The group is deleted after its policy (teardown order); a group already gone leaves a
      // run-prefixed policy that opens nothing any more: ours to remove.
      tags: tags ?? { ...ctx.tags },
      refusal: (mismatch) => `its log group ${mismatch.replace(/^it /, '')}`,
      remove: async () => {
        await ctx.clients.logs.send(new DeleteResourcePolicyCommand({ policyName: ref.name }));
      },
    });
  },
  /** Policies with this run's name prefix (they cannot carry tags; the prefix holds the run id). */
  async sweep(ctx) {
    const prefix = runPrefix(ctx.demo, ctx.runId);
    return (await policyNames(ctx))
      .filter((n) => n.startsWith(prefix))
      .map((name) => ({ name, arn: `arn:aws:logs:${ctx.region}:${ctx.accountId}:resource-policy:${name}` }));
  },
};
