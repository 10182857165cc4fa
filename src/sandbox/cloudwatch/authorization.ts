/**
 * CloudWatch metrics have no resource-level permissions: every operation is `cloudwatch:<Op>` on `*`.
 * PutMetricData carries the `cloudwatch:namespace` condition key, so a policy can limit a role to
 * publishing in its own namespace (the usual way to scope metric publishing).
 */
import type { AccessRequest } from '../contracts.js';

export function cloudWatchAccessRequests(
  operation: string,
  input: Record<string, unknown> = {},
): AccessRequest[] {
  const request: AccessRequest = { action: `cloudwatch:${operation}`, resource: '*' };
  if (operation === 'PutMetricData' && typeof input.Namespace === 'string') {
    request.context = { 'cloudwatch:namespace': input.Namespace };
  }
  return [request];
}
