/**
 * CloudWatch Logs metric filter operations: PutMetricFilter, DescribeMetricFilters,
 * DeleteMetricFilter and TestMetricFilter. Member rules follow the Logs API model; wording marked
 * "assumed" is not documented by AWS.
 */
import { dictionary } from '../dictionary.js';
import { AwsError } from '../errors.js';
import type { OperationHandler } from '../protocols/types.js';
import type { Validator } from '../validate.js';
import { compileFilterPattern } from './filterPattern.js';
import { parseSelector } from './filterJson.js';
import { decodeToken, encodeToken, invalidParameter, LogRules, logsValidator } from './inputs.js';
import type { GroupMeta, LogStore } from './logStore.js';
import {
  MAX_METRIC_FILTERS_PER_GROUP,
  MAX_REGEX_FILTERS_PER_GROUP,
  type MetricFilterRecord,
  type MetricTransformation,
} from './metricFilterModel.js';

type Input = Record<string, unknown>;

const FILTER_NAME = { min: 1, max: 512, pattern: /^[^:*]*$/, patternText: '[^:*]*' };
const METRIC_NAME = { max: 255, pattern: /^[^:*$]*$/, patternText: '[^:*$]*' };
const STANDARD_UNITS = [
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes',
  'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second',
  'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second',
  'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
]; // prettier-ignore
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

function filterNotFound(): AwsError {
  return new AwsError('ResourceNotFoundException', 'The specified metric filter does not exist.', 400);
}

function limitExceeded(message = 'Resource limit exceeded.'): AwsError {
  return new AwsError('LimitExceededException', message, 400);
}

/** A field reference a metric value or dimension may use: `$.json.path` or `$delimitedName`. */
function isFieldSelector(s: string): boolean {
  return parseSelector(s) !== undefined || /^\$[A-Za-z0-9_]+$/.test(s);
}

function readTransformation(raw: unknown, i: number, v: Validator): MetricTransformation {
  const where = `metricTransformations.${i + 1}.member`;
  const t = (raw && typeof raw === 'object' ? raw : {}) as Input;
  const tv = logsValidator(t);
  const metricName = tv.string('metricName', { ...METRIC_NAME, required: true });
  const metricNamespace = tv.string('metricNamespace', { ...METRIC_NAME, required: true });
  const metricValue = tv.string('metricValue', { max: 100, required: true });
  const defaultValue = tv.number('defaultValue');
  const unit = tv.string('unit', { enum: STANDARD_UNITS });
  const dims = tv.object<Record<string, unknown>>('dimensions');
  try {
    tv.check();
  } catch (err) {
    // Report members as the service does, under their place in the list.
    throw new AwsError(
      'InvalidParameterException',
      (err as Error).message.replaceAll("at '", `at '${where}.`),
      400,
    );
  }
  let dimensions: Record<string, string> | undefined;
  if (dims) {
    const entries = Object.entries(dims);
    if (entries.length > 3)
      v.addFailure(dims, `${where}.dimensions`, 'Member must have length less than or equal to 3');
    // Dimension names are the client's (`__proto__` is a fine name): no prototype may swallow them.
    dimensions = dictionary();
    for (const [k, val] of entries) {
      if (typeof val !== 'string' || !isFieldSelector(val))
        throw invalidParameter(
          `Invalid dimension value for ${k}: a dimension value must be a field of the log event ($.field or $field).`,
        ); // assumed wording
      dimensions[k] = val;
    }
  }
  if (!NUMBER.test(metricValue!) && !isFieldSelector(metricValue!))
    throw invalidParameter(
      'Invalid metric value: it must be a number or a field of the log event ($.field or $field).',
    ); // assumed wording
  if (dimensions && Object.keys(dimensions).length > 0 && defaultValue !== undefined)
    throw invalidParameter('A metric transformation with dimensions cannot have a default value.'); // assumed wording
  return {
    metricName: metricName!,
    metricNamespace: metricNamespace!,
    metricValue: metricValue!,
    defaultValue,
    dimensions,
    unit,
  };
}

function describeFilter(group: GroupMeta, f: MetricFilterRecord): Input {
  return {
    filterName: f.filterName,
    filterPattern: f.filterPattern,
    metricTransformations: f.metricTransformations.map((t) => ({
      ...t,
      dimensions: t.dimensions ? { ...t.dimensions } : undefined,
    })),
    creationTime: f.creationTime,
    logGroupName: group.name,
    applyOnTransformedLogs: f.applyOnTransformedLogs,
  };
}

