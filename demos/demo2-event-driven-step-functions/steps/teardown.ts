/** Teardown: stop what is running, delete everything the ledger names, then prove it through List calls. */
import type { Step, StepContext } from '../../../src/course/model.js';
import { stillListed, type NamedResource } from '../../../src/cloud/remaining.js';
import {
  describeStopped,
  recordTeardown,
  stopRunningExecutionsIfAny,
  teardownChecks,
} from '../../shared/teardownStep.js';
import { PIPELINE_FUNCTIONS, demo2Names } from '../names.js';
import { STEP_NARRATION } from '../narration.js';
import { LOG_DELIVERY_POLICY, logDeliveryResources } from '../logDeliveryPolicy.js';
import type { Demo2State } from '../state.js';

type Ctx = StepContext<Demo2State>;

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
      ? await stopRunningExecutionsIfAny(ctx.aws, ctx.state.stateMachineArn)
      : [];
    ctx.out.say(describeStopped(stopped));
    // The teardown flow lists each deletion, and what was already gone, failed or left over.
    const report = await ctx.teardown();
    const delivery = await logDeliveryResources(ctx);
    if (delivery) {
      ctx.out.note(
        `Left in place on purpose: CloudWatch Logs' resource policy ${LOG_DELIVERY_POLICY} (log delivery ` +
          `to ${delivery.length} log-group pattern${delivery.length === 1 ? '' : 's'}). AWS keeps it for every vended log delivery in the ` +
          'region, not for this run; deleting it could stop other logs from arriving.',
      );
    }
    ctx.state.teardown = { ...recordTeardown(report), stopped };
  },
  async check(ctx) {
    const remaining = await stillListed(ctx.aws, resourcesToCheck(ctx));
    return teardownChecks(
      ctx.state.teardown,
      'rule, state machine, alarm, log policy, functions, log groups, roles, bucket',
      remaining,
    );
  },
};

export const teardownSteps: Step<Demo2State>[] = [teardown];
