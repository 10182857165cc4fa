/**
 * Recovery: the outage ends; the schedule's next reconciliation rebuilds what the events left
 * behind (late hour 03, stale hour 01) and says so in its report; a second run changes nothing; the
 * alarm clears; every hour's summary equals a recount of its raw files.
 */
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { CheckResult, Step, StepContext } from '../../../src/course/model.js';
import { expectEqual, expectThat } from '../../shared/checks.js';
import { changeEnvironment, readEnvironment } from '../../shared/functionEnvironment.js';
import { waitInTargetTime } from '../../shared/targetWait.js';
import type { PartitionSummary } from '../lambda/summaries.mjs';
import {
  builtFromObjects,
  eachLimited,
  rawObjects,
  readSummaries,
  readSummary,
  recountRaw,
  summaryEtags,
} from '../curated.js';
import {
  RECONCILIATION_TIMEOUT_MS,
  describeExecution,
  waitUntilNoneRunning,
  executionNameOf,
  readReport,
  runToReport,
} from '../executions.js';
import { GRACE, SCHEDULE_PERIOD_MS } from '../names.js';
import { CLOSING_LESSON, STEP_NARRATION } from '../narration.js';
import { pagerTable, pagesSinceSchedule, readAlarm, waitForPage } from '../paging.js';
import { manualScheduledInput } from '../triggers.js';
import { need, type Demo3State } from '../state.js';
import { comparisonTable, limitRows, showReport, shortPartition } from '../views.js';
import { windowPartitionIds } from '../window.js';
import { reportStoredChecks, statusChecks } from './execution.js';
import { OUTAGE_VARIABLE } from './failure.js';

type Ctx = StepContext<Demo3State>;

const processFunction = (ctx: Ctx): string => need(ctx.state.functions.process, 'process-partition').name;
const repaired = (ctx: Ctx): string[] => [
  need(ctx.state.resent, 'the resent hour'),
  need(ctx.state.withheld, 'the withheld hour'),
];

const outageEnds: Step<Demo3State> = {
  id: 'outage-ends',
  title: 'The outage ends',
  narration: STEP_NARRATION['outage-ends']!,
  async run(ctx) {
    const outage = need(ctx.state.outage, 'the outage');
    // A reconciliation started during the outage and still in its grace periods would meet the fix
    // halfway and repair part of the damage by itself (on AWS the page comes minutes after the
    // report, so the outage often begins while the next run waits out its grace). Let it finish:
    // then the next scheduled run is the first to see the fix, from its start.
    await waitUntilNoneRunning(ctx, 'Waiting for a reconciliation still running to finish');
    // The fix is live as soon as Lambda has applied it, which can be before the poll looks again:
    // runs from this moment on may already succeed.
    outage.endedAt = ctx.clock.now();
    await changeEnvironment(ctx, processFunction(ctx), { [OUTAGE_VARIABLE]: undefined });
    ctx.out.say(
      `${OUTAGE_VARIABLE} removed. Nothing else is done by hand: the schedule will find the damage.`,
    );
  },
  async check(ctx) {
    const env = await readEnvironment(ctx, processFunction(ctx));
    return [
      expectEqual(OUTAGE_VARIABLE, '(none)', env.variables[OUTAGE_VARIABLE]),
      expectEqual('last update status', 'Successful', env.lastUpdateStatus),
    ];
  },
};

const executionArnOf = (ctx: Ctx, name: string): string =>
  `${need(ctx.state.stateMachine, 'the state machine').arn.replace(':stateMachine:', ':execution:')}:${name}`;

/** Each repaired partition's summary once it matches its raw files again, rebuilt by a reconciliation. */
async function rebuiltSummaries(ctx: Ctx): Promise<Map<string, PartitionSummary> | undefined> {
  const found = new Map<string, PartitionSummary>();
  for (const p of repaired(ctx)) {
    const [summary, objects] = await Promise.all([readSummary(ctx, p), rawObjects(ctx, p)]);
    if (!summary || summary.trigger.type !== 'reconcile' || !builtFromObjects(summary, objects))
      return undefined;
    found.set(p, summary);
  }
  return found;
}

