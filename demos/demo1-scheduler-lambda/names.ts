/** This run's resource names, all derived from the resource manager so resumes get the same ones. */
import type { ResourceManager } from '../../src/cloud/resourceTypes.js';
import { logGroupNameFor } from './policy.js';

export const PARTS = {
  bucket: 'data',
  role: 'hourly-aggregate-role',
  function: 'hourly-aggregate',
  rule: 'every-minute',
  permissionStatement: 'allow-eventbridge-schedule',
  alarm: 'errors',
  errorLinesFilter: 'error-lines',
  alarmRule: 'alarm-events',
  alarmEventsPolicy: 'alarm-events-to-logs',
} as const;

export const SCHEDULE_EXPRESSION = 'rate(1 minute)';
export const SCHEDULE_PERIOD_MS = 60_000;
export const LOG_RETENTION_DAYS = 1;
export const HANDLER = 'index.handler';
export const RUNTIME = 'nodejs22.x';
export const LAMBDA_SOURCE_DIR = ['demos', 'demo1-scheduler-lambda', 'lambda'] as const;
export const LAMBDA_FILES = ['index.mjs', 'aggregate.mjs'];

export interface Demo1Names {
  bucket: string;
  role: string;
  functionName: string;
  logGroup: string;
  rule: string;
  alarm: string;
  errorLinesFilter: string;
  alarmRule: string;
  /** Where the alarm's state-change events are written: /aws/events/<the alarm rule's name>. */
  alarmEventsGroup: string;
  alarmEventsPolicy: string;
}

export function demo1Names(resources: ResourceManager): Demo1Names {
  const functionName = resources.nameFor('lambda-function', PARTS.function);
  const alarmRule = resources.nameFor('events-rule', PARTS.alarmRule);
  return {
    bucket: resources.nameFor('s3-bucket', PARTS.bucket),
    role: resources.nameFor('iam-role', PARTS.role),
    functionName,
    logGroup: logGroupNameFor(functionName),
    rule: resources.nameFor('events-rule', PARTS.rule),
    alarm: resources.nameFor('alarm', PARTS.alarm),
    errorLinesFilter: resources.nameFor('metric-filter', PARTS.errorLinesFilter),
    alarmRule,
    alarmEventsGroup: `/aws/events/${alarmRule}`,
    alarmEventsPolicy: resources.nameFor('log-resource-policy', PARTS.alarmEventsPolicy),
  };
}
