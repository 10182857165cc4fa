/**
 * Which IAM action and resource each EventBridge operation needs: PutEvents on each event bus its
 * entries name; rule operations on the rule's ARN; bus operations on the bus; `*` otherwise.
 */
import { passRoleRequests } from '../passRole.js';
import type { AccessRequest } from '../contracts.js';
import type { OperationContext } from '../protocols/types.js';

function busArn(ctx: OperationContext, nameOrArn: unknown): string {
  if (typeof nameOrArn === 'string' && nameOrArn.startsWith('arn:')) return nameOrArn;
  const name = typeof nameOrArn === 'string' && nameOrArn !== '' ? nameOrArn : 'default';
  return `arn:aws:events:${ctx.region}:${ctx.accountId}:event-bus/${name}`;
}

function ruleArn(ctx: OperationContext, rule: string, bus: unknown): string {
  const prefix = typeof bus === 'string' && bus !== '' && bus !== 'default' ? `${bus.split('/').pop()}/` : '';
  return `arn:aws:events:${ctx.region}:${ctx.accountId}:rule/${prefix}${rule}`;
}

export function eventsAccessRequests(
  operation: string,
  input: Record<string, unknown>,
  ctx: OperationContext,
): AccessRequest[] {
  const own = operationRequests(operation, input, ctx);
  if (operation !== 'PutTargets' && operation !== 'PutRule') return own;
  // A rule's role and each target's role are handed to EventBridge: the caller must pass them.
  const targets = Array.isArray(input.Targets) ? (input.Targets as Array<Record<string, unknown>>) : [];
  return [...own, ...passRoleRequests([input.RoleArn, ...targets.map((t) => t?.RoleArn)])];
}

function operationRequests(
  operation: string,
  input: Record<string, unknown>,
  ctx: OperationContext,
): AccessRequest[] {
  const action = `events:${operation}`;
  if (operation === 'PutEvents') {
    const entries = Array.isArray(input.Entries) ? (input.Entries as Array<Record<string, unknown>>) : [];
    const buses = new Set(entries.map((e) => busArn(ctx, e?.EventBusName)));
    if (buses.size === 0) buses.add(busArn(ctx, undefined));
    return [...buses].map((resource) => ({ action, resource }));
  }
  const rule =
    input.Rule ?? (operation.endsWith('Rule') || operation === 'DescribeRule' ? input.Name : undefined);
  if (typeof rule === 'string') return [{ action, resource: ruleArn(ctx, rule, input.EventBusName) }];
  if (operation.endsWith('EventBus') && input.Name !== undefined) {
    return [{ action, resource: busArn(ctx, input.Name) }];
  }
  if (typeof input.ResourceARN === 'string') return [{ action, resource: input.ResourceARN }];
  return [{ action, resource: '*' }];
}