const reconciliation: Step<Demo3State> = {
  id: 'reconciliation',
  title: 'The next scheduled reconciliation repairs hours 01 and 03',
  narration: STEP_NARRATION.reconciliation!,
  async run(ctx) {
    // The summaries name the reconciliation that rebuilt them: wait for that, then follow it.
    const rebuilt = await waitInTargetTime(ctx, {
      label: 'Waiting for the schedule’s next reconciliation to rebuild hours 01 and 03',
      timeoutMs: SCHEDULE_PERIOD_MS + RECONCILIATION_TIMEOUT_MS,
      timeoutMessage: 'no reconciliation rebuilt them — is the schedule rule ENABLED and the outage over?',
      pollMs: 15_000,
      probe: () => rebuiltSummaries(ctx),
    });
    const names = [...new Set([...rebuilt.values()].map((s) => s.trigger.execution ?? ''))];
    const runs = await Promise.all(names.map((n) => describeExecution(ctx, executionArnOf(ctx, n))));
    const last = runs.sort((a, b) => (a.startDate?.getTime() ?? 0) - (b.startDate?.getTime() ?? 0)).at(-1)!;
    const run = await runToReport(
      ctx,
      last.executionArn!,
      'Following the reconciliation that rebuilt them',
      'path',
    );
    ctx.state.recoveryReconciliation = run;
    showReport(ctx.out, await readReport(ctx, run.reportKey), {
      json: run.reportKey,
      markdown: run.markdownKey,
    });
    for (const p of repaired(ctx)) {
      ctx.out.table(comparisonTable(p, await recountRaw(ctx, p), rebuilt.get(p)));
    }
  },
  async check(ctx) {
    const run = need(ctx.state.recoveryReconciliation, 'the reconciliation');
    const report = await readReport(ctx, run.reportKey);
    const summaries = await readSummaries(ctx, repaired(ctx));
    const endedAt = need(ctx.state.outage?.endedAt, 'the end of the outage');
    const results: CheckResult[] = statusChecks(
      'the report',
      report,
      Object.fromEntries(repaired(ctx).map((p) => [p, 'RECONCILED'])),
    );
    for (const p of repaired(ctx)) {
      const s = summaries.get(p);
      results.push(
        expectEqual(
          `${p}: rebuilt by this reconciliation`,
          `reconcile ${executionNameOf(run.executionArn)}`,
          s ? `${s.trigger.type} ${s.trigger.execution}` : '(no summary)',
        ),
      );
    }
    results.push(
      expectEqual('MISSING partitions', 0, report.counts.MISSING),
      expectThat(
        'rebuilt after the fix was made (target clock)',
        run.startedAt >= endedAt ||
          [...summaries.values()].every((s) => Date.parse(s.processed_at) >= endedAt),
        `rebuilt after ${new Date(endedAt).toISOString()}`,
        [...summaries.values()].map((s) => s.processed_at).join(', '),
      ),
      ...(await reportStoredChecks(ctx, run)),
    );
    return results;
  },
};

const rerun: Step<Demo3State> = {
  id: 'rerun',
  title: 'Run the reconciliation again: nothing changes',
  narration: STEP_NARRATION.rerun!,
  async run(ctx) {
    const etagsBefore = await summaryEtags(ctx);
    const input = manualScheduledInput(
      { window: need(ctx.state.window, 'the window'), grace: GRACE },
      new Date(ctx.clock.now()).toISOString(),
    );
    const started = await ctx.aws.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: need(ctx.state.stateMachine, 'the state machine').arn,
        input,
      }),
    );
    const run = await runToReport(ctx, started.executionArn!, 'Following the second reconciliation', 'path');
    ctx.state.rerun = { ...run, etagsBefore };
    showReport(ctx.out, await readReport(ctx, run.reportKey), {
      json: run.reportKey,
      markdown: run.markdownKey,
    });
  },
  async check(ctx) {
    const r = need(ctx.state.rerun, 'the second run');
    const report = await readReport(ctx, r.reportKey);
    const after = await summaryEtags(ctx);
    const changed = Object.keys({ ...r.etagsBefore, ...after }).filter((p) => r.etagsBefore[p] !== after[p]);
    return [
      ...statusChecks('the second report', report, {}),
      expectEqual('summaries rewritten by the second run', [], changed),
      expectEqual(
        'summaries in curated/',
        need(ctx.state.window, 'the window').hours,
        Object.keys(after).length,
      ),
    ];
  },
};

