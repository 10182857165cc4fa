/**
 * demo1's alerting, as specs the cloud layer creates and readers the checks use: a CloudWatch alarm
 * on the function's AWS/Lambda Errors, a metric filter turning its ERROR log lines into a custom
 * metric, and the alarm's "CloudWatch Alarm State Change" events routed by an EventBridge rule on the
 * default bus into a CloudWatch Logs group the learner can read back (which needs a Logs resource
 * policy for events.amazonaws.com). No alarm action: the sandbox has no SNS, and on AWS paging is
 * one more flag (shown to the learner); the event in the log group proves the alarm spoke.
 */
import {
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  type AlarmHistoryItem,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import type {
  AlarmSpec,
  LogResourcePolicySpec,
  MetricFilterSpec,
  RuleSpec,
} from '../../src/cloud/resourceTypes.js';
import type { StepContext } from '../../src/course/model.js';
import { readLogLines } from '../shared/logEvents.js';
import type { MetricRef } from '../shared/metrics.js';
import { PARTS } from './names.js';
import { need, type Demo1State } from './state.js';

type Ctx = StepContext<Demo1State>;

/** Custom metrics live in a namespace of their own; the metric is named after this run's filter. */
export const ERROR_LINES_NAMESPACE = 'CourseCli/demo1';
/** Unstructured filter pattern: every log line containing the term ERROR (the runtime's level field). */
export const ERROR_LINES_PATTERN = 'ERROR';
export const ALARM_PERIOD_SECONDS = 60;
export const STATE_CHANGE_DETAIL_TYPE = 'CloudWatch Alarm State Change';

export interface AlertingScope {
  region: string;
  accountId: string;
  functionName: string;
  functionLogGroup: string;
  alarmName: string;
  filterName: string;
  ruleName: string;
  eventsLogGroup: string;
}

export const alarmArnOf = (s: Pick<AlertingScope, 'region' | 'accountId' | 'alarmName'>): string =>
  `arn:aws:cloudwatch:${s.region}:${s.accountId}:alarm:${s.alarmName}`;

export const logGroupArnOf = (s: Pick<AlertingScope, 'region' | 'accountId'>, group: string): string =>
  `arn:aws:logs:${s.region}:${s.accountId}:log-group:${group}`;

export const alarmRuleArnOf = (s: Pick<AlertingScope, 'region' | 'accountId' | 'ruleName'>): string =>
  `arn:aws:events:${s.region}:${s.accountId}:rule/${s.ruleName}`;

/** Errors ≥ 1 in a minute: one failed invocation (or retry attempt) is enough to page. */
export function errorsAlarmSpec(s: AlertingScope): AlarmSpec {
  return {
    part: PARTS.alarm,
    description: `Pages when ${s.functionName} fails: AWS/Lambda Errors Sum >= 1 in a minute.`,
    metric: {
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: { FunctionName: s.functionName },
      stat: 'Sum',
      period: ALARM_PERIOD_SECONDS,
    },
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    // A minute with no invocations has no Errors datapoint: that is "no failure", not "unknown".
    treatMissingData: 'notBreaching',
  };
}

export function errorLinesFilterSpec(s: AlertingScope): MetricFilterSpec {
  return {
    part: PARTS.errorLinesFilter,
    logGroupName: s.functionLogGroup,
    filterPattern: ERROR_LINES_PATTERN,
    metricNamespace: ERROR_LINES_NAMESPACE,
    metricName: s.filterName,
    metricValue: '1',
  };
}

export const errorLinesMetric = (s: Pick<AlertingScope, 'filterName'>): MetricRef => ({
  namespace: ERROR_LINES_NAMESPACE,
  metricName: s.filterName,
  dimensions: {},
});

export function alarmEventPattern(s: AlertingScope): Record<string, unknown> {
  return {
    source: ['aws.cloudwatch'],
    'detail-type': [STATE_CHANGE_DETAIL_TYPE],
    resources: [alarmArnOf(s)],
  };
}

export function alarmRuleSpec(s: AlertingScope): RuleSpec {
  return {
    part: PARTS.alarmRule,
    description: `Copies every state change of ${s.alarmName} into ${s.eventsLogGroup}.`,
    eventPattern: alarmEventPattern(s),
    // No RoleArn: a log group target is authorised by the Logs resource policy, not a role.
    targets: [{ id: 'alarm-events-log-group', arn: logGroupArnOf(s, s.eventsLogGroup) }],
  };
}

/**
 * EventBridge may create streams and put events in this one log group and nowhere else. The two
 * principals are what AWS's EventBridge guide gives for a CloudWatch Logs target.
 */
export function alarmEventsPolicySpec(s: AlertingScope): LogResourcePolicySpec {
  return {
    part: PARTS.alarmEventsPolicy,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'EventBridgeWritesAlarmEvents',
          Effect: 'Allow',
          Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: `${logGroupArnOf(s, s.eventsLogGroup)}:*`,
        },
      ],
    },
  };
}

