/**
 * CloudWatch Logs log groups, created by us (not left to Lambda) so they carry tags and a short
 * retention, and so teardown can remove them. The ARN returned ends in `:*`, the form IAM policies
 * and Step Functions logging destinations take.
 */
import {
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  PutRetentionPolicyCommand,
  TagLogGroupCommand,
  TagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { errorName, isNotFound, isUnsupportedOperation } from '../awsErrors.js';
import { tagsMatch } from '../naming.js';
import type { LogGroupSpec } from '../resourceTypes.js';
import { assertAdoptable, type KindTeardown, type ResourceContext } from './context.js';
import { removeIfOurs, sweepByPrefix, unlessNotFound } from './ownership.js';

export function logGroupArn(ctx: { region: string; accountId: string }, name: string): string {
  return `arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:${name}:*`;
}

function bareArn(ctx: ResourceContext, name: string): string {
  return logGroupArn(ctx, name).slice(0, -2);
}

/** The log group's tags, or undefined when it does not exist. */
export async function logGroupTags(
  ctx: ResourceContext,
  name: string,
): Promise<Record<string, string> | undefined> {
  try {
    const out = await ctx.clients.logs.send(
      new ListTagsForResourceCommand({ resourceArn: bareArn(ctx, name) }),
    );
    return out.tags ?? {};
  } catch (err) {
    if (isNotFound(err)) return undefined;
    if (!isUnsupportedOperation(err) && errorName(err) !== 'InvalidParameterException') throw err;
  }
  // Older endpoints only know the log-group-name form.
  return unlessNotFound(async () => {
    const out = await ctx.clients.logs.send(new ListTagsLogGroupCommand({ logGroupName: name }));
    return out.tags ?? {};
  });
}

async function tagLogGroup(ctx: ResourceContext, name: string): Promise<void> {
  try {
    await ctx.clients.logs.send(new TagResourceCommand({ resourceArn: bareArn(ctx, name), tags: ctx.tags }));
  } catch (err) {
    if (!isUnsupportedOperation(err)) throw err;
    await ctx.clients.logs.send(new TagLogGroupCommand({ logGroupName: name, tags: ctx.tags }));
  }
}

export async function createLogGroup(
  ctx: ResourceContext,
  spec: LogGroupSpec,
  ledgerNamedBefore: boolean,
): Promise<string> {
  const name = spec.name;
  try {
    await ctx.clients.logs.send(new CreateLogGroupCommand({ logGroupName: name, tags: ctx.tags }));
  } catch (err) {
    if (errorName(err) !== 'ResourceAlreadyExistsException') throw err;
    const tags = await logGroupTags(ctx, name);
    assertAdoptable(ctx, 'log-group', name, tags, ledgerNamedBefore);
    if (!tagsMatch(tags, ctx.demo, ctx.runId)) await tagLogGroup(ctx, name);
  }
  await ctx.clients.logs.send(
    new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: spec.retentionInDays }),
  );
  return logGroupArn(ctx, name);
}

export const logGroupTeardown: KindTeardown = {
  async remove(ctx, ref) {
    return removeIfOurs(ctx, {
      tags: await logGroupTags(ctx, ref.name),
      remove: async () => {
        await ctx.clients.logs.send(new DeleteLogGroupCommand({ logGroupName: ref.name }));
      },
    });
  },
  sweep(ctx) {
    return sweepByPrefix(ctx, {
      page: async (token) => {
        const out = await ctx.clients.logs.send(new DescribeLogGroupsCommand({ nextToken: token }));
        return { items: out.logGroups ?? [], next: out.nextToken };
      },
      name: (g) => g.logGroupName,
      // Log group names follow service conventions (/aws/lambda/<fn>), so match the run's prefix anywhere.
      matches: (name, prefix) => name.includes(prefix),
      arn: (_g, name) => logGroupArn(ctx, name),
      tags: (name) => logGroupTags(ctx, name),
    });
  },
};