const pageClears: Step<Demo3State> = {
  id: 'page-clears',
  title: 'The alarm clears, and says so on the pager',
  narration: STEP_NARRATION['page-clears']!,
  async run(ctx) {
    const alarm = need(ctx.state.alarm, 'the alarm');
    const pager = need(ctx.state.pager, 'the pager');
    const { alarm: a, page } = await waitForPage(ctx, {
      alarmName: alarm.name,
      logGroup: pager.logGroup,
      state: 'OK',
      since: need(ctx.state.alarmFired, 'the page').at,
      label: 'Waiting for the alarm to return to OK',
    });
    ctx.state.alarmCleared = { at: Date.parse(page.time), reason: page.reason };
    ctx.out.table(pagerTable(ctx.time, pager.logGroup, await pagesSinceSchedule(ctx)));
    ctx.out.say(`DescribeAlarms: ${a.AlarmName} is ${a.StateValue}.`);
  },
  async check(ctx) {
    const a = await readAlarm(ctx, need(ctx.state.alarm, 'the alarm').name);
    const pages = await pagesSinceSchedule(ctx);
    return [
      expectEqual('alarm state', 'OK', a?.StateValue),
      expectEqual(
        'pages, in order',
        'ALARM then OK',
        pages
          .map((p) => p.state)
          .filter((s, i, all) => s !== all[i - 1])
          .slice(-2)
          .join(' then '),
      ),
    ];
  },
};

interface HourCheck {
  partition: string;
  raw: { records: number; distinct: number; total: number };
  curated?: { records: number; distinct: number; total: number };
}

async function everyHour(ctx: Ctx): Promise<HourCheck[]> {
  const ids = windowPartitionIds(need(ctx.state.window, 'the window'));
  const summaries = await readSummaries(ctx, ids);
  return eachLimited(ids, async (partition) => {
    const raw = (await recountRaw(ctx, partition)).stats;
    const s = summaries.get(partition);
    return {
      partition,
      raw: { records: raw.record_count, distinct: raw.distinct_orders, total: raw.total_amount },
      curated: s
        ? { records: s.record_count, distinct: s.distinct_orders, total: s.total_amount }
        : undefined,
    };
  });
}

const agrees = (h: HourCheck): boolean =>
  !!h.curated &&
  h.curated.records === h.raw.records &&
  h.curated.distinct === h.raw.distinct &&
  h.curated.total === h.raw.total;

const verifyEveryHour: Step<Demo3State> = {
  id: 'verify-every-hour',
  title: 'Verify every hour: curated totals equal the distinct raw records',
  narration: STEP_NARRATION['verify-every-hour']!,
  async run(ctx) {
    const hours = await everyHour(ctx);
    ctx.out.table({
      title: 'raw/ recounted now vs curated/',
      columns: ['hour', 'raw records', 'raw distinct', 'curated distinct', 'total'],
      rows: limitRows(
        hours.map((h) => [
          shortPartition(h.partition),
          h.raw.records,
          h.raw.distinct,
          h.curated?.distinct ?? '(none)',
          agrees(h) ? h.raw.total.toFixed(2) : `${h.raw.total.toFixed(2)} ≠ ${h.curated?.total ?? '–'}`,
        ]),
        (n) => [`… ${n} more`, '', '', '', ''],
      ),
    });
    ctx.out.say(CLOSING_LESSON);
  },
  async check(ctx) {
    const hours = await everyHour(ctx);
    const wrong = hours.filter((h) => !agrees(h));
    const resent = need(ctx.state.resent, 'the resent hour');
    const h01 = hours.find((h) => h.partition === resent);
    return [
      expectEqual(
        'hours whose curated records, distinct orders and total equal the raw recount',
        `${hours.length} of ${hours.length}`,
        `${hours.length - wrong.length} of ${hours.length}${wrong.length ? `; not: ${wrong.map((h) => h.partition).join(', ')}` : ''}`,
      ),
      expectThat(
        `${resent}: resent orders counted once`,
        !!h01?.curated && h01.curated.distinct === h01.raw.distinct && h01.raw.records > h01.raw.distinct,
        'distinct orders < records, curated = raw distinct',
        h01
          ? `records ${h01.raw.records}, distinct ${h01.raw.distinct}, curated ${h01.curated?.distinct ?? '(none)'}`
          : '(no hour)',
      ),
    ];
  },
};

export const recoverySteps: Step<Demo3State>[] = [
  outageEnds,
  reconciliation,
  rerun,
  pageClears,
  verifyEveryHour,
];
