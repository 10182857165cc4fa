/**
 * EventBridge rules on the default bus with their targets. PutRule is an upsert, so whether the
 * rule already exists (and whose it is) is asked first. The rule's ledger entry covers its targets:
 * teardown removes the targets, then the rule (AWS refuses to delete a rule that still has targets).
 */
import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TagResourceCommand,
} from '@aws-sdk/client-eventbridge';
import { ResourceCreateError } from '../errors.js';
import { runPrefix, tagList, tagMap, tagsMatch } from '../naming.js';
import type { RuleSpec } from '../resourceTypes.js';
import { assertAdoptable, type KindTeardown, type ResourceContext } from './context.js';
import { removeIfOurs, sweepByPrefix, unlessNotFound } from './ownership.js';

export function ruleArn(ctx: { region: string; accountId: string }, name: string): string {
  return `arn:aws:events:${ctx.region}:${ctx.accountId}:rule/${name}`;
}

/** The rule's ARN, or undefined when it does not exist. */
async function describeRule(ctx: ResourceContext, name: string): Promise<string | undefined> {
  return unlessNotFound(async () => {
    const out = await ctx.clients.events.send(new DescribeRuleCommand({ Name: name }));
    return out.Arn ?? ruleArn(ctx, name);
  });
}

function ruleTags(ctx: ResourceContext, arn: string): Promise<Record<string, string> | undefined> {
  return unlessNotFound(async () => {
    const out = await ctx.clients.events.send(new ListTagsForResourceCommand({ ResourceARN: arn }));
    return tagMap(out.Tags);
  });
}

async function targetIds(ctx: ResourceContext, name: string): Promise<string[]> {
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const out = await ctx.clients.events.send(new ListTargetsByRuleCommand({ Rule: name, NextToken: token }));
    ids.push(...(out.Targets ?? []).map((t) => t.Id ?? '').filter((id) => id !== ''));
    token = out.NextToken;
  } while (token);
  return ids;
}

async function removeTargets(ctx: ResourceContext, name: string, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 100) {
    const out = await ctx.clients.events.send(
      new RemoveTargetsCommand({ Rule: name, Ids: ids.slice(i, i + 100) }),
    );
    if ((out.FailedEntryCount ?? 0) > 0) {
      const first = out.FailedEntries?.[0];
      throw new Error(
        `could not remove targets of rule ${name}: ${first?.ErrorCode ?? ''} ${first?.ErrorMessage ?? ''}`,
      );
    }
  }
}

export async function createRule(
  ctx: ResourceContext,
  spec: RuleSpec,
  name: string,
  ledgerNamedBefore: boolean,
): Promise<string> {
  const existingArn = await describeRule(ctx, name);
  let tags: Record<string, string> | undefined;
  if (existingArn) {
    tags = await ruleTags(ctx, existingArn);
    assertAdoptable(ctx, 'events-rule', name, tags, ledgerNamedBefore);
  }
  const out = await ctx.clients.events.send(
    new PutRuleCommand({
      Name: name,
      Description: spec.description,
      ScheduleExpression: spec.scheduleExpression,
      EventPattern: spec.eventPattern ? JSON.stringify(spec.eventPattern) : undefined,
      State: spec.state ?? 'ENABLED',
      Tags: tagList(ctx.tags),
    }),
  );
  const arn = out.RuleArn ?? existingArn ?? ruleArn(ctx, name);
  if (existingArn) {
    // PutRule does not change the tags of an existing rule.
    if (!tagsMatch(tags, ctx.demo, ctx.runId)) {
      await ctx.clients.events.send(new TagResourceCommand({ ResourceARN: arn, Tags: tagList(ctx.tags) }));
    }
    const wanted = new Set(spec.targets.map((t) => t.id));
    const stale = (await targetIds(ctx, name)).filter((id) => !wanted.has(id));
    if (stale.length > 0) await removeTargets(ctx, name, stale);
  }
  if (spec.targets.length > 0) {
    const put = await ctx.clients.events.send(
      new PutTargetsCommand({
        Rule: name,
        Targets: spec.targets.map((t) => ({
          Id: t.id,
          Arn: t.arn,
          RoleArn: t.roleArn,
          Input: t.input,
          InputTransformer: t.inputTransformer,
          RetryPolicy: t.retryPolicy,
        })),
      }),
    );
    if ((put.FailedEntryCount ?? 0) > 0) {
      const first = put.FailedEntries?.[0];
      throw new ResourceCreateError(
        `EventBridge refused target ${first?.TargetId ?? '?'} of rule ${name}: ${first?.ErrorCode ?? ''} ${first?.ErrorMessage ?? ''}`.trim(),
      );
    }
  }
  return arn;
}

export const ruleTeardown: KindTeardown = {
  async remove(ctx, ref) {
    const arn = await describeRule(ctx, ref.name);
    if (!arn) return 'gone';
    return removeIfOurs(ctx, {
      tags: await ruleTags(ctx, arn),
      remove: async () => {
        const ids = await targetIds(ctx, ref.name);
        if (ids.length > 0) await removeTargets(ctx, ref.name, ids);
        await ctx.clients.events.send(new DeleteRuleCommand({ Name: ref.name }));
      },
    });
  },
  sweep(ctx) {
    return sweepByPrefix(ctx, {
      page: async (token) => {
        const out = await ctx.clients.events.send(
          new ListRulesCommand({ NamePrefix: runPrefix(ctx.demo, ctx.runId), NextToken: token }),
        );
        return { items: out.Rules ?? [], next: out.NextToken };
      },
      name: (r) => r.Name,
      // ListRules already filtered by the prefix.
      matches: () => true,
      arn: (r, name) => r.Arn ?? ruleArn(ctx, name),
      tags: (_name, arn) => ruleTags(ctx, arn),
    });
  },
};
