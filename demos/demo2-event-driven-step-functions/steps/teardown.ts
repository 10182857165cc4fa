/** Teardown: stop what is running, delete everything the ledger names, then prove it through List calls. */
import type { Step, StepContext } from '../../../src/course/model.js';
import type { CreatedResource } from '../../../src/cloud/resourceTypes.js';
import { stillListed, type NamedResource } from '../../../src/cloud/remaining.js';
import { stopRunningExecutions } from '../../../src/cloud/resources/stateMachine.js';
import { executionName } from '../../../src/course/execution/followExecution.js';
import { expectEqual } from '../../shared/checks.js';
import { PIPELINE_FUNCTIONS, demo2Names } from '../names.js';
import { STEP_NARRATION } from '../narration.js';
import { LOG_DELIVERY_POLICY, logDeliveryResources } from '../logDeliveryPolicy.js';
import type { Demo2State } from '../state.js';

type Ctx = StepContext<Demo2State>;

const label = (r: CreatedResource): string => `${r.kind} ${r.name}`;

/** What to look for: the names saved when they were created, else this run's derived names. */
function resourcesToCheck(ctx: Ctx): NamedResource[] {
  const n = demo2Names(ctx.resources);
  const s = ctx.state;
  const groups = s.logGroups ?? {
    ...n.functionLogGroups,
    stateMachine: n.stateMachineLogGroup,
    events: n.eventsLogGroup,
  };
  return [
    { kind: 'events-rule', name: s.ruleName ?? n.rule },
    { kind: 'state-machine', name: s.stateMachineName ?? n.stateMachine },
    { kind: 'alarm', name: s.alarmName ?? n.alarm },
    { kind: 'log-resource-policy', name: s.eventsLogPolicyName ?? n.eventsLogPolicy },
    ...PIPELINE_FUNCTIONS.map((fn) => ({
      kind: 'lambda-function' as const,
      name: s.functions?.[fn].name ?? n.functions[fn],
    })),
    ...Object.values(groups).map((name) => ({ kind: 'log-group' as const, name })),
    { kind: 'iam-role', name: s.functionRoleName ?? n.functionRole },
    { kind: 'iam-role', name: s.stateMachineRoleName ?? n.stateMachineRole },
    { kind: 'iam-role', name: s.eventsRoleName ?? n.eventsRole },
    { kind: 's3-bucket', name: s.bucket ?? n.bucket },
  ];
}

const teardown: Step<Demo2State> = {
  id: 'teardown',
  title: 'Delete everything the demo created',
  narration: STEP_NARRATION.teardown!,
  async run(ctx) {
    // Shown here so the learner sees it; the cloud layer's teardown does the same for a state machine
    // (so `course-cli demo2 teardown` alone is just as thorough).
    const stopped = ctx.state.stateMachineArn
      ? await stopRunningExecutionsIfAny(ctx, ctx.state.stateMachineArn)
      : [];
    ctx.out.say(
      stopped.length
        ? `Stopped ${stopped.length} running execution(s): ${stopped.map(executionName).join(', ')}.`
        : 'No execution was still running.',
    );
    const report = await ctx.teardown();
    // The runner already listed each deletion; what needs a second look is what was not deleted.
    const notDeleted = [
      ...report.alreadyGone.map((r) => [label(r), 'already gone']),
      ...report.failed.map((f) => [label(f.resource), `FAILED: ${f.error}`]),
      ...report.leftovers.map((r) => [label(r), 'still tagged with this run']),
    ];
    if (notDeleted.length > 0) {
      ctx.out.table({
        title: 'Not deleted by this teardown',
        columns: ['resource', 'outcome'],
        rows: notDeleted,
      });
    }
    const delivery = await logDeliveryResources(ctx);
    if (delivery) {
      ctx.out.note(
        `Left in place on purpose: CloudWatch Logs' resource policy ${LOG_DELIVERY_POLICY} (log delivery ` +
          `to ${delivery.length} log-group pattern(s)). AWS keeps it for every vended log delivery in the ` +
          'region, not for this run; deleting it could stop other logs from arriving.',
      );
    }
    ctx.state.teardown = {
      deleted: report.deleted.length,
      alreadyGone: report.alreadyGone.length,
      failed: report.failed.map((f) => `${label(f.resource)}: ${f.error}`),
      leftovers: report.leftovers.map(label),
      stopped,
    };
  },
  async check(ctx) {
    const t = ctx.state.teardown;
    const remaining = await stillListed(ctx.aws, resourcesToCheck(ctx));
    return [
      expectEqual('deletions that failed', [], t?.failed ?? ['(teardown did not report)']),
      expectEqual('leftovers found by the tag sweep', [], t?.leftovers ?? ['(teardown did not report)']),
      expectEqual(
        'rule, state machine, alarm, log policy, functions, log groups, roles, bucket still listed',
        [],
        remaining,
      ),
    ];
  },
};

/** Running executions stopped; none when the state machine is already gone. */
async function stopRunningExecutionsIfAny(ctx: Ctx, stateMachineArn: string): Promise<string[]> {
  try {
    return await stopRunningExecutions(ctx.aws, stateMachineArn);
  } catch (err) {
    if ((err as Error).name === 'StateMachineDoesNotExist') return [];
    throw err;
  }
}

export const teardownSteps: Step<Demo2State>[] = [teardown];
