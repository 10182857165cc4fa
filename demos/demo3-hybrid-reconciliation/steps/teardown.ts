/** Teardown: stop both triggers and what is running, delete everything the ledger names, then prove it. */
import { DisableRuleCommand } from '@aws-sdk/client-eventbridge';
import type { Step, StepContext } from '../../../src/course/model.js';
import type { CreatedResource } from '../../../src/cloud/resourceTypes.js';
import { stillListed, type NamedResource } from '../../../src/cloud/remaining.js';
import { stopRunningExecutions } from '../../../src/cloud/resources/stateMachine.js';
import { expectEqual } from '../../shared/checks.js';
import { executionNameOf } from '../executions.js';
import { demo3Names, lambdaLogGroup, machineLogGroup, type FunctionKey } from '../names.js';
import { STEP_NARRATION } from '../narration.js';
import type { Demo3State } from '../state.js';

type Ctx = StepContext<Demo3State>;

const label = (r: CreatedResource): string => `${r.kind} ${r.name}`;
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

async function stopExecutions(ctx: Ctx): Promise<string[]> {
  if (!ctx.state.stateMachine) return [];
  try {
    return await stopRunningExecutions(ctx.aws, ctx.state.stateMachine.arn);
  } catch (err) {
    if ((err as Error).name === 'StateMachineDoesNotExist') return [];
    throw err;
  }
}

const teardown: Step<Demo3State> = {
  id: 'teardown',
  title: 'Delete everything the demo created',
  narration: STEP_NARRATION.teardown!,
  async run(ctx) {
    const disabled = await disableRules(ctx);
    const stopped = await stopExecutions(ctx);
    ctx.out.say(
      `Disabled: ${disabled.join(', ') || 'nothing'}. ` +
        (stopped.length
          ? `Stopped ${stopped.length} running execution(s): ${stopped.map(executionNameOf).join(', ')}.`
          : 'No execution was still running.'),
    );
    const report = await ctx.teardown();
    ctx.out.table({
      title: 'Teardown report',
      columns: ['resource', 'outcome'],
      rows: [
        ...report.deleted.map((r) => [label(r), 'deleted']),
        ...report.alreadyGone.map((r) => [label(r), 'already gone']),
        ...report.failed.map((f) => [label(f.resource), `FAILED: ${f.error}`]),
        ...report.leftovers.map((r) => [label(r), 'still tagged with this run']),
      ],
    });
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
        'alarm, rules, state machine, functions, resource policy, log groups, roles, bucket still listed',
        [],
        remaining,
      ),
    ];
  },
};

export const teardownSteps: Step<Demo3State>[] = [teardown];
