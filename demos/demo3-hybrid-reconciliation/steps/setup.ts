/**
 * Setup: the bucket (events on) and the window, one least-privilege role per job, log groups, the
 * three functions, the state machine (validated first) and its role, EventBridge's role, the two
 * rules (arrivals on, schedule off), the alarm and the pager.
 */
import {
  GetBucketNotificationConfigurationCommand,
  GetBucketTaggingCommand,
  HeadBucketCommand,
} from '@aws-sdk/client-s3';
import { DescribeLogGroupsCommand, DescribeResourcePoliciesCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { DescribeStateMachineCommand, ValidateStateMachineDefinitionCommand } from '@aws-sdk/client-sfn';
import { DescribeRuleCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import type { CheckResult, Step, StepContext } from '../../../src/course/model.js';
import type { PolicyDocument } from '../../../src/cloud/resourceTypes.js';
import { isUnsupportedOperation } from '../../../src/cloud/awsErrors.js';
import { buildLambdaZip } from '../../shared/lambdaZip.js';
import { fromPackageRoot } from '../../shared/packagePaths.js';
import { canonicalJson, expectEqual, expectThat, normalisePolicy } from '../../shared/checks.js';
import { readRole } from '../../shared/roleReadBack.js';
import { describePolicy } from '../../shared/policyView.js';
import { reconcileDefinition } from '../definition.js';
import {
  FUNCTIONS,
  GRACE,
  LAMBDA_SOURCE_DIR,
  LOG_RETENTION_DAYS,
  METRIC_NAMESPACE,
  PARTS,
  RUNTIME,
  SCHEDULE_EXPRESSION,
  demo3Names,
  lambdaLogGroup,
  machineLogGroup,
  type FunctionKey,
} from '../names.js';
import { STEP_NARRATION } from '../narration.js';
import {
  POLICY_NAMES,
  TRUST,
  checkCompletenessPolicy,
  logGroupArn,
  pagerResourcePolicy,
  processPartitionPolicy,
  startExecutionPolicy,
  stateMachinePolicy,
  writeReportPolicy,
  type PolicyScope,
} from '../policy.js';
import { ARRIVAL_INPUT, arrivalPattern, scheduleInput } from '../triggers.js';
import { reconciliationWindow, windowPartitionIds } from '../window.js';
import { need, type Demo3State } from '../state.js';
import { readAlarm } from '../paging.js';

type Ctx = StepContext<Demo3State>;

/** The last part of an ARN (`…:stateMachine:name` → `name`, `…:role/name` → `name`). */
const shortArn = (arn: string | undefined): string => (arn ? (arn.split(/[:/]/).at(-1) ?? arn) : '(none)');

export class DefinitionRejectedError extends Error {
  override readonly name = 'DefinitionRejectedError';
}

const FUNCTION_KEYS = Object.keys(FUNCTIONS) as FunctionKey[];

export function policyScope(ctx: Ctx): PolicyScope {
  return {
    region: ctx.target.region,
    accountId: ctx.target.accountId,
    bucket: demo3Names(ctx.resources).bucket,
  };
}

/** Each role's policy, exactly as setup puts it (the checks compare what IAM returns with it). */
export function rolePolicies(ctx: Ctx): Record<FunctionKey | 'machine' | 'events', PolicyDocument> {
  const s = policyScope(ctx);
  const n = demo3Names(ctx.resources);
  return {
    process: processPartitionPolicy(s, n.functions.process),
    check: checkCompletenessPolicy(s, n.functions.check),
    report: writeReportPolicy(s, n.functions.report, METRIC_NAMESPACE),
    machine: stateMachinePolicy(s, Object.values(n.functions)),
    events: startExecutionPolicy(s, n.stateMachine),
  };
}

const ROLE_PARTS = {
  process: PARTS.processRole,
  check: PARTS.checkRole,
  report: PARTS.reportRole,
  machine: PARTS.machineRole,
  events: PARTS.eventsRole,
} as const;

const ROLE_SUMMARY: Record<keyof typeof ROLE_PARTS, string> = {
  process: 'List raw/ curated/; Get raw/*; Get/Put curated/*; own log group',
  check: 'List raw/ curated/; Get curated/*; own log group',
  report: 'List raw/ curated/; Get curated/*; Put reports/*; PutMetricData in its namespace; own log group',
  machine: 'InvokeFunction on the 3 functions; log delivery on *',
  events: 'StartExecution on this state machine',
};

async function createRoles(ctx: Ctx, keys: Array<keyof typeof ROLE_PARTS>, trusted: string): Promise<void> {
  const policies = rolePolicies(ctx);
  for (const key of keys) {
    const created = await ctx.resources.role({
      part: ROLE_PARTS[key],
      description: `demo3 ${key}: ${ROLE_SUMMARY[key]}`,
      trustedService: trusted,
      inlinePolicies: { [POLICY_NAMES[key]]: policies[key] },
    });
    ctx.state.roles[key] = { name: created.name, arn: created.arn };
    ctx.out.block(`${created.name} — inline policy ${POLICY_NAMES[key]}`, describePolicy(policies[key]));
  }
}

async function roleChecks(
  ctx: Ctx,
  keys: Array<keyof typeof ROLE_PARTS>,
  trusted: string,
): Promise<CheckResult[]> {
  const policies = rolePolicies(ctx);
  const results: CheckResult[] = [];
  for (const key of keys) {
    const name = need(ctx.state.roles[key], `the ${key} role`).name;
    const role = await readRole(ctx, name, POLICY_NAMES[key]);
    const who = `${ROLE_PARTS[key]}`;
    const same =
      canonicalJson(normalisePolicy(policies[key])) === canonicalJson(normalisePolicy(role.policy));
    results.push(
      expectEqual(`${who}: only ${trusted} may assume it`, [trusted], role.trustedServices),
      expectEqual(`${who}: exactly one inline policy`, [POLICY_NAMES[key]], role.policyNames),
      expectThat(
        `${who}: the policy holds exactly the scoped statements`,
        same,
        ROLE_SUMMARY[key],
        same ? 'identical' : `different: ${JSON.stringify(role.policy)}`,
      ),
    );
  }
  return results;
}

const createBucket: Step<Demo3State> = {
  id: 'create-bucket',
  title: 'Create the data bucket (events on) and fix the reconciliation window',
  narration: STEP_NARRATION['create-bucket']!,
  async run(ctx) {
    const created = await ctx.resources.bucket({ part: PARTS.bucket, eventBridge: true });
    ctx.state.bucket = created.name;
    ctx.state.window ??= reconciliationWindow(ctx.clock.now(), ctx.state.hours);
    const ids = windowPartitionIds(ctx.state.window);
    ctx.out.say(
      `Bucket ${created.name}: raw/ for input, curated/ for summaries, reports/ for reconciliation reports.`,
    );
    ctx.out.say(
      `Window: ${ids.length} hourly partitions from ${ids[0]} to ${ids.at(-1)} (target clock now ` +
        `${new Date(ctx.clock.now()).toISOString().slice(0, 16)} UTC${ctx.clock.timeScale !== 1 ? `, running ×${ctx.clock.timeScale}` : ''}).`,
    );
  },
  async check(ctx) {
    const bucket = need(ctx.state.bucket, 'the bucket');
    const window = need(ctx.state.window, 'the window');
    await ctx.aws.s3.send(new HeadBucketCommand({ Bucket: bucket }));
    const tags = await ctx.aws.s3.send(new GetBucketTaggingCommand({ Bucket: bucket }));
    const notif = await ctx.aws.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    const end = Date.parse(window.start) + window.hours * 3_600_000;
    return [
      expectEqual(
        'the bucket is tagged as ours',
        'course-cli',
        tags.TagSet?.find((t) => t.Key === 'course:managed-by')?.Value,
      ),
      expectThat(
        'its events go to EventBridge',
        notif.EventBridgeConfiguration !== undefined,
        'EventBridgeConfiguration present',
        notif.EventBridgeConfiguration !== undefined ? 'present' : 'absent',
      ),
      expectThat(
        'the window is whole hours, all before the target’s clock',
        end <= ctx.clock.now() && window.hours === ctx.state.hours,
        `${ctx.state.hours} hours ending before ${new Date(ctx.clock.now()).toISOString()}`,
        `${window.hours} hours from ${window.start} to ${new Date(end).toISOString()}`,
      ),
    ];
  },
};

const createFunctionRoles: Step<Demo3State> = {
  id: 'create-function-roles',
  title: 'Create one least-privilege role per function',
  narration: STEP_NARRATION['create-function-roles']!,
  run: (ctx) => createRoles(ctx, FUNCTION_KEYS, TRUST.lambda),
  check: (ctx) => roleChecks(ctx, FUNCTION_KEYS, TRUST.lambda),
};

const createLogGroups: Step<Demo3State> = {
  id: 'create-log-groups',
  title: 'Create the log groups, each with a retention',
  narration: STEP_NARRATION['create-log-groups']!,
  async run(ctx) {
    const n = demo3Names(ctx.resources);
    const groups = [
      ...FUNCTION_KEYS.map((k) => lambdaLogGroup(n.functions[k])),
      machineLogGroup(n.stateMachine),
    ];
    for (const name of groups) await ctx.resources.logGroup({ name, retentionInDays: LOG_RETENTION_DAYS });
    ctx.state.logGroups = groups;
    ctx.out.say(`Log groups: ${groups.join(', ')}.`);
  },
  async check(ctx) {
    const results: CheckResult[] = [];
    for (const name of ctx.state.logGroups) {
      const res = await ctx.aws.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
      const g = res.logGroups?.find((x) => x.logGroupName === name);
      results.push(expectEqual(`${name}: retention in days`, LOG_RETENTION_DAYS, g?.retentionInDays));
    }
    return results;
  },
};

function functionEnvironment(ctx: Ctx, key: FunctionKey): Record<string, string> {
  const bucket = need(ctx.state.bucket, 'the bucket');
  if (key !== 'report') return { BUCKET: bucket };
  return { BUCKET: bucket, METRIC_NAMESPACE, PIPELINE: demo3Names(ctx.resources).stateMachine };
}

const deployFunctions: Step<Demo3State> = {
  id: 'deploy-functions',
  title: 'Deploy process-partition, check-completeness and write-report',
  narration: STEP_NARRATION['deploy-functions']!,
  async run(ctx) {
    for (const key of FUNCTION_KEYS) {
      const spec = FUNCTIONS[key];
      const zip = buildLambdaZip(fromPackageRoot(...LAMBDA_SOURCE_DIR), [...spec.files]);
      const created = await ctx.resources.lambdaFunction({
        part: spec.part,
        description: `demo3 ${spec.part}`,
        roleArn: need(ctx.state.roles[key], `the ${key} role`).arn,
        runtime: RUNTIME,
        handler: spec.handler,
        zip: zip.bytes,
        timeoutSeconds: 60,
        memoryMb: 512,
        environment: functionEnvironment(ctx, key),
      });
      ctx.state.functions[key] = { name: created.name, arn: created.arn };
      ctx.out.say(
        `${created.name}: ${spec.handler}, zip of ${zip.entries.join(', ')} (${zip.bytes.length} bytes).`,
      );
    }
  },
  async check(ctx) {
    const results: CheckResult[] = [];
    for (const key of FUNCTION_KEYS) {
      const fn = need(ctx.state.functions[key], `the ${key} function`);
      const who = FUNCTIONS[key].part;
      const cfg = await ctx.aws.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn.name }));
      results.push(
        expectEqual(
          `${who}: state, runtime, handler`,
          `Active ${RUNTIME} ${FUNCTIONS[key].handler}`,
          `${cfg.State} ${cfg.Runtime} ${cfg.Handler}`,
        ),
        expectEqual(`${who}: runs as its own role`, shortArn(ctx.state.roles[key]?.arn), shortArn(cfg.Role)),
        expectEqual(`${who}: environment`, functionEnvironment(ctx, key), cfg.Environment?.Variables ?? {}),
      );
    }
    return results;
  },
};

