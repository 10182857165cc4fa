/** Teardown: delete everything the ledger names, then prove through List calls that it is gone. */
import { DisableRuleCommand } from '@aws-sdk/client-eventbridge';
import type { Step, StepContext } from '../../../src/course/model.js';
import type { CreatedResource } from '../../../src/cloud/resourceTypes.js';
import { stillListed } from '../../../src/cloud/remaining.js';
import { expectEqual } from '../../shared/checks.js';
import { demo1Names } from '../names.js';
import { STEP_NARRATION } from '../narration.js';
import type { LogLine } from '../../shared/logEvents.js';
import { waitForLogLines } from '../scheduledRuns.js';
import { groupRuns } from '../runs.js';
import type { Demo1State } from '../state.js';

type Ctx = StepContext<Demo1State>;

const label = (r: CreatedResource): string => `${r.kind} ${r.name}`;

/** The names to look for: those saved when they were created (the ledger may be reset by now). */
function namesToCheck(ctx: Ctx) {
  const derived = demo1Names(ctx.resources);
  const s = ctx.state;
  return {
    bucket: s.bucket ?? derived.bucket,
    role: s.roleName ?? derived.role,
    functionName: s.functionName ?? derived.functionName,
    rule: s.ruleName ?? derived.rule,
    logGroup: s.logGroupName ?? derived.logGroup,
  };
}

/** Which of this run's resources a List call still shows. */
export async function remainingResources(ctx: Ctx): Promise<string[]> {
  const n = namesToCheck(ctx);
  return stillListed(ctx.aws, [
    { kind: 's3-bucket', name: n.bucket },
    { kind: 'iam-role', name: n.role },
    { kind: 'lambda-function', name: n.functionName },
    { kind: 'events-rule', name: n.rule },
    { kind: 'log-group', name: n.logGroup },
  ]);
}

/** Give log delivery time to show a run that started just before the rule was disabled. */
const DRAIN_MIN_MS = 10_000;
/** The function's timeout (30 s) plus margin: no run can still be going after this. */
const DRAIN_MAX_MS = 45_000;

/** Runs (request ids) with an attempt that logged START but not yet REPORT. */
export function unfinishedRuns(lines: LogLine[]): string[] {
  return groupRuns(lines)
    .filter((r) => r.attempts > r.finished)
    .map((r) => r.requestId);
}

/**
 * Stop the clock before deleting what it drives: disable the rule so no new run starts, and let a
 * run already in progress finish, so nothing is half-written (and nothing writes logs while its log
 * group is being deleted).
 */
async function stopScheduleAndDrain(ctx: Ctx): Promise<void> {
  const rule = ctx.state.ruleName;
  if (!rule || !ctx.state.logGroupName) return;
  try {
    await ctx.aws.events.send(new DisableRuleCommand({ Name: rule }));
  } catch (err) {
    if ((err as Error).name === 'ResourceNotFoundException') return;
    throw err;
  }
  const since = ctx.clock.now();
  await waitForLogLines(
    ctx,
    since,
    'Schedule disabled; letting a run already started finish',
    (lines) => ctx.clock.now() - since >= DRAIN_MIN_MS && unfinishedRuns(lines).length === 0,
    { soft: true, timeoutMs: DRAIN_MAX_MS },
  );
}

const teardown: Step<Demo1State> = {
  id: 'teardown',
  title: 'Delete everything the demo created',
  narration: STEP_NARRATION.teardown,
  async run(ctx) {
    await stopScheduleAndDrain(ctx);
    // The teardown flow has just listed what was deleted, already gone, failed or left over.
    const report = await ctx.teardown();
    ctx.state.teardown = {
      deleted: report.deleted.length,
      alreadyGone: report.alreadyGone.length,
      failed: report.failed.map((f) => `${label(f.resource)}: ${f.error}`),
      leftovers: report.leftovers.map(label),
    };
  },
  async check(ctx) {
    const t = ctx.state.teardown;
    const remaining = await remainingResources(ctx);
    return [
      expectEqual('deletions that failed', [], t?.failed ?? ['(teardown did not report)']),
      expectEqual('leftovers found by the tag sweep', [], t?.leftovers ?? ['(teardown did not report)']),
      expectEqual('bucket, role, function, rule, log group still listed', [], remaining),
    ];
  },
};

export const teardownSteps: Step<Demo1State>[] = [teardown];
