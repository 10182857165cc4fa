/** CloudWatch metrics have no resource-level permissions: every operation is `cloudwatch:<Op>` on `*`. */
import type { AccessRequest } from '../contracts.js';

export function cloudWatchAccessRequests(operation: string): AccessRequest[] {
  return [{ action: `cloudwatch:${operation}`, resource: '*' }];
}