const createMachineRole: Step<Demo3State> = {
  id: 'create-machine-role',
  title: "Create the state machine's role: invoke these three functions, deliver logs",
  narration: STEP_NARRATION['create-machine-role']!,
  run: (ctx) => createRoles(ctx, ['machine'], TRUST.states),
  check: (ctx) => roleChecks(ctx, ['machine'], TRUST.states),
};

/** The definition as deployed: the .asl.json with this run's function ARNs. */
export function filledDefinition(ctx: Ctx): Record<string, unknown> {
  const fn = (k: FunctionKey) => need(ctx.state.functions[k], `the ${k} function`).arn;
  return reconcileDefinition({
    ProcessPartitionArn: fn('process'),
    CheckCompletenessArn: fn('check'),
    WriteReportArn: fn('report'),
  });
}

const createStateMachine: Step<Demo3State> = {
  id: 'create-state-machine',
  title: 'Validate and create the reconcile-orders state machine',
  narration: STEP_NARRATION['create-state-machine']!,
  async run(ctx) {
    const definition = filledDefinition(ctx);
    let check: NonNullable<Demo3State['definitionCheck']>;
    try {
      const v = await ctx.aws.sfn.send(
        new ValidateStateMachineDefinitionCommand({
          definition: JSON.stringify(definition),
          type: 'STANDARD',
        }),
      );
      check = {
        result: v.result ?? '(none)',
        diagnostics: (v.diagnostics ?? []).map((d) => ({
          severity: d.severity ?? '',
          code: d.code ?? '',
          message: d.message ?? '',
        })),
      };
    } catch (err) {
      if (!isUnsupportedOperation(err)) throw err;
      check = { result: 'NOT OFFERED BY THIS ENDPOINT', diagnostics: [] };
    }
    ctx.state.definitionCheck = check;
    ctx.out.say(
      `ValidateStateMachineDefinition: ${check.result}, ${check.diagnostics.length} diagnostic(s).`,
    );
    if (check.diagnostics.length > 0) {
      ctx.out.table({
        columns: ['severity', 'code', 'message'],
        rows: check.diagnostics.map((d) => [d.severity, d.code, d.message]),
      });
    }
    if (check.result === 'FAIL') {
      throw new DefinitionRejectedError(
        `Step Functions rejected the definition: ${check.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`,
      );
    }
    const n = demo3Names(ctx.resources);
    const created = await ctx.resources.stateMachine({
      part: PARTS.stateMachine,
      roleArn: need(ctx.state.roles.machine, 'the state machine role').arn,
      definition,
      type: 'STANDARD',
      logGroupArn: `${logGroupArn(policyScope(ctx), machineLogGroup(n.stateMachine))}:*`,
    });
    ctx.state.stateMachine = { name: created.name, arn: created.arn };
    ctx.out.say(
      `State machine ${created.name}: WhichTrigger → ProcessArrival (event) | CheckCompleteness → ` +
        'ReprocessStale → AnyMissing ⇄ GracePeriod → RecheckMissing → ProcessLate → WriteReport (scheduled).',
    );
  },
  async check(ctx) {
    const sm = need(ctx.state.stateMachine, 'the state machine');
    const d = await ctx.aws.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: sm.arn }));
    const expected = canonicalJson(filledDefinition(ctx));
    let deployed: string | undefined;
    try {
      deployed = d.definition ? canonicalJson(JSON.parse(d.definition)) : undefined;
    } catch {
      deployed = d.definition;
    }
    const groupArn = `${logGroupArn(policyScope(ctx), machineLogGroup(sm.name))}:*`;
    return [
      expectEqual('ValidateStateMachineDefinition result', 'OK', ctx.state.definitionCheck?.result),
      expectEqual('status and type', 'ACTIVE STANDARD', `${d.status} ${d.type}`),
      expectEqual('runs as its role', ctx.state.roles.machine?.arn, d.roleArn),
      expectThat(
        "the deployed definition is reconcile-orders.asl.json with this run's ARNs",
        deployed === expected,
        'identical',
        deployed === expected ? 'identical' : 'different',
      ),
      expectEqual(
        'logging: level, destination',
        `ALL ${groupArn}`,
        `${d.loggingConfiguration?.level} ${d.loggingConfiguration?.destinations?.[0]?.cloudWatchLogsLogGroup?.logGroupArn}`,
      ),
    ];
  },
};

