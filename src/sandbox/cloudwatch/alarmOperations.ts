/**
 * CloudWatch's metric alarm operations: PutMetricAlarm, DescribeAlarms, DescribeAlarmsForMetric,
 * DeleteAlarms, SetAlarmState, DescribeAlarmHistory, Enable/DisableAlarmActions and the tag
 * operations (which in CloudWatch name alarms by ARN). Composite alarms are not modelled: asking for
 * them returns none.
 */
import { AwsError } from '../errors.js';
import type { OperationHandler } from '../protocols/types.js';
import type { SandboxClock } from '../clock.js';
import type { AlarmEngine } from './alarmEngine.js';
import { readAlarmConfig, readAlarmName, readAlarmNames, readTagList, STANDARD_UNITS } from './alarmInput.js';
import { ALARM_STATES, alarmArn, type AlarmRecord, type AlarmStateValue } from './alarmModel.js';
import { MAX_ALARMS_PER_REGION, type AlarmStore } from './alarmStore.js';
import { configurationHistoryData, describeAlarm } from './alarmViews.js';
import { sortDimensions, type Dimension } from './metricStore.js';
import {
  combination,
  dimensions,
  invalidValue,
  list,
  missing,
  namespaceOf,
  num,
  str,
  time,
  type Input,
} from './params.js';

const HISTORY_ITEM_TYPES = [
  'ConfigurationUpdate',
  'StateUpdate',
  'Action',
  'AlarmContributorStateUpdate',
  'AlarmContributorAction',
];

export interface AlarmOperationDeps {
  alarms: AlarmStore;
  engine: AlarmEngine;
  clock: SandboxClock;
}

function alarmNotFound(message: string): AwsError {
  return new AwsError('ResourceNotFound', message, 404);
}

function maxRecords(input: Input, fallback: number): number {
  const n = num(input, 'MaxRecords') ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw invalidValue('The parameter MaxRecords must be between 1 and 100.');
  return n;
}

/** Opaque paging tokens: the position of the next item. */
function startOf(token: string | undefined): number {
  if (token === undefined) return 0;
  const n = Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^a:/, ''));
  if (!Number.isInteger(n) || n < 0 || !Buffer.from(token, 'base64url').toString('utf8').startsWith('a:'))
    throw new AwsError('InvalidNextToken', 'The service returned an invalid next token.', 400);
  return n;
}

const tokenFor = (position: number): string => Buffer.from(`a:${position}`).toString('base64url');

/** The alarm an ARN names, in the caller's account; ResourceNotFoundException otherwise. */
function alarmByArn(deps: AlarmOperationDeps, input: Input, accountId: string): AlarmRecord {
  const arn = str(input, 'ResourceARN', 'ResourceARN', true)!;
  if (arn.length > 1024) throw invalidValue('The parameter ResourceARN must be at most 1024 characters.');
  const m = /^arn:aws[\w-]*:cloudwatch:([a-z0-9-]+):(\d{12}):alarm:(.+)$/.exec(arn);
  if (!m) throw invalidValue(`The value ${arn} for parameter ResourceARN is not a valid ARN.`);
  const found = m[2] === accountId ? deps.alarms.get(m[1]!, m[3]!) : undefined;
  if (!found) {
    throw new AwsError('ResourceNotFoundException', `The specified resource ${arn} does not exist.`, 404, {
      ResourceType: 'alarm',
      ResourceId: arn,
    });
  }
  return found;
}

function stateValue(input: Input, required: boolean): AlarmStateValue | undefined {
  const v = str(input, 'StateValue', 'StateValue', required);
  if (v !== undefined && !(ALARM_STATES as readonly string[]).includes(v)) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${v}' at 'stateValue' failed to satisfy constraint: Member must satisfy enum value set: [${ALARM_STATES.join(', ')}]`,
      400,
    );
  }
  return v as AlarmStateValue | undefined;
}

function sameDimensions(a: Dimension[], b: Dimension[]): boolean {
  const x = sortDimensions(a);
  const y = sortDimensions(b);
  return x.length === y.length && x.every((d, i) => d.Name === y[i]!.Name && d.Value === y[i]!.Value);
}

