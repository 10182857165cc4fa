/**
 * Setup, part two: EventBridge's role, the two rules that start the state machine (arrivals on,
 * the schedule off until data flows), the alarm on missing partitions and the pager it pages.
 */
import { DescribeResourcePoliciesCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeRuleCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import type { Step, StepContext } from '../../../src/course/model.js';
import { expectEqual, normalisePolicy } from '../../shared/checks.js';
import { describeInputTransformer, describeJson, describePolicy } from '../../shared/policyView.js';
import {
  GRACE,
  LOG_RETENTION_DAYS,
  METRIC_NAMESPACE,
  PARTS,
  SCHEDULE_EXPRESSION,
  demo3Names,
} from '../names.js';
import { STEP_NARRATION } from '../narration.js';
import { TRUST, logGroupArn, pagerResourcePolicy } from '../policy.js';
import { ARRIVAL_INPUT, arrivalPattern, scheduleInput } from '../triggers.js';
import { need, type Demo3State } from '../state.js';
import { readAlarm } from '../paging.js';

import { createRoles, policyScope, roleChecks, ruleChecks, sameJson } from './readBack.js';

type Ctx = StepContext<Demo3State>;

const createEventsRole: Step<Demo3State> = {
  id: 'create-events-role',
  title: "Create EventBridge's role: start this state machine only",
  narration: STEP_NARRATION['create-events-role']!,
  run: (ctx) => createRoles(ctx, ['events'], TRUST.events),
  check: (ctx) => roleChecks(ctx, ['events'], TRUST.events),
};

const createArrivalRule: Step<Demo3State> = {
  id: 'create-arrival-rule',
  title: 'Events for freshness: a rule on S3 arrivals under raw/',
  narration: STEP_NARRATION['create-arrival-rule']!,
  async run(ctx) {
    const pattern = arrivalPattern(need(ctx.state.bucket, 'the bucket'));
    const created = await ctx.resources.rule({
      part: PARTS.arrivalRule,
      description: 'A raw order file created in the demo3 bucket starts an event run for its partition.',
      eventPattern: pattern,
      targets: [
        {
          id: 'reconcile-orders',
          arn: need(ctx.state.stateMachine, 'the state machine').arn,
          roleArn: need(ctx.state.roles.events, "EventBridge's role").arn,
          inputTransformer: ARRIVAL_INPUT,
        },
      ],
    });
    ctx.state.arrivalRule = { name: created.name, arn: created.arn };
    ctx.out.block('Event pattern', describeJson(pattern));
    ctx.out.block('Input transformer', describeInputTransformer(ARRIVAL_INPUT));
  },
  check: (ctx) =>
    ruleChecks(ctx, 'arrival rule', need(ctx.state.arrivalRule, 'the arrival rule').name, {
      state: 'ENABLED',
      pattern: arrivalPattern(need(ctx.state.bucket, 'the bucket')),
      input: ARRIVAL_INPUT,
    }),
};

const scheduledInput = (ctx: Ctx) =>
  scheduleInput({ window: need(ctx.state.window, 'the window'), grace: GRACE });

const createScheduleRule: Step<Demo3State> = {
  id: 'create-schedule-rule',
  title: `The schedule for completeness: ${SCHEDULE_EXPRESSION}, created switched off`,
  narration: STEP_NARRATION['create-schedule-rule']!,
  async run(ctx) {
    const created = await ctx.resources.rule({
      part: PARTS.scheduleRule,
      description: 'Reconciles the demo3 window every 5 minutes (switched on in the execution phase).',
      scheduleExpression: SCHEDULE_EXPRESSION,
      state: 'DISABLED',
      targets: [
        {
          id: 'reconcile-orders',
          arn: need(ctx.state.stateMachine, 'the state machine').arn,
          roleArn: need(ctx.state.roles.events, "EventBridge's role").arn,
          inputTransformer: scheduledInput(ctx),
        },
      ],
    });
    ctx.state.scheduleRule = { name: created.name, arn: created.arn };
    ctx.out.block('Input transformer', describeInputTransformer(scheduledInput(ctx)));
  },
  check: (ctx) =>
    ruleChecks(ctx, 'schedule rule', need(ctx.state.scheduleRule, 'the schedule rule').name, {
      state: 'DISABLED',
      schedule: SCHEDULE_EXPRESSION,
      input: scheduledInput(ctx),
    }),
};

export const ALARM_METRIC = 'PartitionsMissing';

const createAlarm: Step<Demo3State> = {
  id: 'create-alarm',
  title: 'An alarm on partitions still missing after the grace period',
  narration: STEP_NARRATION['create-alarm']!,
  async run(ctx) {
    const machine = demo3Names(ctx.resources).stateMachine;
    const created = await ctx.resources.alarm({
      part: PARTS.alarm,
      description: `Partitions of ${machine}'s window still missing after the grace period (demo3).`,
      metric: {
        namespace: METRIC_NAMESPACE,
        metricName: ALARM_METRIC,
        dimensions: { Pipeline: machine },
        stat: 'Maximum',
        period: 60,
      },
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'ignore',
    });
    ctx.state.alarm = { name: created.name, arn: created.arn };
  },
  async check(ctx) {
    const alarm = need(ctx.state.alarm, 'the alarm');
    const a = await readAlarm(ctx, alarm.name);
    return [
      expectEqual(
        'metric, dimension, statistic, period',
        `${METRIC_NAMESPACE} ${ALARM_METRIC} Pipeline=${ctx.state.stateMachine?.name} Maximum 60`,
        a
          ? `${a.Namespace} ${a.MetricName} ${(a.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).join(',')} ${a.Statistic} ${a.Period}`
          : '(no alarm)',
      ),
      expectEqual(
        'fires at ≥ 1 in one period; missing data keeps the state',
        'GreaterThanOrEqualToThreshold 1 × 1 ignore',
        a
          ? `${a.ComparisonOperator} ${a.Threshold} × ${a.EvaluationPeriods} ${a.TreatMissingData}`
          : '(no alarm)',
      ),
    ];
  },
};

export const ALARM_EVENT_PATTERN = (alarmArn: string): Record<string, unknown> => ({
  source: ['aws.cloudwatch'],
  'detail-type': ['CloudWatch Alarm State Change'],
  resources: [alarmArn],
});

const createPager: Step<Demo3State> = {
  id: 'create-pager',
  title: 'The pager: alarm state changes from the default bus into a log group',
  narration: STEP_NARRATION['create-pager']!,
  async run(ctx) {
    const n = demo3Names(ctx.resources);
    const alarm = need(ctx.state.alarm, 'the alarm');
    await ctx.resources.logGroup({ name: n.pagerLogGroup, retentionInDays: LOG_RETENTION_DAYS });
    const document = pagerResourcePolicy(policyScope(ctx), n.pagerLogGroup);
    const policy = await ctx.resources.logResourcePolicy({
      part: PARTS.pagerPolicy,
      policyDocument: document,
    });
    const rule = await ctx.resources.rule({
      part: PARTS.pagerRule,
      description: 'Pages (into a log group) on every state change of the demo3 missing-partitions alarm.',
      eventPattern: ALARM_EVENT_PATTERN(alarm.arn),
      // Log-group targets take no role: the resource policy above lets EventBridge write.
      targets: [{ id: 'pager-log-group', arn: logGroupArn(policyScope(ctx), n.pagerLogGroup) }],
    });
    ctx.state.pager = {
      logGroup: n.pagerLogGroup,
      policy: policy.name,
      rule: { name: rule.name, arn: rule.arn },
    };
    ctx.out.block(`Resource policy ${policy.name}`, describePolicy(document));
    ctx.out.block('Rule event pattern', describeJson(ALARM_EVENT_PATTERN(alarm.arn)));
  },
  async check(ctx) {
    const pager = need(ctx.state.pager, 'the pager');
    const alarm = need(ctx.state.alarm, 'the alarm');
    const policies = await ctx.aws.logs.send(new DescribeResourcePoliciesCommand({}));
    const doc = policies.resourcePolicies?.find((p) => p.policyName === pager.policy)?.policyDocument;
    const expected = pagerResourcePolicy(policyScope(ctx), pager.logGroup);
    const d = await ctx.aws.events.send(new DescribeRuleCommand({ Name: pager.rule.name }));
    const t = await ctx.aws.events.send(new ListTargetsByRuleCommand({ Rule: pager.rule.name }));
    return [
      sameJson(
        'the resource policy opens only the pager log group to EventBridge',
        normalisePolicy(expected),
        doc ? normalisePolicy(JSON.parse(doc)) : undefined,
      ),
      sameJson(
        'the rule matches our alarm’s state changes',
        ALARM_EVENT_PATTERN(alarm.arn),
        d.EventPattern ? JSON.parse(d.EventPattern) : undefined,
      ),
      expectEqual(
        'its only target is the pager log group',
        [logGroupArn(policyScope(ctx), pager.logGroup)],
        (t.Targets ?? []).map((x) => x.Arn),
      ),
    ];
  },
};

export const triggerSteps: Step<Demo3State>[] = [
  createEventsRole,
  createArrivalRule,
  createScheduleRule,
  createAlarm,
  createPager,
];