const createEventsRole: Step<Demo3State> = {
  id: 'create-events-role',
  title: "Create EventBridge's role: start this state machine only",
  narration: STEP_NARRATION['create-events-role']!,
  run: (ctx) => createRoles(ctx, ['events'], TRUST.events),
  check: (ctx) => roleChecks(ctx, ['events'], TRUST.events),
};

/** `identical` when the two JSON values are the same, else what was read back. */
function sameJson(label: string, expected: unknown, actual: unknown): CheckResult {
  const same = actual !== undefined && canonicalJson(expected) === canonicalJson(actual);
  return expectThat(
    label,
    same,
    'identical to what setup put',
    same ? 'identical' : `different: ${JSON.stringify(actual)}`,
  );
}

async function ruleChecks(
  ctx: Ctx,
  label: string,
  ruleName: string,
  expected: { state: string; schedule?: string; pattern?: Record<string, unknown>; input: unknown },
): Promise<CheckResult[]> {
  const d = await ctx.aws.events.send(new DescribeRuleCommand({ Name: ruleName }));
  const t = await ctx.aws.events.send(new ListTargetsByRuleCommand({ Rule: ruleName }));
  const target = t.Targets?.[0];
  const results = [
    expectEqual(`${label}: state`, expected.state, d.State),
    expectEqual(
      `${label}: its only target, and the role EventBridge uses`,
      [`${shortArn(ctx.state.stateMachine?.arn)} as ${shortArn(ctx.state.roles.events?.arn)}`],
      (t.Targets ?? []).map((x) => `${shortArn(x.Arn)} as ${shortArn(x.RoleArn)}`),
    ),
    sameJson(
      `${label}: input transformer`,
      expected.input,
      target?.InputTransformer
        ? {
            InputPathsMap: target.InputTransformer.InputPathsMap,
            InputTemplate: target.InputTransformer.InputTemplate,
          }
        : undefined,
    ),
  ];
  if (expected.schedule)
    results.push(expectEqual(`${label}: schedule`, expected.schedule, d.ScheduleExpression));
  if (expected.pattern) {
    results.push(
      sameJson(
        `${label}: event pattern`,
        expected.pattern,
        d.EventPattern ? JSON.parse(d.EventPattern) : undefined,
      ),
    );
  }
  return results;
}

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
    ctx.out.block('Event pattern', JSON.stringify(pattern));
    ctx.out.block('Input transformer', JSON.stringify(ARRIVAL_INPUT));
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
    ctx.out.block('Input transformer', JSON.stringify(scheduledInput(ctx)));
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
    ctx.out.block('Rule event pattern', JSON.stringify(ALARM_EVENT_PATTERN(alarm.arn)));
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
      expectEqual(
        'the resource policy opens only the pager log group to EventBridge',
        canonicalJson(normalisePolicy(expected)),
        doc ? canonicalJson(normalisePolicy(JSON.parse(doc))) : '(no policy)',
      ),
      expectEqual(
        'the rule matches our alarm’s state changes',
        canonicalJson(ALARM_EVENT_PATTERN(alarm.arn)),
        d.EventPattern ? canonicalJson(JSON.parse(d.EventPattern)) : '(none)',
      ),
      expectEqual(
        'its only target is the pager log group',
        [logGroupArn(policyScope(ctx), pager.logGroup)],
        (t.Targets ?? []).map((x) => x.Arn),
      ),
    ];
  },
};

export const setupSteps: Step<Demo3State>[] = [
  createBucket,
  createFunctionRoles,
  createLogGroups,
  deployFunctions,
  createMachineRole,
  createStateMachine,
  createEventsRole,
  createArrivalRule,
  createScheduleRule,
  createAlarm,
  createPager,
];