export function alarmOperations(deps: AlarmOperationDeps): Record<string, OperationHandler> {
  const { alarms, engine, clock } = deps;

  const recordConfigChange = (kind: 'Create' | 'Update' | 'Delete', a: AlarmRecord, at: number): void => {
    const verb = { Create: 'created', Update: 'updated', Delete: 'deleted' }[kind];
    alarms.addHistory({
      region: a.region,
      alarmName: a.config.name,
      type: 'ConfigurationUpdate',
      timestamp: at,
      summary: `Alarm "${a.config.name}" ${verb}`,
      data: configurationHistoryData(kind, a),
    });
  };

  const setActionsEnabled = (input: Input, enabled: boolean, region: string): Record<string, never> => {
    const now = clock.now();
    for (const name of readAlarmNames(input, 'AlarmNames', true)!) {
      const a = alarms.get(region, name);
      if (!a || a.config.actionsEnabled === enabled) continue;
      a.config.actionsEnabled = enabled;
      a.configUpdatedAt = now;
      alarms.changed();
      recordConfigChange('Update', a, now);
    }
    return {};
  };

  return {
    PutMetricAlarm(input: Input, ctx) {
      const config = readAlarmConfig(input);
      const now = clock.now();
      const existing = alarms.get(ctx.region, config.name);
      if (existing) {
        // An update keeps the state and tags (Tags are ignored on update, as documented).
        existing.config = config;
        existing.configUpdatedAt = now;
        alarms.changed();
        recordConfigChange('Update', existing, now);
        engine.reevaluateSoon(existing.arn);
        return {};
      }
      const tags = readTagList(input, 'Tags');
      if (alarms.count(ctx.region) >= MAX_ALARMS_PER_REGION)
        throw new AwsError(
          'LimitExceededFault',
          'The quota for alarms for this customer has already been reached.',
          400,
        );
      const record: AlarmRecord = {
        region: ctx.region,
        arn: alarmArn(ctx.region, ctx.accountId, config.name),
        config,
        configUpdatedAt: now,
        state: { value: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation', updatedAt: now },
        tags,
      };
      alarms.put(record);
      recordConfigChange('Create', record, now);
      engine.reevaluateSoon(record.arn);
      return {};
    },

    DescribeAlarms(input: Input, ctx) {
      const names = readAlarmNames(input, 'AlarmNames', false);
      const prefix = str(input, 'AlarmNamePrefix');
      if (prefix !== undefined && (prefix.length < 1 || prefix.length > 255))
        throw invalidValue('The parameter AlarmNamePrefix must be 1 to 255 characters.');
      if (names !== undefined && names.length > 0 && prefix !== undefined)
        throw combination('The parameters AlarmNames and AlarmNamePrefix are mutually exclusive.');
      const types = (list(input, 'AlarmTypes') ?? ['MetricAlarm']).map(String);
      for (const t of types)
        if (t !== 'MetricAlarm' && t !== 'CompositeAlarm')
          throw invalidValue(`The value ${t} for parameter AlarmTypes is invalid.`);
      const state = stateValue(input, false);
      const actionPrefix = str(input, 'ActionPrefix');
      const children = str(input, 'ChildrenOfAlarmName');
      const parents = str(input, 'ParentsOfAlarmName');
      const limit = maxRecords(input, 50);
      const start = startOf(str(input, 'NextToken'));
      // Only composite alarms have children or parents, and the sandbox has none.
      const wanted = types.includes('MetricAlarm') && children === undefined && parents === undefined;
      const matching = wanted
        ? alarms
            .list(ctx.region)
            .filter((a) => names === undefined || names.length === 0 || names.includes(a.config.name))
            .filter((a) => prefix === undefined || a.config.name.startsWith(prefix))
            .filter((a) => state === undefined || a.state.value === state)
            .filter(
              (a) =>
                actionPrefix === undefined ||
                [...a.config.okActions, ...a.config.alarmActions, ...a.config.insufficientDataActions].some(
                  (x) => x.startsWith(actionPrefix),
                ),
            )
        : [];
      const page = matching.slice(start, start + limit);
      return {
        MetricAlarms: page.map(describeAlarm),
        CompositeAlarms: [],
        NextToken: start + limit < matching.length ? tokenFor(start + limit) : undefined,
      };
    },

    DescribeAlarmsForMetric(input: Input, ctx) {
      const namespace = namespaceOf(input, true)!;
      const metricName = str(input, 'MetricName', 'MetricName', true)!;
      const statistic = str(input, 'Statistic');
      const extended = str(input, 'ExtendedStatistic');
      const dims = dimensions(list(input, 'Dimensions'), 'Dimensions', true) as Dimension[];
      const period = num(input, 'Period');
      const unit = str(input, 'Unit');
      if (unit !== undefined && !(STANDARD_UNITS as readonly string[]).includes(unit))
        throw invalidValue(`The parameter Unit must be one of: ${STANDARD_UNITS.join(', ')}.`);
      const matches = (
        ns?: string,
        name?: string,
        d?: Dimension[],
        stat?: string,
        p?: number,
        u?: string,
      ): boolean =>
        ns === namespace &&
        name === metricName &&
        sameDimensions(d ?? [], dims) &&
        (statistic === undefined || stat === statistic) &&
        (extended === undefined || stat === extended) &&
        (period === undefined || p === period) &&
        (unit === undefined || u === unit);
      const found = alarms.list(ctx.region).filter((a) => {
        const c = a.config;
        if (!c.metrics)
          return matches(
            c.namespace,
            c.metricName,
            c.dimensions,
            c.statistic ?? c.extendedStatistic,
            c.period,
            c.unit,
          );
        return c.metrics.some(
          (q) =>
            q.metricStat &&
            matches(
              q.metricStat.namespace,
              q.metricStat.metricName,
              q.metricStat.dimensions,
              q.metricStat.stat,
              q.metricStat.period,
              q.metricStat.unit,
            ),
        );
      });
      return { MetricAlarms: found.map(describeAlarm) };
    },

    DeleteAlarms(input: Input, ctx) {
      const names = readAlarmNames(input, 'AlarmNames', true)!;
      if (names.length === 0) throw missing('AlarmNames');
      // All or nothing, as documented: one unknown name and no alarm is deleted.
      const unknown = names.filter((n) => !alarms.get(ctx.region, n));
      if (unknown.length > 0)
        // Assumed wording: AWS answers ResourceNotFound without documenting the message.
        throw alarmNotFound(
          `${unknown.length} of the alarms in the request were not found: ${unknown.join(', ')}`,
        );
      const now = clock.now();
      for (const name of new Set(names)) {
        const a = alarms.get(ctx.region, name)!;
        alarms.delete(ctx.region, name);
        engine.forget(a.arn);
        recordConfigChange('Delete', a, now);
      }
      return {};
    },

    SetAlarmState(input: Input, ctx) {
      const name = readAlarmName(input);
      const value = stateValue(input, true)!;
      const reason = str(input, 'StateReason', 'StateReason', true)!;
      if (reason.length > 1023)
        throw invalidValue('The parameter StateReason must be at most 1023 characters.');
      const reasonData = str(input, 'StateReasonData');
      if (reasonData !== undefined) {
        if (reasonData.length > 4000)
          throw invalidValue('The parameter StateReasonData must be at most 4000 characters.');
        try {
          JSON.parse(reasonData);
        } catch {
          throw new AwsError('InvalidFormatFault', 'The parameter StateReasonData is not valid JSON.', 400);
        }
      }
      const a = alarms.get(ctx.region, name);
      if (!a) throw alarmNotFound(`Alarm ${name} not found`);
      const now = clock.now();
      if (a.state.value === value) {
        a.state = { value, reason, reasonData, updatedAt: now };
        alarms.changed();
      } else {
        engine.changeState(a, { value, reason, reasonData, updatedAt: now });
      }
      // The alarm returns to its actual state at its next evaluation, as on AWS.
      engine.reevaluateSoon(a.arn);
      return {};
    },

    DescribeAlarmHistory(input: Input, ctx) {
      const name = input.AlarmName === undefined ? undefined : readAlarmName(input);
      const types = (list(input, 'AlarmTypes') ?? ['MetricAlarm']).map(String);
      const itemType = str(input, 'HistoryItemType');
      if (itemType !== undefined && !HISTORY_ITEM_TYPES.includes(itemType))
        throw invalidValue(`The value ${itemType} for parameter HistoryItemType is invalid.`);
      const startDate = time(input, 'StartDate');
      const endDate = time(input, 'EndDate');
      const scanBy = str(input, 'ScanBy') ?? 'TimestampDescending';
      if (!['TimestampDescending', 'TimestampAscending'].includes(scanBy))
        throw invalidValue('The parameter ScanBy is invalid.');
      const limit = maxRecords(input, 100);
      const start = startOf(str(input, 'NextToken'));
      const items = types.includes('MetricAlarm')
        ? alarms
            .history(ctx.region)
            .filter((h) => name === undefined || h.alarmName === name)
            .filter((h) => itemType === undefined || h.type === itemType)
            .filter(
              (h) =>
                (startDate === undefined || h.timestamp >= startDate) &&
                (endDate === undefined || h.timestamp <= endDate),
            )
        : [];
      if (scanBy === 'TimestampAscending') items.reverse();
      const page = items.slice(start, start + limit);
      return {
        AlarmHistoryItems: page.map((h) => ({
          AlarmName: h.alarmName,
          AlarmType: 'MetricAlarm',
          Timestamp: new Date(h.timestamp),
          HistoryItemType: h.type,
          HistorySummary: h.summary,
          HistoryData: h.data,
        })),
        NextToken: start + limit < items.length ? tokenFor(start + limit) : undefined,
      };
    },

    EnableAlarmActions(input: Input, ctx) {
      return setActionsEnabled(input, true, ctx.region);
    },

    DisableAlarmActions(input: Input, ctx) {
      return setActionsEnabled(input, false, ctx.region);
    },

    TagResource(input: Input, ctx) {
      const a = alarmByArn(deps, input, ctx.accountId);
      const tags = readTagList(input, 'Tags');
      if (tags.length === 0) throw missing('Tags');
      const merged = new Map(a.tags.map((t) => [t.Key, t.Value]));
      for (const t of tags) merged.set(t.Key, t.Value);
      if (merged.size > 50) throw invalidValue('A resource can have at most 50 tags.');
      a.tags = [...merged].map(([Key, Value]) => ({ Key, Value }));
      alarms.changed();
      return {};
    },

    UntagResource(input: Input, ctx) {
      const a = alarmByArn(deps, input, ctx.accountId);
      const keys = list(input, 'TagKeys');
      if (keys === undefined) throw missing('TagKeys');
      a.tags = a.tags.filter((t) => !keys.includes(t.Key));
      alarms.changed();
      return {};
    },

    ListTagsForResource(input: Input, ctx) {
      const a = alarmByArn(deps, input, ctx.accountId);
      return { Tags: a.tags.map((t) => ({ ...t })) };
    },
  };
}
