/** Setup, the trigger and the alarm: EventBridge's role, the rule on S3 events, the failed-executions alarm. */
import { DescribeRuleCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import type { Step, StepContext } from '../../../src/course/model.js';
import { canonicalJson, expectEqual, expectThat, readBack } from '../../shared/checks.js';
import { PARTS, demo2Names } from '../names.js';
import { STEP_NARRATION } from '../narration.js';
import {
  EVENTS_POLICY_NAME,
  EVENTS_TRUST_SERVICE,
  eventsLogPolicy,
  eventsRolePolicy,
  logGroupStreamsArn,
} from '../policy.js';
import { ARRIVAL_INPUT_TRANSFORMER, arrivalPattern } from '../rule.js';
import {
  ALARM_EVALUATION,
  FAILED_OR_ZERO,
  alarmQueries,
  describeAlarm,
  executionsFailedMetric,
} from '../alarmWatch.js';
import { readLogResourcePolicy } from '../logDeliveryPolicy.js';
import { need, type Demo2State } from '../state.js';
import { pipelineScope, roleChecks } from './setupShared.js';

export const createEventsRole: Step<Demo2State> = {
  id: 'create-events-role',
  title: "Create EventBridge's role: start this state machine only",
  narration: STEP_NARRATION['create-events-role']!,
  async run(ctx) {
    const policy = eventsRolePolicy(pipelineScope(ctx));
    const created = await ctx.resources.role({
      part: PARTS.eventsRole,
      description: 'EventBridge: StartExecution on the demo2 pipeline only.',
      trustedService: EVENTS_TRUST_SERVICE,
      inlinePolicies: { [EVENTS_POLICY_NAME]: policy },
    });
    ctx.state.eventsRoleName = created.name;
    ctx.state.eventsRoleArn = created.arn;
    ctx.out.block(`Inline policy ${EVENTS_POLICY_NAME}`, JSON.stringify(policy, null, 2));
  },
  async check(ctx) {
    return roleChecks(
      ctx,
      need(ctx.state.eventsRoleName, 'the role'),
      EVENTS_TRUST_SERVICE,
      EVENTS_POLICY_NAME,
      eventsRolePolicy(pipelineScope(ctx)),
      'states:StartExecution on this state machine',
    );
  },
};

/** A log group as a rule target: its ARN without the `:*` IAM uses. */
function eventsLogTargetArn(ctx: StepContext<Demo2State>): string {
  return logGroupStreamsArn(pipelineScope(ctx), demo2Names(ctx.resources).eventsLogGroup).replace(/:\*$/, '');
}

export const allowEventLog: Step<Demo2State> = {
  id: 'allow-event-log',
  title: 'Let EventBridge keep a copy of each event it matches',
  narration: STEP_NARRATION['allow-event-log']!,
  async run(ctx) {
    const policy = eventsLogPolicy(pipelineScope(ctx));
    const created = await ctx.resources.logResourcePolicy({
      part: PARTS.eventsLogPolicy,
      policyDocument: policy,
    });
    ctx.state.eventsLogPolicyName = created.name;
    ctx.out.block(`CloudWatch Logs resource policy ${created.name}`, JSON.stringify(policy, null, 2));
  },
  async check(ctx) {
    const name = need(ctx.state.eventsLogPolicyName, 'the resource policy');
    const found = await readLogResourcePolicy(ctx, name);
    const expected = canonicalJson(eventsLogPolicy(pipelineScope(ctx)));
    const actual = found ? canonicalJson(JSON.parse(found)) : undefined;
    return [
      expectThat(
        `${name} lets EventBridge write to ${demo2Names(ctx.resources).eventsLogGroup} only`,
        actual === expected,
        'the policy as written',
        actual === undefined ? '(no such policy)' : actual === expected ? 'the policy as written' : actual,
      ),
    ];
  },
};

export const createRule: Step<Demo2State> = {
  id: 'create-rule',
  title: 'Create the rule: a file under incoming/ starts the pipeline',
  narration: STEP_NARRATION['create-rule']!,
  async run(ctx) {
    const bucket = need(ctx.state.bucket, 'the bucket');
    const pattern = arrivalPattern(bucket);
    const created = await ctx.resources.rule({
      part: PARTS.rule,
      description: 'An orders file created under incoming/ starts the demo2 pipeline.',
      eventPattern: pattern,
      targets: [
        {
          id: 'pipeline',
          arn: need(ctx.state.stateMachineArn, 'the state machine'),
          roleArn: need(ctx.state.eventsRoleArn, "EventBridge's role"),
          inputTransformer: ARRIVAL_INPUT_TRANSFORMER,
          retryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        },
        // The event itself, unchanged, for the trace step to read back.
        { id: 'event-log', arn: eventsLogTargetArn(ctx) },
      ],
    });
    ctx.state.ruleName = created.name;
    ctx.state.ruleArn = created.arn;
    ctx.out.block('Event pattern', JSON.stringify(pattern, null, 2));
    ctx.out.block(
      'Input transformer (paths from the event → the execution input)',
      JSON.stringify(ARRIVAL_INPUT_TRANSFORMER, null, 2),
    );
  },
  async check(ctx) {
    const rule = need(ctx.state.ruleName, 'the rule');
    const d = await readBack(() => ctx.aws.events.send(new DescribeRuleCommand({ Name: rule })));
    if (!d) return [expectEqual('rule state', 'ENABLED', '(none)')];
    const t = await ctx.aws.events.send(new ListTargetsByRuleCommand({ Rule: rule }));
    const target = t.Targets?.find((x) => x.Id === 'pipeline');
    const pattern = canonicalJson(arrivalPattern(need(ctx.state.bucket, 'the bucket')));
    const actual = d.EventPattern ? canonicalJson(JSON.parse(d.EventPattern)) : undefined;
    const transformer = target?.InputTransformer
      ? canonicalJson({
          InputPathsMap: target.InputTransformer.InputPathsMap,
          InputTemplate: target.InputTransformer.InputTemplate,
        })
      : undefined;
    // What was read back is compared in full; shown in full only when it differs from what the
    // step printed above.
    const asShown = (same: boolean, readBack: string | undefined): string =>
      same ? 'identical' : (readBack ?? '(none)');
    return [
      expectEqual('rule state', 'ENABLED', d.State),
      expectThat(
        'the event pattern is ours',
        actual === pattern,
        'the pattern shown above',
        asShown(actual === pattern, actual),
      ),
      expectEqual(
        'its targets: the state machine and the event log group',
        [ctx.state.stateMachineArn, eventsLogTargetArn(ctx)].map(arnResource).sort(),
        (t.Targets ?? []).map((x) => arnResource(x.Arn)).sort(),
      ),
      expectEqual("the target runs as EventBridge's role", ctx.state.eventsRoleArn, target?.RoleArn),
      expectThat(
        'the input transformer',
        transformer === canonicalJson(ARRIVAL_INPUT_TRANSFORMER),
        'the transformer shown above',
        asShown(transformer === canonicalJson(ARRIVAL_INPUT_TRANSFORMER), transformer),
      ),
    ];
  },
};

export const createAlarm: Step<Demo2State> = {
  id: 'create-alarm',
  title: 'Alarm on failed executions',
  narration: STEP_NARRATION['create-alarm']!,
  async run(ctx) {
    const stateMachineArn = need(ctx.state.stateMachineArn, 'the state machine');
    const created = await ctx.resources.alarm({
      part: PARTS.alarm,
      description: 'A demo2 pipeline execution failed in the last minute.',
      metrics: alarmQueries(stateMachineArn),
      ...ALARM_EVALUATION,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      // No executions at all is not a failure.
      treatMissingData: 'notBreaching',
    });
    ctx.state.alarmName = created.name;
    ctx.out.say(
      `Alarm ${created.name}: ${FAILED_OR_ZERO} ≥ 1 in any of the last ${ALARM_EVALUATION.evaluationPeriods} minutes → ALARM, where failed is AWS/States ` +
        'ExecutionsFailed (Sum). A real alarm would also name an SNS topic to page someone (alarm ' +
        'actions); this demo shows its state instead.',
    );
  },
  async check(ctx) {
    const a = await describeAlarm(ctx, need(ctx.state.alarmName, 'the alarm'));
    const m = executionsFailedMetric(need(ctx.state.stateMachineArn, 'the state machine'));
    return [
      expectEqual(
        'what it evaluates',
        [`failed: ${m.namespace} ${m.metricName} ${m.stat} ${m.period}`, `failedOrZero: ${FAILED_OR_ZERO}`],
        a?.queries ?? '(no alarm)',
      ),
      expectEqual('for this state machine', m.dimensions, a?.dimensions),
      expectEqual(
        'threshold, comparison, missing data, minutes',
        `1 GreaterThanOrEqualToThreshold notBreaching 1 of ${ALARM_EVALUATION.evaluationPeriods}`,
        a
          ? `${a.threshold} ${a.comparison} ${a.treatMissingData} ${a.datapointsToAlarm} of ${a.evaluationPeriods}`
          : '(no alarm)',
      ),
      expectThat(
        'not in ALARM (nothing has failed yet)',
        !!a && a.state !== 'ALARM',
        'OK or INSUFFICIENT_DATA',
        a?.state ?? '(no alarm)',
      ),
    ];
  },
};

/** `stateMachine:name`, `log-group:/aws/events/…`: an ARN without its partition, region and account. */
const arnResource = (arn: string | undefined): string => arn?.split(':').slice(5).join(':') ?? '(none)';
