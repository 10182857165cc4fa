/**
 * Setup: the bucket (events on), the functions' role, log groups and the three functions here; the
 * workflow (setupWorkflow.ts) and the trigger and alarm (setupTrigger.ts) in their own files.
 */
import {
  GetBucketNotificationConfigurationCommand,
  GetBucketTaggingCommand,
  HeadBucketCommand,
} from '@aws-sdk/client-s3';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import type { CheckResult, Step } from '../../../src/course/model.js';
import { sideBySide } from '../../../src/cloud/sideBySide.js';
import { buildLambdaZip } from '../../shared/lambdaZip.js';
import { fromPackageRoot } from '../../shared/packagePaths.js';
import { expectEqual, expectThat, readBack } from '../../shared/checks.js';
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
import { FUNCTION_POLICY_NAME, LAMBDA_TRUST_SERVICE, functionRolePolicy } from '../policy.js';
import { need, type Demo2State } from '../state.js';
import { pipelineScope, roleChecks } from './setupShared.js';
import { allowEventLog, createAlarm, createEventsRole, createRule } from './setupTrigger.js';
import { createStateMachine, createStateMachineRole } from './setupWorkflow.js';

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
    const head = await readBack(() => ctx.aws.s3.send(new HeadBucketCommand({ Bucket: bucket })));
    if (!head) return [expectThat('the bucket exists (HeadBucket)', false, 'exists', '(none)')];
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
      'List incoming/ and raw/; Get incoming/*; Put quarantine/*, Delete incoming/*; Get/Put raw/*; Put curated/*; their own logs',
    );
  },
};

const createLogGroups: Step<Demo2State> = {
  id: 'create-log-groups',
  title: 'Create the log groups, each with a retention',
  narration: STEP_NARRATION['create-log-groups']!,
  async run(ctx) {
    const n = demo2Names(ctx.resources);
    const groups = { ...n.functionLogGroups, stateMachine: n.stateMachineLogGroup, events: n.eventsLogGroup };
    const names = Object.values(groups);
    await sideBySide(
      names.map((name) => () => ctx.resources.logGroup({ name, retentionInDays: LOG_RETENTION_DAYS })),
    );
    ctx.state.logGroups = groups;
    ctx.out.say(`Log groups, ${names.length} created at once: ${names.join(', ')}.`);
  },
  async check(ctx) {
    const groups = need(ctx.state.logGroups, 'the log groups');
    return sideBySide(
      Object.values(groups).map((name) => async () => {
        const res = await ctx.aws.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
        const g = res.logGroups?.find((x) => x.logGroupName === name);
        return expectEqual(`${name}: retention in days`, LOG_RETENTION_DAYS, g?.retentionInDays);
      }),
    );
  },
};

const deployFunctions: Step<Demo2State> = {
  id: 'deploy-functions',
  title: 'Deploy the validate, transform and load functions',
  narration: STEP_NARRATION['deploy-functions']!,
  async run(ctx) {
    const roleArn = need(ctx.state.functionRoleArn, 'the role');
    const zips = PIPELINE_FUNCTIONS.map((fn) =>
      buildLambdaZip(fromPackageRoot(...LAMBDA_SOURCE_DIR), LAMBDA_FILES[fn]),
    );
    // None needs another (the state machine, next, chains them): created at once.
    const created = await sideBySide(
      PIPELINE_FUNCTIONS.map(
        (fn, i) => () =>
          ctx.resources.lambdaFunction({
            part: fn,
            description: `demo2 pipeline step: ${fn}`,
            roleArn,
            runtime: RUNTIME,
            handler: HANDLERS[fn],
            zip: zips[i]!.bytes,
            timeoutSeconds: 30,
            memoryMb: 256,
          }),
      ),
    );
    const fns = {} as Record<PipelineFunction, { name: string; arn: string }>;
    ctx.out.say(`${PIPELINE_FUNCTIONS.length} functions created at once (none needs another):`);
    PIPELINE_FUNCTIONS.forEach((fn, i) => {
      const { name, arn } = created[i]!;
      const zip = zips[i]!;
      fns[fn] = { name, arn };
      ctx.out.say(`${name}: ${HANDLERS[fn]}, zip ${zip.entries.join(' + ')} (${zip.bytes.length} bytes).`);
    });
    ctx.state.functions = fns;
  },
  async check(ctx) {
    const fns = need(ctx.state.functions, 'the functions');
    const configs = await sideBySide(
      PIPELINE_FUNCTIONS.map(
        (fn) => () =>
          readBack(() =>
            ctx.aws.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fns[fn].name })),
          ),
      ),
    );
    const results: CheckResult[] = [];
    for (const [i, fn] of PIPELINE_FUNCTIONS.entries()) {
      const cfg = configs[i];
      if (!cfg) {
        results.push(
          expectEqual(`${fn}: state, runtime, handler`, `Active ${RUNTIME} ${HANDLERS[fn]}`, '(none)'),
        );
        continue;
      }
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

export const setupSteps: Step<Demo2State>[] = [
  createBucket,
  createFunctionRole,
  createLogGroups,
  deployFunctions,
  createStateMachineRole,
  createStateMachine,
  createEventsRole,
  allowEventLog,
  createRule,
  createAlarm,
];
