/**
 * CloudWatch metric alarms. PutMetricAlarm is an upsert that ignores Tags on update, so whether
 * the alarm exists (and whose it is) is asked first; an alarm of ours is brought to the spec and
 * re-tagged if an earlier attempt died before tagging. Alarms carry tags, which teardown checks.
 */
import {
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand,
  PutMetricAlarmCommand,
  TagResourceCommand,
  type MetricDataQuery,
  type PutMetricAlarmCommandInput,
  type StandardUnit,
} from '@aws-sdk/client-cloudwatch';
import { runPrefix, tagList, tagMap, tagsMatch } from '../naming.js';
import type { AlarmMetricSpec, AlarmSpec } from '../resourceTypes.js';
import { assertAdoptable, type KindTeardown, type ResourceContext } from './context.js';
import { removeIfOurs, sweepByPrefix, unlessNotFound } from './ownership.js';

export function alarmArn(ctx: { region: string; accountId: string }, name: string): string {
  return `arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${name}`;
}

function dimensionList(dims: Record<string, string> | undefined): Array<{ Name: string; Value: string }> {
  return Object.entries(dims ?? {}).map(([Name, Value]) => ({ Name, Value }));
}

function metricStat(m: AlarmMetricSpec): MetricDataQuery['MetricStat'] {
  return {
    Metric: { Namespace: m.namespace, MetricName: m.metricName, Dimensions: dimensionList(m.dimensions) },
    Period: m.period,
    Stat: m.stat,
    Unit: m.unit as StandardUnit | undefined,
  };
}

/** Whether the alarm exists (DescribeAlarms answers an empty list, never NotFound). */
async function alarmExists(ctx: ResourceContext, name: string): Promise<boolean> {
  const out = await ctx.clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  return (out.MetricAlarms ?? []).some((a) => a.AlarmName === name);
}

/** The alarm's tags, or undefined when it does not exist. */
export async function alarmTags(
  ctx: ResourceContext,
  name: string,
): Promise<Record<string, string> | undefined> {
  return unlessNotFound(async () => {
    const out = await ctx.clients.cloudwatch.send(
      new ListTagsForResourceCommand({ ResourceARN: alarmArn(ctx, name) }),
    );
    return tagMap(out.Tags);
  });
}

function putInput(spec: AlarmSpec, name: string, tags?: Record<string, string>): PutMetricAlarmCommandInput {
  const single = spec.metric;
  return {
    AlarmName: name,
    AlarmDescription: spec.description,
    ActionsEnabled: true,
    AlarmActions: spec.alarmActions,
    OKActions: spec.okActions,
    InsufficientDataActions: spec.insufficientDataActions,
    Namespace: single?.namespace,
    MetricName: single?.metricName,
    Dimensions: single ? dimensionList(single.dimensions) : undefined,
    Statistic: single?.stat,
    Period: single?.period,
    Unit: single?.unit as StandardUnit | undefined,
    Metrics: spec.metrics?.map((q): MetricDataQuery => ({
      Id: q.id,
      Expression: q.expression,
      Label: q.label,
      ReturnData: q.returnData ?? false,
      MetricStat: q.metric ? metricStat(q.metric) : undefined,
    })),
    EvaluationPeriods: spec.evaluationPeriods,
    DatapointsToAlarm: spec.datapointsToAlarm,
    Threshold: spec.threshold,
    ComparisonOperator: spec.comparisonOperator,
    TreatMissingData: spec.treatMissingData,
    Tags: tags ? tagList(tags) : undefined,
  };
}

export async function createAlarm(
  ctx: ResourceContext,
  spec: AlarmSpec,
  name: string,
  ledgerNamedBefore: boolean,
): Promise<string> {
  if (!spec.metric === !spec.metrics)
    throw new Error(`alarm ${name}: give exactly one of metric and metrics`);
  const cw = ctx.clients.cloudwatch;
  const arn = alarmArn(ctx, name);
  if (!(await alarmExists(ctx, name))) {
    await cw.send(new PutMetricAlarmCommand(putInput(spec, name, ctx.tags)));
    return arn;
  }
  const tags = await alarmTags(ctx, name);
  assertAdoptable(ctx, 'alarm', name, tags, ledgerNamedBefore);
  await cw.send(new PutMetricAlarmCommand(putInput(spec, name)));
  // PutMetricAlarm ignores Tags when it updates.
  if (!tagsMatch(tags, ctx.demo, ctx.runId)) {
    await cw.send(new TagResourceCommand({ ResourceARN: arn, Tags: tagList(ctx.tags) }));
  }
  return arn;
}

export const alarmTeardown: KindTeardown = {
  async remove(ctx, ref) {
    if (!(await alarmExists(ctx, ref.name))) return 'gone';
    return removeIfOurs(ctx, {
      tags: await alarmTags(ctx, ref.name),
      remove: async () => {
        await ctx.clients.cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [ref.name] }));
      },
    });
  },
  sweep(ctx) {
    return sweepByPrefix(ctx, {
      page: async (token) => {
        const out = await ctx.clients.cloudwatch.send(
          new DescribeAlarmsCommand({ AlarmNamePrefix: runPrefix(ctx.demo, ctx.runId), NextToken: token }),
        );
        return { items: out.MetricAlarms ?? [], next: out.NextToken };
      },
      name: (a) => a.AlarmName,
      // DescribeAlarms already filtered by the prefix.
      matches: () => true,
      arn: (a, name) => a.AlarmArn ?? alarmArn(ctx, name),
      tags: (name) => alarmTags(ctx, name),
    });
  },
};
