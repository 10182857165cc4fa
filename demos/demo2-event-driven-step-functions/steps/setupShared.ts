/** What demo2's setup steps share: this run's policy scope, and the checks every role gets. */
import type { CheckResult, StepContext } from '../../../src/course/model.js';
import { expectEqual, expectThat, normalisePolicy, readBack } from '../../shared/checks.js';
import { demo2Names } from '../names.js';
import type { PipelineScope } from '../policy.js';
import { readRole } from '../../shared/roleReadBack.js';
import type { Demo2State } from '../state.js';

type Ctx = StepContext<Demo2State>;

export function pipelineScope(ctx: Ctx): PipelineScope {
  const n = demo2Names(ctx.resources);
  return {
    region: ctx.target.region,
    accountId: ctx.target.accountId,
    bucket: n.bucket,
    eventsLogGroup: n.eventsLogGroup,
    functions: n.functions,
    functionLogGroups: n.functionLogGroups,
    stateMachine: n.stateMachine,
    stateMachineLogGroup: n.stateMachineLogGroup,
  };
}

/** Checks of a role: who may assume it, and that its one inline policy is exactly `expected`. */
export async function roleChecks(
  ctx: Ctx,
  roleName: string,
  service: string,
  policyName: string,
  expected: unknown,
  summary: string,
): Promise<CheckResult[]> {
  const role = await readBack(() => readRole(ctx, roleName, policyName));
  if (!role) return [expectEqual(`only ${service} may assume ${roleName}`, [service], '(none)')];
  const same = JSON.stringify(normalisePolicy(expected)) === JSON.stringify(normalisePolicy(role.policy));
  return [
    expectEqual(`only ${service} may assume ${roleName}`, [service], role.trustedServices),
    expectEqual('exactly one inline policy', [policyName], role.policyNames),
    expectThat(
      `the policy holds exactly the scoped statements`,
      same,
      summary,
      same
        ? 'identical'
        : role.policy === undefined
          ? '(no such policy)'
          : `different: ${JSON.stringify(role.policy)}`,
    ),
  ];
}
