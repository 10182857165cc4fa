/**
 * Recovery's alerting: an alarm on the function's Errors (and a metric filter on its ERROR lines),
 * its state changes routed to a log group, and — once REQUIRE_INPUT makes an empty hour fail — the
 * alarm going to ALARM, read back from its state, its history and the event that reached the group.
 */
import { ListTagsForResourceCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeLogGroupsCommand,
  DescribeMetricFiltersCommand,
  DescribeResourcePoliciesCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { DescribeRuleCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import type { CheckResult, Step, StepContext } from '../../../src/course/model.js';
import { formatDuration, waitInTargetTime } from '../../shared/targetWait.js';
import {
  STATE_CHANGE_DETAIL_TYPE,
  alarmEventPattern,
  alarmEventsPolicySpec,
  alarmRuleSpec,
  deliveredAlarmEvents,
  describeAlarm,
  errorLinesFilterSpec,
  errorsAlarmSpec,
  logGroupArnOf,
  alarmEpisode,
  stateTransitions,
  type AlertingScope,
  type DeliveredAlarmEvent,
  type StateTransition,
} from '../alerting.js';
import { expectEqual, expectThat, normalisePolicy, readBack } from '../../shared/checks.js';
import { LOG_RETENTION_DAYS, demo1Names } from '../names.js';
import { STEP_NARRATION } from '../narration.js';
import { need, type Demo1State } from '../state.js';

type Ctx = StepContext<Demo1State>;

/**
 * On AWS, Lambda's metrics arrive 1–3 minutes late and an alarm is evaluated once a minute over
 * complete minutes: ALARM can follow a failure by up to ~5 minutes. Give it a little more.
 */
const ALARM_WAIT_TIMEOUT_MS = 6 * 60_000;
/** EventBridge delivers within seconds; the log group shows it soon after. */
const EVENT_WAIT_TIMEOUT_MS = 2 * 60_000;
const POLL_MS = 5_000;
/**
 * The event is logged at its own time, which AWS does not promise equals the history item's
 * timestamp to the second: read the group from a minute before the change.
 */
const EVENT_SLACK_MS = 60_000;

function scope(ctx: Ctx): AlertingScope {
  const n = demo1Names(ctx.resources);
  return {
    region: ctx.target.region,
    accountId: ctx.target.accountId,
    functionName: need(ctx.state.functionName, 'the function'),
    functionLogGroup: need(ctx.state.logGroupName, 'the log group'),
    alarmName: ctx.state.alarmName ?? n.alarm,
    filterName: ctx.state.errorLinesFilter ?? n.errorLinesFilter,
    ruleName: ctx.state.alarmRuleName ?? n.alarmRule,
    eventsLogGroup: ctx.state.alarmEventsGroup ?? n.alarmEventsGroup,
  };
}

const describeMetric = (a: {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: Array<{ Name?: string; Value?: string }>;
}): string =>
  `${a.Namespace ?? '?'} ${a.MetricName ?? '?'} ` +
  (a.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).join(',');

const describeCondition = (a: {
  Statistic?: string;
  ComparisonOperator?: string;
  Threshold?: number;
  EvaluationPeriods?: number;
  Period?: number;
}): string =>
  `${a.Statistic} ${a.ComparisonOperator === 'GreaterThanOrEqualToThreshold' ? '>=' : a.ComparisonOperator} ` +
  `${a.Threshold} in ${a.EvaluationPeriods} period of ${a.Period} s`;

/** What the alarm's state just after it was put means, from the state read back. */
export function stateNowSentence(state: string | undefined, reason: string | undefined): string {
  switch (state) {
    case 'INSUFFICIENT_DATA':
      return 'A new alarm starts in INSUFFICIENT_DATA and moves to OK at its first evaluation (within a minute) if Errors stays below 1.';
    case 'OK':
      return 'OK: Errors stayed below 1 in the minutes it has evaluated so far.';
    case 'ALARM':
      return `Already in ALARM — the function failed in a minute the alarm evaluated: ${reason ?? '(no reason given)'}`;
    default:
      return `The alarm could not be read back (state ${state ?? 'unknown'}).`;
  }
}

const alarmOnErrors: Step<Demo1State> = {
  id: 'alarm-on-errors',
  title: "Alarm on the function's Errors, and count its ERROR lines",
  narration: STEP_NARRATION['alarm-on-errors'],
  async run(ctx) {
    const s = scope(ctx);
    const filter = await ctx.resources.metricFilter(errorLinesFilterSpec(s));
    ctx.state.errorLinesFilter = filter.name;
    ctx.state.alarmCreatedAt = ctx.clock.now();
    const alarm = await ctx.resources.alarm(errorsAlarmSpec(s));
    ctx.state.alarmName = alarm.name;
    ctx.state.alarmArn = alarm.arn;
    const a = await describeAlarm(ctx);
    ctx.out.table({
      title: `Alarm ${alarm.name}`,
      columns: ['field', 'value'],
      rows: [
        ['metric', a ? describeMetric(a) : '(not found)'],
        ['fires when', a ? describeCondition(a) : '?'],
        ['missing data', a?.TreatMissingData ?? '?'],
        ['state now', a?.StateValue ?? '?'],
        ['metric filter', `${filter.name}: lines matching ${errorLinesFilterSpec(s).filterPattern}`],
      ],
    });
    ctx.out.say(stateNowSentence(a?.StateValue, a?.StateReason));
    ctx.out.note(
      'This alarm has no action: on AWS you would add --alarm-actions with an SNS topic to be paged. ' +
        'Here its state changes are routed by EventBridge (next step), which is what an SNS action ' +
        'would be told too.',
    );
  },
  async check(ctx) {
    const s = scope(ctx);
    const a = await describeAlarm(ctx);
    const tags = a?.AlarmArn
      ? await readBack(() =>
          ctx.aws.cloudwatch.send(new ListTagsForResourceCommand({ ResourceARN: a.AlarmArn })),
        )
      : undefined;
    const filters = await readBack(() =>
      ctx.aws.logs.send(
        new DescribeMetricFiltersCommand({
          logGroupName: s.functionLogGroup,
          filterNamePrefix: s.filterName,
        }),
      ),
    );
    const f = filters?.metricFilters?.find((x) => x.filterName === s.filterName);
    const t = f?.metricTransformations?.[0];
    const spec = errorLinesFilterSpec(s);
    return [
      expectEqual(
        "the alarm watches the function's Errors",
        `AWS/Lambda Errors FunctionName=${s.functionName}`,
        a ? describeMetric(a) : '(no such alarm)',
      ),
      expectEqual('it fires on', 'Sum >= 1 in 1 period of 60 s', a ? describeCondition(a) : undefined),
      expectEqual('missing data counts as', 'notBreaching', a?.TreatMissingData),
      // Once REQUIRE_INPUT is on (a repeated run), empty hours fail and ALARM is the right answer.
      ctx.state.requireInputAt === undefined
        ? expectThat(
            'its state before anything failed',
            a?.StateValue === 'OK' || a?.StateValue === 'INSUFFICIENT_DATA',
            'OK or INSUFFICIENT_DATA',
            a?.StateValue ?? '(no such alarm)',
          )
        : expectThat(
            'its state (REQUIRE_INPUT=true since an earlier run)',
            a?.StateValue !== undefined,
            'OK, INSUFFICIENT_DATA or ALARM',
            a?.StateValue ?? '(no such alarm)',
          ),
      expectEqual(
        'the alarm is tagged as ours (course:managed-by)',
        'course-cli',
        tags?.Tags?.find((x) => x.Key === 'course:managed-by')?.Value,
      ),
      expectEqual(
        'the metric filter counts ERROR lines into a custom metric',
        `${spec.filterPattern} → ${spec.metricNamespace} ${spec.metricName} += 1`,
        f ? `${f.filterPattern} → ${t?.metricNamespace} ${t?.metricName} += ${t?.metricValue}` : '(none)',
      ),
    ];
  },
};

interface PolicyView {
  Statement?: Array<{ Principal?: { Service?: string | string[] }; Action?: unknown; Resource?: unknown }>;
}

const routeAlarmEvents: Step<Demo1State> = {
  id: 'route-alarm-events',
  title: "Route the alarm's state changes to a log group",
  narration: STEP_NARRATION['route-alarm-events'],
  async run(ctx) {
    const s = scope(ctx);
    need(ctx.state.alarmArn, 'the alarm');
    // Group, then the policy that lets EventBridge write to it, then the rule: the first event is allowed.
    const group = await ctx.resources.logGroup({
      name: s.eventsLogGroup,
      retentionInDays: LOG_RETENTION_DAYS,
    });
    ctx.state.alarmEventsGroup = group.name;
    const policy = await ctx.resources.logResourcePolicy(alarmEventsPolicySpec(s));
    ctx.state.alarmEventsPolicy = policy.name;
    const rule = await ctx.resources.rule(alarmRuleSpec(s));
    ctx.state.alarmRuleName = rule.name;
    ctx.out.block(`Event pattern of rule ${rule.name}`, JSON.stringify(alarmEventPattern(s), null, 2));
    ctx.out.block(
      `Resource policy ${policy.name}`,
      JSON.stringify(alarmEventsPolicySpec(s).policyDocument, null, 2),
    );
  },
  async check(ctx): Promise<CheckResult[]> {
    const s = scope(ctx);
    const rule = await readBack(() => ctx.aws.events.send(new DescribeRuleCommand({ Name: s.ruleName })));
    const targets = await readBack(() =>
      ctx.aws.events.send(new ListTargetsByRuleCommand({ Rule: s.ruleName })),
    );
    const groups = await ctx.aws.logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: s.eventsLogGroup }),
    );
    const group = groups.logGroups?.find((g) => g.logGroupName === s.eventsLogGroup);
    const policies = await ctx.aws.logs.send(new DescribeResourcePoliciesCommand({}));
    const name = ctx.state.alarmEventsPolicy ?? demo1Names(ctx.resources).alarmEventsPolicy;
    const policy = policies.resourcePolicies?.find((p) => p.policyName === name);
    const doc = policy ? (JSON.parse(policy.policyDocument ?? '{}') as PolicyView) : undefined;
    const expected = normalisePolicy(alarmEventsPolicySpec(s).policyDocument);
    const same = doc !== undefined && JSON.stringify(normalisePolicy(doc)) === JSON.stringify(expected);
    return [
      expectEqual('rule state', 'ENABLED', rule ? rule.State : '(no such rule)'),
      expectEqual(
        "it matches only this alarm's state changes",
        normalisePolicy(alarmEventPattern(s)),
        rule?.EventPattern ? normalisePolicy(JSON.parse(rule.EventPattern)) : undefined,
      ),
      expectEqual(
        'its only target is the log group',
        [logGroupArnOf(s, s.eventsLogGroup)],
        (targets?.Targets ?? []).map((x) => x.Arn),
      ),
      expectEqual('the log group exists, with a retention', LOG_RETENTION_DAYS, group?.retentionInDays),
      expectThat(
        'EventBridge may write to that group and nothing else',
        same,
        'CreateLogStream, PutLogEvents on this group only',
        same ? 'identical' : policy ? `different: ${policy.policyDocument}` : '(no such policy)',
      ),
    ];
  },
};

