/**
 * Setup, the workflow: the state machine's role (invoke the three functions, deliver logs) and the
 * state machine itself — its definition checked with ValidateStateMachineDefinition first.
 */
import {
  DescribeStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
  type LoggingConfiguration,
} from '@aws-sdk/client-sfn';
import type { CheckResult, Step, StepContext } from '../../../src/course/model.js';
import { isUnsupportedOperation } from '../../../src/cloud/awsErrors.js';
import { expectEqual, expectThat, readBack } from '../../shared/checks.js';
import { fillDefinition, readDefinitionTemplate } from '../definition.js';
import { PARTS, demo2Names } from '../names.js';
import { STEP_NARRATION } from '../narration.js';
import {
  STATE_MACHINE_POLICY_NAME,
  STATES_TRUST_SERVICE,
  logGroupStreamsArn,
  stateMachineRolePolicy,
} from '../policy.js';
import { LOG_DELIVERY_POLICY, logDeliveryResources } from '../logDeliveryPolicy.js';
import { need, type Demo2State } from '../state.js';
import { pipelineScope, roleChecks } from './setupShared.js';

type Ctx = StepContext<Demo2State>;

export class DefinitionRejectedError extends Error {
  override readonly name = 'DefinitionRejectedError';
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

export const createStateMachineRole: Step<Demo2State> = {
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

export const createStateMachine: Step<Demo2State> = {
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
    if (check.diagnostics.length === 0) {
      ctx.out.say(`ValidateStateMachineDefinition: ${check.result}, no diagnostics.`);
    } else {
      ctx.out.table({
        title: `ValidateStateMachineDefinition: ${check.result}`,
        columns: ['severity', 'code', 'message'],
        rows: check.diagnostics.map((d) => [d.severity, d.code, d.message]),
      });
    }
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
    const delivery = await logDeliveryResources(ctx);
    if (delivery) {
      ctx.out.say(
        `Log delivery is set up: CloudWatch Logs' resource policy ${LOG_DELIVERY_POLICY} lets ` +
          `delivery.logs.amazonaws.com write to ${delivery.map((r) => r.replace(/^arn:aws:logs:[^:]+:\d+:log-group:/, '')).join(', ')}. ` +
          "That policy is AWS's and shared by every vended log delivery in this region: teardown leaves it.",
      );
    }
    ctx.out.say(
      `State machine ${created.name}: Validate → Transform → Load; ValidationError → Quarantine → Rejected.`,
    );
  },
  async check(ctx) {
    const stateMachineArn = need(ctx.state.stateMachineArn, 'the state machine');
    const d = await readBack(() => ctx.aws.sfn.send(new DescribeStateMachineCommand({ stateMachineArn })));
    if (!d) return [expectEqual('status and type', 'ACTIVE STANDARD', '(none)')];
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
      loggingCheck(ctx, d.loggingConfiguration),
    ];
  },
};

/** Logging ALL, with execution data, to exactly this run's log group ARN (shown by group name). */
function loggingCheck(ctx: Ctx, logging: LoggingConfiguration | undefined): CheckResult {
  const group = demo2Names(ctx.resources).stateMachineLogGroup;
  const arn = logging?.destinations?.[0]?.cloudWatchLogsLogGroup?.logGroupArn;
  const ok =
    logging?.level === 'ALL' &&
    logging.includeExecutionData === true &&
    arn === logGroupStreamsArn(pipelineScope(ctx), group);
  const expected = `ALL, with data, to ${group}`;
  const actual = `${logging?.level ?? '(none)'}, ${logging?.includeExecutionData ? 'with' : 'without'} data, to ${arn ?? '(none)'}`;
  return expectThat('logging: level, execution data, log group', ok, expected, ok ? expected : actual);
}
