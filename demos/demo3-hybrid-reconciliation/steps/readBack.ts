/**
 * What setup's checks read back and compare: each role's trust and its one inline policy, each rule's
 * state, target and input; and the policies and scope setup puts, so the two always agree.
 */
import { DescribeRuleCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import type { CheckResult, StepContext } from '../../../src/course/model.js';
import type { PolicyDocument } from '../../../src/cloud/resourceTypes.js';
import { sideBySide } from '../../../src/cloud/sideBySide.js';
import { canonicalJson, expectEqual, expectThat, normalisePolicy } from '../../shared/checks.js';
import { readRole } from '../../shared/roleReadBack.js';
import { describePolicy } from '../../shared/policyView.js';
import { FUNCTIONS, METRIC_NAMESPACE, PARTS, demo3Names, type FunctionKey } from '../names.js';
import {
  POLICY_NAMES,
  checkCompletenessPolicy,
  processPartitionPolicy,
  startExecutionPolicy,
  stateMachinePolicy,
  writeReportPolicy,
  type PolicyScope,
} from '../policy.js';
import { need, type Demo3State } from '../state.js';

type Ctx = StepContext<Demo3State>;

/** The last part of an ARN (`…:stateMachine:name` → `name`, `…:role/name` → `name`). */
export const shortArn = (arn: string | undefined): string =>
  arn ? (arn.split(/[:/]/).at(-1) ?? arn) : '(none)';

export const FUNCTION_KEYS = Object.keys(FUNCTIONS) as FunctionKey[];

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

export const ROLE_PARTS = {
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

/** The roles named by `keys`, created side by side (independent of each other), shown in `keys` order. */
export async function createRoles(
  ctx: Ctx,
  keys: Array<keyof typeof ROLE_PARTS>,
  trusted: string,
): Promise<void> {
  const policies = rolePolicies(ctx);
  const created = await sideBySide(
    keys.map(
      (key) => () =>
        ctx.resources.role({
          part: ROLE_PARTS[key],
          description: `demo3 ${key}: ${ROLE_SUMMARY[key]}`,
          trustedService: trusted,
          inlinePolicies: { [POLICY_NAMES[key]]: policies[key] },
        }),
    ),
  );
  if (keys.length > 1) ctx.out.say(`${keys.length} roles created at once (none needs another).`);
  keys.forEach((key, i) => {
    const role = created[i]!;
    ctx.state.roles[key] = { name: role.name, arn: role.arn };
    ctx.out.block(`${role.name} — inline policy ${POLICY_NAMES[key]}`, describePolicy(policies[key]));
  });
}

export async function roleChecks(
  ctx: Ctx,
  keys: Array<keyof typeof ROLE_PARTS>,
  trusted: string,
): Promise<CheckResult[]> {
  const policies = rolePolicies(ctx);
  const names = keys.map((key) => need(ctx.state.roles[key], `the ${key} role`).name);
  // Read back side by side; results in `keys` order.
  const roles = await sideBySide(names.map((name, i) => () => readRole(ctx, name, POLICY_NAMES[keys[i]!])));
  return keys.flatMap((key, i) => {
    const role = roles[i]!;
    const who = `${ROLE_PARTS[key]}`;
    const same =
      canonicalJson(normalisePolicy(policies[key])) === canonicalJson(normalisePolicy(role.policy));
    return [
      expectEqual(`${who}: only ${trusted} may assume it`, [trusted], role.trustedServices),
      expectEqual(`${who}: exactly one inline policy`, [POLICY_NAMES[key]], role.policyNames),
      expectThat(
        `${who}: the policy holds exactly the scoped statements`,
        same,
        ROLE_SUMMARY[key],
        same
          ? 'identical'
          : role.policy === undefined
            ? '(no such policy)'
            : `different: ${JSON.stringify(role.policy)}`,
      ),
    ];
  });
}

/** `identical` when the two JSON values are the same, else what was read back. */
export function sameJson(label: string, expected: unknown, actual: unknown): CheckResult {
  const same = actual !== undefined && canonicalJson(expected) === canonicalJson(actual);
  return expectThat(
    label,
    same,
    'identical to what setup put',
    same ? 'identical' : `different: ${JSON.stringify(actual)}`,
  );
}

export async function ruleChecks(
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
