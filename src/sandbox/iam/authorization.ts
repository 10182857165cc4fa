/** Which IAM action and resource each IAM operation needs: `iam:<Op>` on the role it names, else `*`. */
import type { AccessRequest } from '../contracts.js';
import { SANDBOX_ACCOUNT_ID } from '../credentials.js';

export function iamAccessRequests(operation: string, input: Record<string, unknown>): AccessRequest[] {
  const role = input.RoleName;
  const resource =
    typeof role === 'string' && role !== '' ? `arn:aws:iam::${SANDBOX_ACCOUNT_ID}:role/${role}` : '*';
  return [{ action: `iam:${operation}`, resource }];
}