/** The alarm as DescribeAlarms returns it, or undefined when it does not exist. */
export async function describeAlarm(ctx: Ctx): Promise<MetricAlarm | undefined> {
  const name = need(ctx.state.alarmName, 'the alarm');
  const out = await ctx.aws.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  return out.MetricAlarms?.find((a) => a.AlarmName === name);
}

export interface StateTransition {
  at: number;
  from?: string;
  to?: string;
  /** CloudWatch's reason for the new state ("Threshold Crossed: …"). */
  reason?: string;
  summary: string;
}

/**
 * The change that put the alarm in ALARM for the failures from `since` on: the first change to ALARM
 * at or after it, or — when the alarm was still in ALARM at `since` (a repeated run: REQUIRE_INPUT
 * switched on again while earlier failures keep it there) — the change that put it there.
 */
export function alarmEpisode(history: StateTransition[], since: number): StateTransition | undefined {
  const after = history.find((t) => t.at >= since && t.to === 'ALARM');
  if (after) return after;
  const atSince = history.filter((t) => t.at < since).at(-1);
  return atSince?.to === 'ALARM' ? atSince : undefined;
}

/** The alarm's state changes (since `since`, target ms, if given), oldest first, from DescribeAlarmHistory. */
export async function stateTransitions(ctx: Ctx, since?: number): Promise<StateTransition[]> {
  const name = need(ctx.state.alarmName, 'the alarm');
  const items: AlarmHistoryItem[] = [];
  let token: string | undefined;
  do {
    const out = await ctx.aws.cloudwatch.send(
      new DescribeAlarmHistoryCommand({
        AlarmName: name,
        HistoryItemType: 'StateUpdate',
        StartDate: since === undefined ? undefined : new Date(since),
        ScanBy: 'TimestampAscending',
        NextToken: token,
      }),
    );
    items.push(...(out.AlarmHistoryItems ?? []));
    token = out.NextToken;
  } while (token);
  return items.map((i) => {
    const data = parseObject(i.HistoryData);
    const state = (k: string) => data?.[k] as { stateValue?: string; stateReason?: string } | undefined;
    return {
      at: i.Timestamp?.getTime() ?? 0,
      from: state('oldState')?.stateValue,
      to: state('newState')?.stateValue,
      reason: state('newState')?.stateReason,
      summary: i.HistorySummary ?? '',
    };
  });
}

/** A "CloudWatch Alarm State Change" event as it arrived in the events log group. */
export interface DeliveredAlarmEvent {
  /** When it was written to the log group (target ms). */
  loggedAt: number;
  id?: string;
  time?: string;
  resources: string[];
  detailType?: string;
  alarmName?: string;
  previous?: string;
  state?: string;
  reason?: string;
}

/** The alarm's state-change events delivered to the events log group since `since`. */
export async function deliveredAlarmEvents(ctx: Ctx, since: number): Promise<DeliveredAlarmEvent[]> {
  const group = need(ctx.state.alarmEventsGroup, 'the alarm events log group');
  const lines = await readLogLines(ctx.aws.logs, group, { startTime: since });
  return lines.flatMap((l) => {
    const e = parseObject(l.message);
    if (!e) return [];
    const detail = (e.detail ?? {}) as {
      alarmName?: string;
      state?: { value?: string; reason?: string };
      previousState?: { value?: string };
    };
    return [
      {
        loggedAt: l.timestamp,
        id: typeof e.id === 'string' ? e.id : undefined,
        time: typeof e.time === 'string' ? e.time : undefined,
        resources: Array.isArray(e.resources) ? e.resources.map(String) : [],
        detailType: typeof e['detail-type'] === 'string' ? e['detail-type'] : undefined,
        alarmName: detail.alarmName,
        previous: detail.previousState?.value,
        state: detail.state?.value,
        reason: detail.state?.reason,
      },
    ];
  });
}

function parseObject(text: string | undefined): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text ?? '');
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
