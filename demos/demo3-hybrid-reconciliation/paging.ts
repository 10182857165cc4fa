/**
 * The alarm on "partitions still missing after the grace period" and the page it sends: CloudWatch
 * puts every alarm state change on EventBridge's default bus ("CloudWatch Alarm State Change"), a
 * rule sends those of our alarm to a log group, and that log group is the pager the learner reads.
 * On AWS a custom metric reaches the alarm a minute or two after it is published, so waits are
 * bounded in target time and say how long they waited.
 */
import {
  DescribeAlarmsCommand,
  type MetricAlarm,
  type StateValue as AlarmStateValue,
} from '@aws-sdk/client-cloudwatch';
import type { StepContext, Table } from '../../src/course/model.js';
import type { TargetTime } from '../../src/course/targetTime.js';
import { readLogLines } from '../shared/logEvents.js';
import { waitInTargetTime } from '../shared/targetWait.js';
import { need, type Demo3State } from './state.js';

type Ctx = StepContext<Demo3State>;

/** One page: an alarm state change as EventBridge delivered it to the pager log group. */
export interface Page {
  /** The event's time (target clock). */
  time: string;
  alarmName: string;
  state: string;
  previousState: string;
  reason: string;
}

/** Metric → alarm evaluation → event → log group: a few minutes on AWS at most. */
export const PAGE_TIMEOUT_MS = 6 * 60_000;
const POLL_MS = 10_000;

export async function readAlarm(ctx: Ctx, name: string): Promise<MetricAlarm | undefined> {
  const out = await ctx.aws.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  return out.MetricAlarms?.find((a) => a.AlarmName === name);
}

/** The alarm state changes delivered to the pager log group since `since` (target ms), oldest first. */
export async function readPages(
  ctx: Ctx,
  logGroup: string,
  alarmName: string,
  since: number,
): Promise<Page[]> {
  const lines = await readLogLines(ctx.aws.logs, logGroup, { startTime: since });
  const pages: Page[] = [];
  for (const l of lines) {
    const event = l.fields as
      | {
          time?: string;
          'detail-type'?: string;
          detail?: {
            alarmName?: string;
            state?: { value?: string; reason?: string };
            previousState?: { value?: string };
          };
        }
      | undefined;
    if (event?.['detail-type'] !== 'CloudWatch Alarm State Change' || event.detail?.alarmName !== alarmName)
      continue;
    pages.push({
      time: event.time ?? new Date(l.timestamp).toISOString(),
      alarmName,
      state: event.detail.state?.value ?? '',
      previousState: event.detail.previousState?.value ?? '',
      reason: event.detail.state?.reason ?? '',
    });
  }
  return pages;
}

/** Every page for this run's alarm since the schedule was switched on, oldest first. */
export async function pagesSinceSchedule(ctx: Ctx): Promise<Page[]> {
  return readPages(
    ctx,
    need(ctx.state.pager, 'the pager').logGroup,
    need(ctx.state.alarm, 'the alarm').name,
    need(ctx.state.scheduleEnabledAt, 'the time the schedule was switched on'),
  );
}

/** The pages as the pager log group shows them: when (target clock), the change, the reason. */
export function pagerTable(time: TargetTime, logGroup: string, pages: Page[]): Table {
  return {
    title: `The pager (${logGroup})`,
    note: time.columnNote,
    columns: [time.columnTitle, 'alarm state change', 'reason'],
    rows: pages.map((p) => [time.clockTime(Date.parse(p.time)), `${p.previousState} → ${p.state}`, p.reason]),
  };
}

/** Wait until the alarm is in `state` and its page for that change has reached the pager log group. */
export async function waitForPage(
  ctx: Ctx,
  opts: { alarmName: string; logGroup: string; state: AlarmStateValue; since: number; label: string },
): Promise<{ alarm: MetricAlarm; page: Page }> {
  let last: AlarmStateValue | undefined;
  return waitInTargetTime(ctx, {
    label: opts.label,
    timeoutMs: PAGE_TIMEOUT_MS,
    timeoutMessage: `the alarm did not reach ${opts.state} and page within ${PAGE_TIMEOUT_MS / 60_000} minutes`,
    pollMs: POLL_MS,
    status: () => `alarm is ${last ?? '…'}`,
    probe: async () => {
      const alarm = await readAlarm(ctx, opts.alarmName);
      last = alarm?.StateValue as AlarmStateValue | undefined;
      if (!alarm || last !== opts.state) return undefined;
      const page = (await readPages(ctx, opts.logGroup, opts.alarmName, opts.since)).findLast(
        (p) => p.state === opts.state,
      );
      return page ? { alarm, page } : undefined;
    },
  });
}