const showTransition = (ctx: Ctx, t: StateTransition): string =>
  `${t.from ?? '?'} → ${t.to ?? '?'} at ${ctx.time.clockTime(t.at)}`;

const isOurAlarmEvent = (ctx: Ctx, e: DeliveredAlarmEvent): boolean =>
  e.detailType === STATE_CHANGE_DETAIL_TYPE && e.resources.includes(need(ctx.state.alarmArn, 'the alarm'));

/** Wait (bounded) for the alarm's ALARM episode for failures from `since` on; undefined when none came in time. */
async function waitForAlarm(ctx: Ctx, since: number): Promise<StateTransition | undefined> {
  let state = '?';
  try {
    return await waitInTargetTime(ctx, {
      label: 'Waiting for the alarm to go to ALARM',
      timeoutMs: ALARM_WAIT_TIMEOUT_MS,
      timeoutMessage: 'the alarm did not go to ALARM',
      pollMs: POLL_MS,
      status: () =>
        `state ${state}; CloudWatch evaluates once a minute over complete minutes, metrics 1–3 min late`,
      probe: async () => {
        state = (await describeAlarm(ctx))?.StateValue ?? '(no such alarm)';
        return alarmEpisode(await stateTransitions(ctx), since);
      },
    });
  } catch (err) {
    if ((err as Error).name !== 'WaitTimeoutError') throw err;
    return undefined;
  }
}

