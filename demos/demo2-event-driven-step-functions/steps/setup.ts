/**
 * Setup: the bucket (events on), the functions' role, log groups, the three functions, the state
 * machine's role and the state machine itself (validated first), EventBridge's role and the rule.
 */
import {
  GetBucketNotificationConfigurationCommand,
  GetBucketTaggingCommand,
  HeadBucketCommand,
} from '@aws-sdk/client-s3';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { DescribeStateMachineCommand, ValidateStateMachineDefinitionCommand } from '@aws-sdk/client-sfn';
import { DescribeRuleCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import type { CheckResult, Step, StepContext } from '../../../src/course/model.js';
import { isUnsupportedOperation } from '../../../src/cloud/awsErrors.js';
import { buildLambdaZip } from '../../shared/lambdaZip.js';
import { fromPackageRoot } from '../../shared/packagePaths.js';
import { canonicalJson, expectEqual, expectThat, normalisePolicy } from '../../shared/checks.js';
import { fillDefinition, readDefinitionTemplate } from '../definition.js';
import {
  HANDLERS,
  LAMBDA_FILES,
  LAMBDA_SOURCE_DIR,
  LOG_RETENTION_DAYS,
  PARTS,
  PIPELINE_FUNCTIONS,
  RUNTIME,
  demo2Names,
  type PipelineFunction,
} from '../names.js';
import { STEP_NARRATION } from '../narration.js';
import {
  EVENTS_POLICY_NAME,
  EVENTS_TRUST_SERVICE,
  FUNCTION_POLICY_NAME,
  LAMBDA_TRUST_SERVICE,
  STATE_MACHINE_POLICY_NAME,
  STATES_TRUST_SERVICE,
  eventsRolePolicy,
  functionRolePolicy,
  logGroupStreamsArn,
  stateMachineRolePolicy,
  type PipelineScope,
} from '../policy.js';
import { ARRIVAL_INPUT_TRANSFORMER, arrivalPattern } from '../rule.js';
import { need, type Demo2State } from '../state.js';
import { readRole } from '../roleReadBack.js';

type Ctx = StepContext<Demo2State>;

export class DefinitionRejectedError extends Error {
  override readonly name = 'DefinitionRejectedError';
}

export function pipelineScope(ctx: Ctx): PipelineScope {
  const n = demo2Names(ctx.resources);
  return {
    region: ctx.target.region,
    accountId: ctx.target.accountId,
    bucket: n.bucket,
    functions: n.functions,
    functionLogGroups: n.functionLogGroups,
    stateMachine: n.stateMachine,
    stateMachineLogGroup: n.stateMachineLogGroup,
  };
}

/** The definition as deployed: the file with this run's function ARNs. */
export function filledDefinition(ctx: Ctx): Record<string, unknown> {
  const fns = need(ctx.state.functions, 'the functions');
  return fillDefinition(readDefinitionTemplate(), {
    ValidateFunctionArn: fns.validate.arn,
    TransformFunctionArn: fns.transform.arn,
    LoadFunctionArn: fns.load.arn,
  });
}

/** Checks of a role: who may assume it, and that its one inline policy is exactly `expected`. */
async function roleChecks(
  ctx: Ctx,
  roleName: string,
  service: string,
  policyName: string,
  expected: unknown,
  summary: string,
): Promise<CheckResult[]> {
  const role = await readRole(ctx, roleName, policyName);
  const same = JSON.stringify(normalisePolicy(expected)) === JSON.stringify(normalisePolicy(role.policy));
  return [
    expectEqual(`only ${service} may assume ${roleName}`, [service], role.trustedServices),
    expectEqual('exactly one inline policy', [policyName], role.policyNames),
    expectThat(
      `the policy holds exactly the scoped statements`,
      same,
      summary,
      same ? 'identical' : `different: ${JSON.stringify(role.policy)}`,
    ),
  ];
}

const createBucket: Step<Demo2State> = {
  id: 'create-bucket',
  title: 'Create the data bucket, with EventBridge notifications on',
  narration: STEP_NARRATION['create-bucket']!,
  async run(ctx) {
    const created = await ctx.resources.bucket({ part: PARTS.bucket, eventBridge: true });
    ctx.state.bucket = created.name;
    ctx.out.say(
      `Bucket ${created.name}: files arrive under incoming/, the pipeline writes raw/, curated/ and quarantine/.`,
    );
  },
  async check(ctx) {
    const bucket = need(ctx.state.bucket, 'the bucket');
    await ctx.aws.s3.send(new HeadBucketCommand({ Bucket: bucket }));
    const tags = await ctx.aws.s3.send(new GetBucketTaggingCommand({ Bucket: bucket }));
    const notif = await ctx.aws.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    return [
      expectThat('the bucket exists (HeadBucket)', true, 'exists', 'exists'),
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
    ];
  },
};

const createFunctionRole: Step<Demo2State> = {
  id: 'create-function-role',
  title: "Create the functions' least-privilege role",
  narration: STEP_NARRATION['create-function-role']!,
  async run(ctx) {
    const policy = functionRolePolicy(pipelineScope(ctx));
    const created = await ctx.resources.role({
      part: PARTS.functionRole,
      description:
        'validate, transform, load: read incoming/, write raw/ and curated/, move rejected files to quarantine/.',
      trustedService: LAMBDA_TRUST_SERVICE,
      inlinePolicies: { [FUNCTION_POLICY_NAME]: policy },
    });
    ctx.state.functionRoleName = created.name;
    ctx.state.functionRoleArn = created.arn;
    ctx.out.block(`Inline policy ${FUNCTION_POLICY_NAME}`, JSON.stringify(policy, null, 2));
  },
  async check(ctx) {
    return roleChecks(
      ctx,
      need(ctx.state.functionRoleName, 'the role'),
      LAMBDA_TRUST_SERVICE,
      FUNCTION_POLICY_NAME,
      functionRolePolicy(pipelineScope(ctx)),
      'List incoming/ raw/; Get incoming/*; quarantine: Put + Delete incoming/*; Get/Put raw/*; Put curated/*; own logs',
    );
  },
};

const createLogGroups: Step<Demo2State> = {
  id: 'create-log-groups',
  title: 'Create the log groups, each with a retention',
  narration: STEP_NARRATION['create-log-groups']!,
  async run(ctx) {
    const n = demo2Names(ctx.resources);
    const groups = { ...n.functionLogGroups, stateMachine: n.stateMachineLogGroup };
    for (const name of Object.values(groups)) {
      await ctx.resources.logGroup({ name, retentionInDays: LOG_RETENTION_DAYS });
    }
    ctx.state.logGroups = groups;
    ctx.out.say(`Log groups: ${Object.values(groups).join(', ')}.`);
  },
  async check(ctx) {
    const groups = need(ctx.state.logGroups, 'the log groups');
    const results: CheckResult[] = [];
    for (const name of Object.values(groups)) {
      const res = await ctx.aws.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
      const g = res.logGroups?.find((x) => x.logGroupName === name);
      results.push(expectEqual(`${name}: retention in days`, LOG_RETENTION_DAYS, g?.retentionInDays));
    }
    return results;
  },
};

const deployFunctions: Step<Demo2State> = {
  id: 'deploy-functions',
  title: 'Deploy the validate, transform and load functions',
  narration: STEP_NARRATION['deploy-functions']!,
  async run(ctx) {
    const roleArn = need(ctx.state.functionRoleArn, 'the role');
    const fns = {} as Record<PipelineFunction, { name: string; arn: string }>;
    for (const fn of PIPELINE_FUNCTIONS) {
      const zip = buildLambdaZip(fromPackageRoot(...LAMBDA_SOURCE_DIR), LAMBDA_FILES[fn]);
      const created = await ctx.resources.lambdaFunction({
        part: fn,
        description: `demo2 pipeline step: ${fn}`,
        roleArn,
        runtime: RUNTIME,
        handler: HANDLERS[fn],
        zip: zip.bytes,
        timeoutSeconds: 30,
        memoryMb: 256,
      });
      fns[fn] = { name: created.name, arn: created.arn };
      ctx.out.say(
        `${created.name}: ${HANDLERS[fn]}, zip ${zip.entries.join(' + ')} (${zip.bytes.length} bytes).`,
      );
    }
    ctx.state.functions = fns;
  },
  async check(ctx) {
    const fns = need(ctx.state.functions, 'the functions');
    const results: CheckResult[] = [];
    for (const fn of PIPELINE_FUNCTIONS) {
      const cfg = await ctx.aws.lambda.send(
        new GetFunctionConfigurationCommand({ FunctionName: fns[fn].name }),
      );
      results.push(
        expectEqual(
          `${fn}: state, runtime, handler`,
          `Active ${RUNTIME} ${HANDLERS[fn]}`,
          `${cfg.State} ${cfg.Runtime} ${cfg.Handler}`,
        ),
        expectEqual(`${fn}: runs as the functions' role`, ctx.state.functionRoleArn, cfg.Role),
      );
    }
    return results;
  },
};

const createStateMachineRole: Step<Demo2State> = {
  id: 'create-state-machine-role',
  title: "Create the state machine's role: invoke these functions, deliver logs",
  narration: STEP_NARRATION['create-state-machine-role']!,
  async run(ctx) {
    const policy = stateMachineRolePolicy(pipelineScope(ctx));
    const created = await ctx.resources.role({
      part: PARTS.stateMachineRole,
      description: 'Step Functions: invoke the three pipeline functions; set up log delivery.',
      trustedService: STATES_TRUST_SERVICE,
      inlinePolicies: { [STATE_MACHINE_POLICY_NAME]: policy },
    });
    ctx.state.stateMachineRoleName = created.name;
    ctx.state.stateMachineRoleArn = created.arn;
    ctx.out.block(`Inline policy ${STATE_MACHINE_POLICY_NAME}`, JSON.stringify(policy, null, 2));
    ctx.out.note(
      'The one "Resource": "*" is the log-delivery statement: AWS requires it (those actions have no ' +
        'resource-level permissions), and CreateStateMachine with logging is refused without it.',
    );
  },
  async check(ctx) {
    return roleChecks(
      ctx,
      need(ctx.state.stateMachineRoleName, 'the role'),
      STATES_TRUST_SERVICE,
      STATE_MACHINE_POLICY_NAME,
      stateMachineRolePolicy(pipelineScope(ctx)),
      'InvokeFunction on the 3 functions; log-delivery actions on *; PutLogEvents on its own group',
    );
  },
};

const createStateMachine: Step<Demo2State> = {
  id: 'create-state-machine',
  title: 'Validate and create the state machine',
  narration: STEP_NARRATION['create-state-machine']!,
  async run(ctx) {
    const definition = filledDefinition(ctx);
    const text = JSON.stringify(definition);
    let check: NonNullable<Demo2State['definitionCheck']>;
    try {
      const v = await ctx.aws.sfn.send(
        new ValidateStateMachineDefinitionCommand({ definition: text, type: 'STANDARD' }),
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
    ctx.out.table({
      title: `ValidateStateMachineDefinition: ${check.result}`,
      columns: ['severity', 'code', 'message'],
      rows: check.diagnostics.map((d) => [d.severity, d.code, d.message]),
    });
    if (check.result === 'FAIL') {
      throw new DefinitionRejectedError(
        `Step Functions rejected the definition: ${check.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`,
      );
    }
    const n = demo2Names(ctx.resources);
    const created = await ctx.resources.stateMachine({
      part: PARTS.stateMachine,
      roleArn: need(ctx.state.stateMachineRoleArn, 'the state machine role'),
      definition,
      type: 'STANDARD',
      logGroupArn: logGroupStreamsArn(pipelineScope(ctx), n.stateMachineLogGroup),
    });
    ctx.state.stateMachineName = created.name;
    ctx.state.stateMachineArn = created.arn;
    ctx.out.say(
      `State machine ${created.name}: Validate → Transform → Load; ValidationError → Quarantine → Rejected.`,
    );
  },
  async check(ctx) {
    const d = await ctx.aws.sfn.send(
      new DescribeStateMachineCommand({
        stateMachineArn: need(ctx.state.stateMachineArn, 'the state machine'),
      }),
    );
    const logging = d.loggingConfiguration;
    const expectedDefinition = JSON.stringify(filledDefinition(ctx));
    let deployed: string | undefined;
    try {
      deployed = d.definition ? JSON.stringify(JSON.parse(d.definition)) : undefined;
    } catch {
      deployed = d.definition;
    }
    return [
      expectEqual('ValidateStateMachineDefinition result', 'OK', ctx.state.definitionCheck?.result),
      expectEqual('status and type', 'ACTIVE STANDARD', `${d.status} ${d.type}`),
      expectEqual('runs as its role', ctx.state.stateMachineRoleArn, d.roleArn),
      expectThat(
        "the deployed definition is pipeline.asl.json with this run's ARNs",
        deployed === expectedDefinition,
        'identical',
        deployed === expectedDefinition ? 'identical' : 'different',
      ),
      expectEqual(
        'logging: level, execution data, destination',
        `ALL true ${logGroupStreamsArn(pipelineScope(ctx), demo2Names(ctx.resources).stateMachineLogGroup)}`,
        `${logging?.level} ${logging?.includeExecutionData} ${logging?.destinations?.[0]?.cloudWatchLogsLogGroup?.logGroupArn}`,
      ),
    ];
  },
};

const createEventsRole: Step<Demo2State> = {
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

const createRule: Step<Demo2State> = {
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
    const d = await ctx.aws.events.send(new DescribeRuleCommand({ Name: rule }));
    const t = await ctx.aws.events.send(new ListTargetsByRuleCommand({ Rule: rule }));
    const target = t.Targets?.[0];
    const pattern = canonicalJson(arrivalPattern(need(ctx.state.bucket, 'the bucket')));
    const actual = d.EventPattern ? canonicalJson(JSON.parse(d.EventPattern)) : undefined;
    return [
      expectEqual('rule state', 'ENABLED', d.State),
      expectThat('the event pattern is ours', actual === pattern, pattern, actual ?? '(none)'),
      expectEqual(
        'its only target is the state machine',
        [ctx.state.stateMachineArn],
        (t.Targets ?? []).map((x) => x.Arn),
      ),
      expectEqual("the target runs as EventBridge's role", ctx.state.eventsRoleArn, target?.RoleArn),
      expectEqual(
        'the input transformer',
        ARRIVAL_INPUT_TRANSFORMER,
        target?.InputTransformer
          ? {
              InputPathsMap: target.InputTransformer.InputPathsMap,
              InputTemplate: target.InputTransformer.InputTemplate,
            }
          : undefined,
      ),
    ];
  },
};

export const setupSteps: Step<Demo2State>[] = [
  createBucket,
  createFunctionRole,
  createLogGroups,
  deployFunctions,
  createStateMachineRole,
  createStateMachine,
  createEventsRole,
  createRule,
];
