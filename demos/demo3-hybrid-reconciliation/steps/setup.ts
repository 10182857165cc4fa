/**
 * Setup, part one: the bucket (events on) and the window, one least-privilege role per job, log
 * groups, the three functions, the state machine (validated first) and its role. The triggers, the
 * alarm and the pager follow in setupTriggers.ts.
 */
import {
  GetBucketNotificationConfigurationCommand,
  GetBucketTaggingCommand,
  HeadBucketCommand,
} from '@aws-sdk/client-s3';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { DescribeStateMachineCommand, ValidateStateMachineDefinitionCommand } from '@aws-sdk/client-sfn';
import type { CheckResult, Step, StepContext } from '../../../src/course/model.js';
import { isUnsupportedOperation } from '../../../src/cloud/awsErrors.js';
import { buildLambdaZip } from '../../shared/lambdaZip.js';
import { fromPackageRoot } from '../../shared/packagePaths.js';
import { canonicalJson, expectEqual, expectThat } from '../../shared/checks.js';
import { reconcileDefinition } from '../definition.js';
import {
  FUNCTIONS,
  LAMBDA_SOURCE_DIR,
  LOG_RETENTION_DAYS,
  METRIC_NAMESPACE,
  PARTS,
  RUNTIME,
  demo3Names,
  lambdaLogGroup,
  machineLogGroup,
  type FunctionKey,
} from '../names.js';
import { STEP_NARRATION } from '../narration.js';
import { TRUST, logGroupArn } from '../policy.js';
import { reconciliationWindow, windowPartitionIds } from '../window.js';
import { need, type Demo3State } from '../state.js';

import { sideBySide } from '../../../src/cloud/sideBySide.js';
import { FUNCTION_KEYS, createRoles, policyScope, roleChecks, shortArn } from './readBack.js';
import { triggerSteps } from './setupTriggers.js';

type Ctx = StepContext<Demo3State>;

export class DefinitionRejectedError extends Error {
  override readonly name = 'DefinitionRejectedError';
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
    await sideBySide(
      groups.map((name) => () => ctx.resources.logGroup({ name, retentionInDays: LOG_RETENTION_DAYS })),
    );
    ctx.state.logGroups = groups;
    ctx.out.say(`Log groups, ${groups.length} created at once: ${groups.join(', ')}.`);
  },
  async check(ctx) {
    return sideBySide(
      ctx.state.logGroups.map((name) => async () => {
        const res = await ctx.aws.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
        const g = res.logGroups?.find((x) => x.logGroupName === name);
        return expectEqual(`${name}: retention in days`, LOG_RETENTION_DAYS, g?.retentionInDays);
      }),
    );
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
    const zips = FUNCTION_KEYS.map((key) =>
      buildLambdaZip(fromPackageRoot(...LAMBDA_SOURCE_DIR), [...FUNCTIONS[key].files]),
    );
    // Each runs as its own role: the three are independent, so they are created at once.
    const created = await sideBySide(
      FUNCTION_KEYS.map((key, i) => () => {
        const spec = FUNCTIONS[key];
        return ctx.resources.lambdaFunction({
          part: spec.part,
          description: `demo3 ${spec.part}`,
          roleArn: need(ctx.state.roles[key], `the ${key} role`).arn,
          runtime: RUNTIME,
          handler: spec.handler,
          zip: zips[i]!.bytes,
          timeoutSeconds: 60,
          memoryMb: 512,
          environment: functionEnvironment(ctx, key),
        });
      }),
    );
    ctx.out.say(`${FUNCTION_KEYS.length} functions created at once (none needs another):`);
    FUNCTION_KEYS.forEach((key, i) => {
      const fn = created[i]!;
      const zip = zips[i]!;
      ctx.state.functions[key] = { name: fn.name, arn: fn.arn };
      ctx.out.say(
        `${fn.name}: ${FUNCTIONS[key].handler}, zip of ${zip.entries.join(', ')} (${zip.bytes.length} bytes).`,
      );
    });
  },
  async check(ctx) {
    const names = FUNCTION_KEYS.map((key) => need(ctx.state.functions[key], `the ${key} function`).name);
    const configs = await sideBySide(
      names.map(
        (name) => () => ctx.aws.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name })),
      ),
    );
    const results: CheckResult[] = [];
    for (const [i, key] of FUNCTION_KEYS.entries()) {
      const who = FUNCTIONS[key].part;
      const cfg = configs[i]!;
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

export const setupSteps: Step<Demo3State>[] = [
  createBucket,
  createFunctionRoles,
  createLogGroups,
  deployFunctions,
  createMachineRole,
  createStateMachine,
  ...triggerSteps,
];
