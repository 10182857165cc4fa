/**
 * Which IAM action and resource each Step Functions operation needs: `states:<Operation>` on the
 * state machine or execution the request names, `*` for listings and creation.
 */
import { passRoleRequests } from '../passRole.js';
import type { AccessRequest } from '../contracts.js';

export function statesAccessRequests(operation: string, input: Record<string, unknown>): AccessRequest[] {
  const named = input.executionArn ?? input.stateMachineArn ?? input.resourceArn;
  const resource = typeof named === 'string' && named.startsWith('arn:') ? named : '*';
  const passes =
    operation === 'CreateStateMachine' || operation === 'UpdateStateMachine'
      ? passRoleRequests([input.roleArn])
      : [];
  return [{ action: `states:${operation}`, resource }, ...passes];
}
