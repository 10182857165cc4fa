/**
 * CloudWatch Logs metric filters. A filter lives in its log group and has no tags of its own, so
 * ownership is proven by the group (one of this run's, tagged) and the filter's run-prefixed name;
 * the ledger entry names the group as its parent. PutMetricFilter is an upsert: an existing filter of
 * ours is brought to the spec.
 */
import {
  DeleteMetricFilterCommand,
  DescribeLogGroupsCommand,
  DescribeMetricFiltersCommand,
  PutMetricFilterCommand,
  type MetricFilter,
  type StandardUnit,
} from '@aws-sdk/client-cloudwatch-logs';
import { ResourceConflictError } from '../errors.js';
import { describeTagMismatch, runPrefix, tagsMatch } from '../naming.js';
import type { MetricFilterSpec } from '../resourceTypes.js';
import type { KindTeardown, ResourceContext } from './context.js';
import { logGroupArn, logGroupTags } from './logGroup.js';
import { removeIfOurs } from './ownership.js';

/**
 * `groupKnownOurs`: the ledger confirms this run created the log group, so its tags need no extra
 * round trip.
 */
export async function createMetricFilter(
  ctx: ResourceContext,
  spec: MetricFilterSpec,
  name: string,
  groupKnownOurs = false,
): Promise<string> {
  if (!groupKnownOurs) {
    const tags = await logGroupTags(ctx, spec.logGroupName);
    // A missing group is reported by PutMetricFilter itself, with AWS's words.
    if (tags !== undefined && !tagsMatch(tags, ctx.demo, ctx.runId)) {
      throw new ResourceConflictError('log-group', spec.logGroupName, describeTagMismatch(tags, ctx.runId));
    }
  }
  await ctx.clients.logs.send(
    new PutMetricFilterCommand({
      logGroupName: spec.logGroupName,
      filterName: name,
      filterPattern: spec.filterPattern,
      metricTransformations: [
        {
          metricNamespace: spec.metricNamespace,
          metricName: spec.metricName,
          metricValue: spec.metricValue,
          defaultValue: spec.defaultValue,
          dimensions: spec.dimensions,
          unit: spec.unit as StandardUnit | undefined,
        },
      ],
    }),
  );
  return logGroupArn(ctx, spec.logGroupName);
}

/** Metric filters of a group whose names start with `prefix`. */
async function filtersOf(ctx: ResourceContext, group: string, prefix: string): Promise<MetricFilter[]> {
  const found: MetricFilter[] = [];
  let token: string | undefined;
  do {
    const out = await ctx.clients.logs.send(
      new DescribeMetricFiltersCommand({ logGroupName: group, filterNamePrefix: prefix, nextToken: token }),
    );
    found.push(...(out.metricFilters ?? []));
    token = out.nextToken;
  } while (token);
  return found;
}

export const metricFilterTeardown: KindTeardown = {
  async remove(ctx, ref) {
    const group = ref.parent ?? '';
    return removeIfOurs(ctx, {
      // The filter lives in its log group: no group, no filter.
      tags: await logGroupTags(ctx, group),
      refusal: (mismatch) => `its log group ${mismatch.replace(/^it /, '')}`,
      remove: async () => {
        await ctx.clients.logs.send(
          new DeleteMetricFilterCommand({ logGroupName: group, filterName: ref.name }),
        );
      },
    });
  },
  /** This run's filters left in any log group of the run (a group that is gone took its filters along). */
  async sweep(ctx) {
    const prefix = runPrefix(ctx.demo, ctx.runId);
    const groups: string[] = [];
    let token: string | undefined;
    do {
      const out = await ctx.clients.logs.send(new DescribeLogGroupsCommand({ nextToken: token }));
      for (const g of out.logGroups ?? []) {
        if (g.logGroupName?.includes(prefix) && (g.metricFilterCount ?? 1) > 0) groups.push(g.logGroupName);
      }
      token = out.nextToken;
    } while (token);
    const found: Array<{ name: string; arn: string }> = [];
    for (const group of groups) {
      if (!tagsMatch(await logGroupTags(ctx, group), ctx.demo, ctx.runId)) continue;
      for (const f of await filtersOf(ctx, group, prefix)) {
        if (f.filterName) found.push({ name: f.filterName, arn: logGroupArn(ctx, group) });
      }
    }
    return found;
  },
};
