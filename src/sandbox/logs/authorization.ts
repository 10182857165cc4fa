/**
 * Which IAM action and resource each CloudWatch Logs operation needs, as AWS evaluates them:
 * operations on a stream's events name the stream (`…:log-group:G:log-stream:S`), other group
 * operations the group as `…:log-group:G:*`, and listings `…:log-group:*`. A policy scoped to
 * `log-group:G:*` therefore covers all of them, one scoped to `log-group:G` (no suffix) does not.
 */
import type { AccessRequest } from '../contracts.js';
import type { OperationContext } from '../protocols/types.js';

const STREAM_LEVEL = new Set(['CreateLogStream', 'PutLogEvents', 'GetLogEvents', 'DeleteLogStream']);

export function logGroupArn(region: string, accountId: string, group: string): string {
  return `arn:aws:logs:${region}:${accountId}:log-group:${group}:*`;
}

export function logStreamArn(region: string, accountId: string, group: string, stream: string): string {
  return `arn:aws:logs:${region}:${accountId}:log-group:${group}:log-stream:${stream}`;
}

function groupOf(input: Record<string, unknown>): string | undefined {
  const g = input.logGroupName ?? input.logGroupIdentifier;
  if (typeof g !== 'string' || g === '') return undefined;
  // logGroupIdentifier may be an ARN.
  const m = /^arn:aws[a-z-]*:logs:[^:]*:\d+:log-group:([^:]+)/.exec(g);
  return m ? m[1] : g;
}

export function logsAccessRequests(
  operation: string,
  input: Record<string, unknown>,
  ctx: OperationContext,
): AccessRequest[] {
  const action = `logs:${operation}`;
  const group = groupOf(input);
  if (!group) return [{ action, resource: `arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:*` }];
  const stream = input.logStreamName;
  if (STREAM_LEVEL.has(operation) && typeof stream === 'string') {
    return [{ action, resource: logStreamArn(ctx.region, ctx.accountId, group, stream) }];
  }
  return [{ action, resource: logGroupArn(ctx.region, ctx.accountId, group) }];
}
