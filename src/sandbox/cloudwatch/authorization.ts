/**
 * Which IAM action and resource each CloudWatch operation needs. Metric operations have no
 * resource-level permissions (`*`); alarm operations name the alarms they act on
 * (`arn:aws:cloudwatch:<region>:<account>:alarm:<name>`), and the tag operations their ResourceARN.
 * PutMetricData carries the `cloudwatch:namespace` condition key, so a policy can limit a role to
 * publishing in its own namespace (the usual way to scope metric publishing).
 */
import type { AccessRequest } from '../contracts.js';
import type { OperationContext } from '../protocols/types.js';
import { alarmArn } from './alarmModel.js';

const BY_ALARM_NAME = new Set(['PutMetricAlarm', 'SetAlarmState', 'DescribeAlarmHistory']);
const BY_ALARM_NAMES = new Set(['DeleteAlarms', 'EnableAlarmActions', 'DisableAlarmActions']);
const BY_RESOURCE_ARN = new Set(['TagResource', 'UntagResource', 'ListTagsForResource']);

export function cloudWatchAccessRequests(
  operation: string,
  input: Record<string, unknown> = {},
  ctx?: Pick<OperationContext, 'region' | 'accountId'>,
): AccessRequest[] {
  const action = `cloudwatch:${operation}`;
  const arn = (name: unknown): string | undefined =>
    ctx && typeof name === 'string' && name !== '' ? alarmArn(ctx.region, ctx.accountId, name) : undefined;
  if (BY_ALARM_NAME.has(operation)) {
    const resource = arn(input.AlarmName);
    if (resource) return [{ action, resource }];
  }
  if (BY_ALARM_NAMES.has(operation) && Array.isArray(input.AlarmNames)) {
    const resources = input.AlarmNames.map(arn).filter((r): r is string => r !== undefined);
    if (resources.length > 0) return resources.map((resource) => ({ action, resource }));
  }
  if (BY_RESOURCE_ARN.has(operation) && typeof input.ResourceARN === 'string' && input.ResourceARN !== '') {
    return [{ action, resource: input.ResourceARN }];
  }
  if (operation === 'PutMetricData' && typeof input.Namespace === 'string') {
    return [{ action, resource: '*', context: { 'cloudwatch:namespace': input.Namespace } }];
  }
  return [{ action, resource: '*' }];
}