async function waitForEvent(ctx: Ctx, since: number): Promise<DeliveredAlarmEvent | undefined> {
  try {
    return await waitInTargetTime(ctx, {
      label: "Waiting for the alarm's event in its log group",
      timeoutMs: EVENT_WAIT_TIMEOUT_MS,
      timeoutMessage: 'the event did not arrive',
      pollMs: POLL_MS,
      probe: async () =>
        (await deliveredAlarmEvents(ctx, since)).find((e) => isOurAlarmEvent(ctx, e) && e.state === 'ALARM'),
    });
  } catch (err) {
    if ((err as Error).name !== 'WaitTimeoutError') throw err;
    return undefined;
  }
}

const alarmFires: Step<Demo1State> = {
  id: 'alarm-fires',
  title: 'The alarm fires, and its event arrives',
  narration: STEP_NARRATION['alarm-fires'],
  async run(ctx) {
    const since = need(ctx.state.requireInputAt, 'the time REQUIRE_INPUT was switched on');
    const alarmName = need(ctx.state.alarmName, 'the alarm');
    const started = ctx.clock.now();
    const fired = await waitForAlarm(ctx, since);
    const createdAt = need(ctx.state.alarmCreatedAt, 'the alarm');
    const history = await stateTransitions(ctx, Math.min(createdAt, fired?.at ?? createdAt));
    ctx.out.table({
      title: `State changes of ${alarmName} (DescribeAlarmHistory)`,
      note: ctx.time.columnNote,
      columns: [ctx.time.columnTitle, 'change', 'summary'],
      rows: history.map((t) => [ctx.time.clockTime(t.at), `${t.from ?? '?'} → ${t.to ?? '?'}`, t.summary]),
    });
    const a = await describeAlarm(ctx);
    if (!fired) {
      ctx.out.note(
        `The alarm had not gone to ALARM ${formatDuration(ctx.clock.now() - started)} after the failure ` +
          `(state now ${a?.StateValue ?? '?'}). On AWS that can take up to about 5 minutes; look again ` +
          'in the CloudWatch console under Alarms.',
      );
      return;
    }
    ctx.out.say(`Why it fired, in CloudWatch's words: ${fired.reason ?? '(no reason recorded)'}`);
    const event = await waitForEvent(ctx, fired.at - EVENT_SLACK_MS);
    ctx.state.alarmFired = { at: fired.at, eventLoggedAt: event?.loggedAt };
    if (!event) {
      ctx.out.note(`The state-change event had not reached ${ctx.state.alarmEventsGroup} yet.`);
      return;
    }
    ctx.out.table({
      title: `The event in ${need(ctx.state.alarmEventsGroup, 'the log group')} (FilterLogEvents)`,
      columns: ['field', 'value'],
      rows: [
        ['logged at', ctx.time.clockTime(event.loggedAt)],
        ['detail-type', event.detailType ?? '?'],
        ['resources', event.resources.join(', ')],
        ['detail.previousState.value', event.previous ?? '?'],
        ['detail.state.value', event.state ?? '?'],
        ['detail.state.reason', event.reason ?? '?'],
      ],
    });
    ctx.out.note(
      a?.StateValue === 'ALARM'
        ? 'The alarm is in ALARM, and the event that says so reached the log group: an SNS action would have paged someone at that moment.'
        : `The alarm went to ALARM at ${ctx.time.clockTime(fired.at)} and is ${a?.StateValue ?? '?'} again now: ` +
            'a minute without errors counts as not breaching. The event reached the log group all the same.',
    );
  },
  async check(ctx) {
    const since = need(ctx.state.requireInputAt, 'the time REQUIRE_INPUT was switched on');
    const arn = need(ctx.state.alarmArn, 'the alarm');
    const a = await describeAlarm(ctx);
    const episode = alarmEpisode(await stateTransitions(ctx), since);
    const firstAt = episode?.at;
    const events = firstAt
      ? (await deliveredAlarmEvents(ctx, firstAt - EVENT_SLACK_MS)).filter(
          (e) => isOurAlarmEvent(ctx, e) && e.state === 'ALARM',
        )
      : [];
    const updatedAt = a?.StateUpdatedTimestamp?.getTime();
    return [
      expectThat(
        'the alarm went to ALARM once REQUIRE_INPUT=true (its history)',
        episode !== undefined,
        'a change to ALARM after it, or ALARM still on from before',
        episode
          ? `${showTransition(ctx, episode)}${episode.at < since ? ' (still in ALARM then)' : ''}`
          : 'none',
      ),
      expectThat(
        'its state now (DescribeAlarms)',
        a?.StateValue === 'ALARM' ||
          (firstAt !== undefined && updatedAt !== undefined && updatedAt >= firstAt),
        'ALARM, or changed again after it fired',
        a ? `${a.StateValue} since ${updatedAt ? ctx.time.clockTime(updatedAt) : '?'}` : '(no such alarm)',
      ),
      expectThat(
        `the "${STATE_CHANGE_DETAIL_TYPE}" event reached the log group`,
        events.length > 0,
        `an event for ${arn} with state ALARM`,
        events.length
          ? `${events.length} (${events.map((e) => `${e.previous} → ${e.state}`).join(', ')})`
          : 'none',
      ),
    ];
  },
};

export { alarmOnErrors, routeAlarmEvents, alarmFires };
