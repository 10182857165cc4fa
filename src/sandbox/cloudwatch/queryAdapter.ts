/**
 * The AWS CLI v2 of this era (and older SDKs) speak awsQuery to CloudWatch, where every parameter
 * arrives as a string. This adapter gives the JSON operations typed input (numbers, booleans, empty
 * lists) and turns their output's maps into awsQuery map entries, so one set of operations serves both.
 *
 * Types are decided by a member's path (list items take their list's path), not its name alone: a
 * datum's `Value` is a number while a dimension's or a tag's `Value` is a string.
 */
import type { QueryOperation } from '../protocols/awsQuery.js';
import { XmlMap, type QueryValue, type XmlStruct, type XmlValue } from '../protocols/queryXml.js';
import type { OperationHandler } from '../protocols/types.js';

const NUMBERS = new Set([
  'MetricData.Value',
  'MetricData.StatisticValues.SampleCount',
  'MetricData.StatisticValues.Sum',
  'MetricData.StatisticValues.Minimum',
  'MetricData.StatisticValues.Maximum',
  'MetricData.StorageResolution',
  'Period',
  'MaxDatapoints',
  'MaxRecords',
  'EvaluationPeriods',
  'DatapointsToAlarm',
  'Threshold',
  'MetricDataQueries.Period',
  'MetricDataQueries.MetricStat.Period',
  'Metrics.Period',
  'Metrics.MetricStat.Period',
]);
const NUMBER_LISTS = new Set(['MetricData.Values', 'MetricData.Counts']);
const BOOLEANS = new Set(['ActionsEnabled', 'MetricDataQueries.ReturnData', 'Metrics.ReturnData']);
/** Lists, by their last member name: an empty list arrives as a bare `Name=`. */
const LISTS = new Set([
  'MetricData',
  'Dimensions',
  'Statistics',
  'ExtendedStatistics',
  'Values',
  'Counts',
  'MetricDataQueries',
  'AlarmNames',
  'AlarmTypes',
  'OKActions',
  'AlarmActions',
  'InsufficientDataActions',
  'Metrics',
  'Tags',
  'TagKeys',
]);
/** Output members that are maps in the API model. */
const MAPS = new Set(['ExtendedStatistics']);

function toNumber(v: QueryValue): unknown {
  return typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
}

function typed(path: string, name: string, v: QueryValue): unknown {
  if (LISTS.has(name) && v === '') return [];
  if (NUMBERS.has(path)) return toNumber(v);
  if (NUMBER_LISTS.has(path) && Array.isArray(v)) return v.map(toNumber);
  if (BOOLEANS.has(path) && typeof v === 'string') return v === 'true' ? true : v === 'false' ? false : v;
  if (Array.isArray(v)) return v.map((item) => typed(path, '', item));
  if (typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, typed(path === '' ? k : `${path}.${k}`, k, x)]),
    );
  }
  return v;
}

function toXml(key: string, v: unknown): XmlValue {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Date || typeof v !== 'object') return v as XmlValue;
  if (Array.isArray(v)) return v.map((item) => toXml('', item));
  if (MAPS.has(key)) return new XmlMap(Object.entries(v).map(([k, x]) => [k, toXml('', x)]));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toXml(k, x)])) as XmlStruct;
}

export function asQueryOperations(
  operations: Record<string, OperationHandler>,
): Record<string, QueryOperation> {
  return Object.fromEntries(
    Object.entries(operations).map(([name, op]) => [
      name,
      async (input, ctx) => {
        const output = (await op(typed('', '', input), ctx)) as Record<string, unknown> | undefined;
        return toXml('', output ?? {}) as XmlStruct;
      },
    ]),
  );
}