export function metricFilterOperations(logs: LogStore): Record<string, OperationHandler> {
  return {
    PutMetricFilter(input: Input, ctx) {
      const v = logsValidator(input);
      const groupName = v.string('logGroupName', { ...LogRules.groupName, required: true });
      const filterName = v.string('filterName', { ...FILTER_NAME, required: true });
      const filterPattern = v.string('filterPattern', { max: 1024, required: true });
      const raw = v.list('metricTransformations', { required: true, min: 1, max: 1 }) ?? [];
      const onTransformed = v.boolean('applyOnTransformedLogs') ?? false;
      v.check();
      const transformations = raw.map((t, i) => readTransformation(t, i, v));
      v.check();
      const pattern = compileFilterPattern(filterPattern);
      const usesFields = transformations.some(
        (t) => !NUMBER.test(t.metricValue) || Object.keys(t.dimensions ?? {}).length > 0,
      );
      if (usesFields && (pattern.kind === 'terms' || pattern.kind === 'all'))
        // Assumed wording: fields exist only in JSON and space-delimited patterns.
        throw invalidParameter(
          'The metric value or dimensions refer to a field, but the filter pattern extracts no fields.',
        );
      const group = logs.getGroup(ctx.region, groupName!);
      const filters = (group.metricFilters ??= []);
      const existing = filters.findIndex((f) => f.filterName === filterName);
      if (existing < 0 && filters.length >= MAX_METRIC_FILTERS_PER_GROUP) throw limitExceeded();
      const regexFilters = filters.filter((f, i) => i !== existing && /%[^%]+%/.test(f.filterPattern)).length;
      if (pattern.regexCount > 0 && regexFilters >= MAX_REGEX_FILTERS_PER_GROUP) throw limitExceeded();
      const record: MetricFilterRecord = {
        filterName: filterName!,
        filterPattern: filterPattern!,
        metricTransformations: transformations,
        creationTime: existing >= 0 ? filters[existing]!.creationTime : logs.clock.now(),
        applyOnTransformedLogs: onTransformed,
      };
      if (existing >= 0) filters[existing] = record;
      else filters.push(record);
      logs.changed();
      return {};
    },

    DescribeMetricFilters(input: Input, ctx) {
      const v = logsValidator(input);
      const groupName = v.string('logGroupName', LogRules.groupName);
      const prefix = v.string('filterNamePrefix', FILTER_NAME);
      const metricName = v.string('metricName', METRIC_NAME);
      const metricNamespace = v.string('metricNamespace', METRIC_NAME);
      const limit = v.number('limit', { min: 1, max: 50, integer: true }) ?? 50;
      const token = decodeToken(v.string('nextToken', LogRules.nextToken));
      v.check();
      if (prefix !== undefined && groupName === undefined)
        throw invalidParameter('If you specify filterNamePrefix, you must also specify logGroupName.'); // assumed wording
      if ((metricName === undefined) !== (metricNamespace === undefined))
        throw invalidParameter(
          'If you specify metricName, you must also specify metricNamespace, and the other way round.',
        ); // assumed wording
      const groups =
        groupName !== undefined ? [logs.getGroup(ctx.region, groupName)] : logs.listGroups(ctx.region);
      const all = groups.flatMap((g) =>
        [...(g.metricFilters ?? [])]
          .sort((a, b) => (a.filterName < b.filterName ? -1 : a.filterName > b.filterName ? 1 : 0))
          .filter((f) => prefix === undefined || f.filterName.startsWith(prefix))
          .filter(
            (f) =>
              metricName === undefined ||
              f.metricTransformations.some(
                (t) => t.metricName === metricName && t.metricNamespace === metricNamespace,
              ),
          )
          .map((f) => ({ key: `${g.name}\u0000${f.filterName}`, view: describeFilter(g, f) })),
      );
      const rest = token === undefined ? all : all.filter((x) => x.key >= token);
      const page = rest.slice(0, limit);
      const next = rest[limit];
      return { metricFilters: page.map((x) => x.view), nextToken: next ? encodeToken(next.key) : undefined };
    },

    DeleteMetricFilter(input: Input, ctx) {
      const v = logsValidator(input);
      const groupName = v.string('logGroupName', { ...LogRules.groupName, required: true });
      const filterName = v.string('filterName', { ...FILTER_NAME, required: true });
      v.check();
      const group = logs.getGroup(ctx.region, groupName!);
      const filters = group.metricFilters ?? [];
      const i = filters.findIndex((f) => f.filterName === filterName);
      if (i < 0) throw filterNotFound();
      filters.splice(i, 1);
      logs.changed();
      return {};
    },

    TestMetricFilter(input: Input) {
      const v = logsValidator(input);
      const filterPattern = v.string('filterPattern', { max: 1024, required: true });
      const messages = v.list<unknown>('logEventMessages', { required: true, min: 1, max: 50 }) ?? [];
      messages.forEach((m, i) => {
        if (typeof m !== 'string' || m.length < 1)
          v.addFailure(
            m,
            `logEventMessages.${i + 1}.member`,
            'Member must have length greater than or equal to 1',
          );
      });
      v.check();
      const pattern = compileFilterPattern(filterPattern);
      const matches = (messages as string[]).flatMap((eventMessage, eventNumber) => {
        const m = pattern.match(eventMessage);
        return m ? [{ eventNumber, eventMessage, extractedValues: Object.fromEntries(m.extracted) }] : [];
      });
      return { matches };
    },
  };
}
