/** Teardown: delete everything the ledger names, then prove through List calls that it is gone. */
import { DisableRuleCommand } from '@aws-sdk/client-eventbridge';
import { DescribeMetricFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import { stillListed } from '../../../src/cloud/remaining.js';
import type { Step, StepContext } from '../../../src/course/model.js';
import { readBack } from '../../shared/checks.js';
import { recordTeardown, teardownChecks } from '../../shared/teardownStep.js';
import { STEP_NARRATION } from '../narration.js';
import type { LogLine } from '../../shared/logEvents.js';
import { waitForLogLines } from '../scheduledRuns.js';
import { groupRuns, scheduledRuns } from '../runs.js';
import { demo1Names, SCHEDULE_PERIOD_MS } from '../names.js';
import type { Demo1State } from '../state.js';

type Ctx = StepContext<Demo1State>;

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
    alarm: s.alarmName ?? derived.alarm,
    errorLinesFilter: s.errorLinesFilter ?? derived.errorLinesFilter,
    alarmRule: s.alarmRuleName ?? derived.alarmRule,
    alarmEventsGroup: s.alarmEventsGroup ?? derived.alarmEventsGroup,
    alarmEventsPolicy: s.alarmEventsPolicy ?? derived.alarmEventsPolicy,
  };
}

/** Whether the function's log group still holds the metric filter (no group, no filter). */
async function filterRemains(ctx: Ctx, group: string, name: string): Promise<boolean> {
  const out = await readBack(() =>
    ctx.aws.logs.send(new DescribeMetricFiltersCommand({ logGroupName: group, filterNamePrefix: name })),
  );
  return (out?.metricFilters ?? []).some((f) => f.filterName === name);
}

/** Which of this run's resources a List or Describe call still shows. */
export async function remainingResources(ctx: Ctx): Promise<string[]> {
  const n = namesToCheck(ctx);
  const [listed, filter] = await Promise.all([
    stillListed(ctx.aws, [
      { kind: 's3-bucket', name: n.bucket },
      { kind: 'iam-role', name: n.role },
      { kind: 'lambda-function', name: n.functionName },
      { kind: 'events-rule', name: n.rule },
      { kind: 'log-group', name: n.logGroup },
      { kind: 'alarm', name: n.alarm },
      { kind: 'events-rule', name: n.alarmRule },
      { kind: 'log-group', name: n.alarmEventsGroup },
      { kind: 'log-resource-policy', name: n.alarmEventsPolicy },
    ]),
    filterRemains(ctx, n.logGroup, n.errorLinesFilter),
  ]);
  return filter ? [...listed, `metric filter ${n.errorLinesFilter}`] : listed;
}

/**
 * On AWS a run's log lines arrive seconds after it starts: without other evidence, give a run that
 * started just before the rule was disabled this long to show its START.
 */
const DELIVERY_LAG_MS = 10_000;
/** The function's timeout (30 s) plus margin: no run can still be going after this. */
const DRAIN_MAX_MS = 45_000;
/** EventBridge fires a rate schedule about a period apart, at times a few seconds late. */
const TICK_LATENESS_MS = 10_000;

/** Runs (request ids) with an attempt that logged START but not yet REPORT. */
export function unfinishedRuns(lines: LogLine[]): string[] {
  return groupRuns(lines)
    .filter((r) => r.attempts > r.finished)
    .map((r) => r.requestId);
}

/**
 * Whether the function's lines (read since shortly before `disabledAt`) show that no run is going:
 * every run seen has finished, and either the newest scheduled run (or the rule's creation, when
 * given: the schedule counts its periods from there) was so shortly before the rule was disabled that
 * the next tick was not yet due (so no run can have started unseen), or the lines have had
 * `DELIVERY_LAG_MS` to arrive (`waitedMs`, target time).
 */
export function drained(
  lines: LogLine[],
  disabledAt: number,
  waitedMs: number,
  ruleCreatedAt?: number,
): boolean {
  if (unfinishedRuns(lines).length > 0) return false;
  if (waitedMs >= DELIVERY_LAG_MS) return true;
  const ticks = scheduledRuns(groupRuns(lines)).map((r) => r.eventTime ?? r.startedAt);
  if (ruleCreatedAt !== undefined) ticks.push(ruleCreatedAt);
  if (ticks.length === 0) return false;
  return disabledAt < Math.max(...ticks) + SCHEDULE_PERIOD_MS - TICK_LATENESS_MS;
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
  const disabledAt = ctx.clock.now();
  await waitForLogLines(
    ctx,
    disabledAt,
    'Schedule disabled; letting a run already started finish',
    (lines) => drained(lines, disabledAt, ctx.clock.now() - disabledAt, ctx.state.ruleCreatedAt),
    { soft: true, timeoutMs: DRAIN_MAX_MS },
  );
}

const teardown: Step<Demo1State> = {
  id: 'teardown',
  title: 'Delete everything the demo created',
  narration: STEP_NARRATION.teardown,
  async run(ctx) {
    await stopScheduleAndDrain(ctx);
    // The teardown flow lists each deletion, and what was already gone, failed or left over.
    ctx.state.teardown = recordTeardown(await ctx.teardown());
  },
  async check(ctx) {
    return teardownChecks(
      ctx.state.teardown,
      'bucket, role, function, rules, log groups, alarm, metric filter, resource policy',
      await remainingResources(ctx),
    );
  },
};

export const teardownSteps: Step<Demo1State>[] = [teardown];
