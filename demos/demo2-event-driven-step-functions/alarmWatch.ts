/**
 * The pipeline's alarm as an operator sees it: its current state and reason (DescribeAlarms), its
 * state changes (DescribeAlarmHistory), and a bounded wait for a change. On AWS the metric arrives
 * 1–3 minutes after the failure and the alarm is evaluated every period, so a change can take
 * several minutes; the wait is in target time and stops on Ctrl-C.
 */
import {
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  type StateValue as AlarmStateValue,
} from '@aws-sdk/client-cloudwatch';
import type { AlarmMetricSpec, AlarmQuerySpec } from '../../src/cloud/resourceTypes.js';
import type { StepContext, Table } from '../../src/course/model.js';
import type { TargetTime } from '../../src/course/targetTime.js';
import { waitInTargetTime } from '../shared/targetWait.js';
import type { Demo2State } from './state.js';

type Ctx = StepContext<Demo2State>;

/** The metric Step Functions publishes for each failed execution of a state machine. */
export const executionsFailedMetric = (stateMachineArn: string): AlarmMetricSpec & { stat: 'Sum' } => ({
  namespace: 'AWS/States',
  metricName: 'ExecutionsFailed',
  dimensions: { StateMachineArn: stateMachineArn },
  stat: 'Sum',
  period: 60,
});

/**
 * What the alarm evaluates: ExecutionsFailed with every quiet minute as 0. The metric has no
 * datapoint in a minute without failures, and CloudWatch judges an alarm over a range a few periods
 * long, so on the bare metric an alarm would stay in ALARM for an unclear while after the last
 * failure; with FILL it clears a fixed number of periods after failures stop.
 */
export const FAILED_OR_ZERO = 'FILL(failed, 0)';

/**
 * How many of the most recent minutes the alarm judges, and how many must have a failure (1 of 5).
 * ExecutionsFailed reaches CloudWatch 1–3 minutes after the execution failed, and an alarm judges
 * the most recent complete periods: with FILL every recent minute whose data has not arrived yet is
 * a 0, so an alarm on the last minute alone has moved past the failure's minute by the time its
 * datapoint arrives, and never fires. Five minutes cover the delay, the minute the failure fell in
 * and the once-a-minute evaluation; the price is that the alarm clears about five minutes after the
 * last failure, not one.
 */
export const ALARM_EVALUATION = { evaluationPeriods: 5, datapointsToAlarm: 1 } as const;

export function alarmQueries(stateMachineArn: string): AlarmQuerySpec[] {
  return [
    { id: 'failed', metric: executionsFailedMetric(stateMachineArn), returnData: false },
    {
      id: 'failedOrZero',
      expression: FAILED_OR_ZERO,
      label: 'ExecutionsFailed, 0 when none',
      returnData: true,
    },
  ];
}

/** Metrics arrive 1–3 minutes late on AWS, and the alarm is evaluated once a minute. */
const ALARM_WAIT_TIMEOUT_MS = 8 * 60_000;
const ALARM_POLL_MS = 5_000;

export interface AlarmNow {
  state?: string;
  reason?: string;
  updatedAt?: number;
  /** Its queries, `id: expression` or `id: namespace metric statistic period`, in order. */
  queries: string[];
  /** The dimensions of its (first) metric. */
  dimensions: Record<string, string>;
  threshold?: number;
  comparison?: string;
  treatMissingData?: string;
  evaluationPeriods?: number;
  /** M of "M out of N" (CloudWatch's default, N, when the alarm names none). */
  datapointsToAlarm?: number;
}

export interface AlarmTransition {
  at: number;
  from: string;
  to: string;
  summary: string;
}

export async function describeAlarm(ctx: Ctx, name: string): Promise<AlarmNow | undefined> {
  const out = await ctx.aws.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  const a = out.MetricAlarms?.find((x) => x.AlarmName === name);
  if (!a) return undefined;
  return {
    state: a.StateValue,
    reason: a.StateReason,
    updatedAt: a.StateUpdatedTimestamp?.getTime(),
    queries: (a.Metrics ?? []).map((q) => {
      const m = q.MetricStat;
      return m
        ? `${q.Id}: ${m.Metric?.Namespace} ${m.Metric?.MetricName} ${m.Stat} ${m.Period}`
        : `${q.Id}: ${q.Expression}`;
    }),
    dimensions: Object.fromEntries(
      (a.Metrics?.find((q) => q.MetricStat)?.MetricStat?.Metric?.Dimensions ?? a.Dimensions ?? []).map(
        (d) => [d.Name ?? '', d.Value ?? ''],
      ),
    ),
    threshold: a.Threshold,
    comparison: a.ComparisonOperator,
    treatMissingData: a.TreatMissingData,
    evaluationPeriods: a.EvaluationPeriods,
    datapointsToAlarm: a.DatapointsToAlarm ?? a.EvaluationPeriods,
  };
}

/** The alarm's state changes, oldest first. */
export async function alarmTransitions(ctx: Ctx, name: string): Promise<AlarmTransition[]> {
  const items: AlarmTransition[] = [];
  let token: string | undefined;
  do {
    const page = await ctx.aws.cloudwatch.send(
      new DescribeAlarmHistoryCommand({ AlarmName: name, HistoryItemType: 'StateUpdate', NextToken: token }),
    );
    for (const h of page.AlarmHistoryItems ?? []) {
      let from = '?';
      let to = '?';
      try {
        const data = JSON.parse(h.HistoryData ?? '{}') as {
          oldState?: { stateValue?: string };
          newState?: { stateValue?: string };
        };
        from = data.oldState?.stateValue ?? '?';
        to = data.newState?.stateValue ?? '?';
      } catch {
        // a summary without data: keep the summary
      }
      items.push({ at: h.Timestamp?.getTime() ?? 0, from, to, summary: h.HistorySummary ?? '' });
    }
    token = page.NextToken;
  } while (token);
  return items.sort((a, b) => a.at - b.at);
}

/** Wait until the alarm has changed to `to` at or after `since` (target time); returns its history. */
export async function waitForAlarmChange(
  ctx: Ctx,
  name: string,
  to: AlarmStateValue,
  since: number,
  label: string,
): Promise<AlarmTransition[]> {
  return waitInTargetTime(ctx, {
    label,
    timeoutMs: ALARM_WAIT_TIMEOUT_MS,
    timeoutMessage: `the alarm did not change to ${to} — CloudWatch publishes Step Functions metrics 1–3 minutes late; look again in a few minutes`,
    pollMs: ALARM_POLL_MS,
    status: () => 'the metric arrives 1–3 min late on AWS; the alarm is evaluated each minute',
    probe: async () => {
      const history = await alarmTransitions(ctx, name);
      return history.some((h) => h.to === to && h.at >= since) ? history : undefined;
    },
  });
}

/** The alarm's state changes as a table, times on the target's clock. */
export function transitionTable(title: string, history: AlarmTransition[], time: TargetTime): Table {
  return {
    title,
    note: time.columnNote,
    columns: [time.columnTitle, 'change', 'summary'],
    rows: history.map((h) => [time.clockTime(h.at), `${h.from} → ${h.to}`, h.summary]),
  };
}
