/** Teardown: stop both triggers and what is running, delete everything the ledger names, then prove it. */
import { DisableRuleCommand } from '@aws-sdk/client-eventbridge';
import type { Step, StepContext } from '../../../src/course/model.js';
import { stillListed, type NamedResource } from '../../../src/cloud/remaining.js';
import {
  describeStopped,
  recordTeardown,
  stopRunningExecutionsIfAny,
  teardownChecks,
} from '../../shared/teardownStep.js';
import { demo3Names, lambdaLogGroup, machineLogGroup, type FunctionKey } from '../names.js';
import { STEP_NARRATION } from '../narration.js';
import type { Demo3State } from '../state.js';

type Ctx = StepContext<Demo3State>;

const FUNCTION_KEYS: FunctionKey[] = ['process', 'check', 'report'];

/** What to look for: the names saved when they were created, else this run's derived names. */
function resourcesToCheck(ctx: Ctx): NamedResource[] {
  const n = demo3Names(ctx.resources);
  const s = ctx.state;
  const machine = s.stateMachine?.name ?? n.stateMachine;
  const functions = FUNCTION_KEYS.map((k) => s.functions[k]?.name ?? n.functions[k]);
  const groups = s.logGroups.length
    ? s.logGroups
    : [...functions.map(lambdaLogGroup), machineLogGroup(machine)];
  return [
    { kind: 'alarm', name: s.alarm?.name ?? n.alarm },
    { kind: 'events-rule', name: s.arrivalRule?.name ?? n.arrivalRule },
    { kind: 'events-rule', name: s.scheduleRule?.name ?? n.scheduleRule },
    { kind: 'events-rule', name: s.pager?.rule.name ?? n.pagerRule },
    { kind: 'state-machine', name: machine },
    ...functions.map((name) => ({ kind: 'lambda-function' as const, name })),
    { kind: 'log-resource-policy', name: s.pager?.policy ?? n.pagerPolicy },
    ...[...groups, s.pager?.logGroup ?? n.pagerLogGroup].map((name) => ({
      kind: 'log-group' as const,
      name,
    })),
    ...(['process', 'check', 'report', 'machine', 'events'] as const).map((k) => ({
      kind: 'iam-role' as const,
      name: s.roles[k]?.name ?? n.roles[k],
    })),
    { kind: 's3-bucket', name: s.bucket ?? n.bucket },
  ];
}

/** Stop the triggers first, so no new execution starts while its resources are being deleted. */
async function disableRules(ctx: Ctx): Promise<string[]> {
  const disabled: string[] = [];
  for (const rule of [ctx.state.scheduleRule, ctx.state.arrivalRule]) {
    if (!rule) continue;
    try {
      await ctx.aws.events.send(new DisableRuleCommand({ Name: rule.name }));
      disabled.push(rule.name);
    } catch (err) {
      if ((err as Error).name !== 'ResourceNotFoundException') throw err;
    }
  }
  return disabled;
}

const teardown: Step<Demo3State> = {
  id: 'teardown',
  title: 'Delete everything the demo created',
  narration: STEP_NARRATION.teardown!,
  async run(ctx) {
    const disabled = await disableRules(ctx);
    const machine = ctx.state.stateMachine;
    const stopped = machine ? await stopRunningExecutionsIfAny(ctx.aws, machine.arn) : [];
    ctx.out.say(`Disabled: ${disabled.join(', ') || 'nothing'}. ${describeStopped(stopped)}`);
    // The teardown flow lists each deletion, and what was already gone, failed or left over.
    const report = await ctx.teardown();
    ctx.state.teardown = { ...recordTeardown(report), stopped };
  },
  async check(ctx) {
    const remaining = await stillListed(ctx.aws, resourcesToCheck(ctx));
    return teardownChecks(
      ctx.state.teardown,
      'alarm, rules, state machine, functions, resource policy, log groups, roles, bucket',
      remaining,
    );
  },
};

export const teardownSteps: Step<Demo3State>[] = [teardown];
