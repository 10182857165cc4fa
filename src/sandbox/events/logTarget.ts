/**
 * A CloudWatch Logs log group as a rule target: the event (or what the target's input settings make
 * of it) becomes a log event in a stream named after the event id. As on AWS, EventBridge may write
 * only where a CloudWatch Logs resource policy lets `events.amazonaws.com` create streams and put
 * events in the group (the console adds such a policy; PutTargets does not). An input transformer
 * that produces `{"timestamp": …, "message": …}` sets both; any other payload is the message, at the
 * event's time.
 */
import type { LogResourcePolicies, LogWriter } from '../contracts.js';
import { ACCOUNT_ID } from './model.js';

export type LogDelivery = { ok: true } | { ok: false; reason: string };

/** Region and group name of a log-group target ARN (with or without the trailing `:*`). */
export function logGroupOfTarget(arn: string): { region: string; group: string } | undefined {
  const m = /^arn:aws[\w-]*:logs:([a-z0-9-]+):\d{12}:log-group:([^:]+)(?::\*)?$/.exec(arn);
  return m ? { region: m[1]!, group: m[2]! } : undefined;
}

function logEventOf(
  payload: string,
  eventTimeMs: number,
  transformed: boolean,
): { timestamp: number; message: string } {
  if (transformed) {
    try {
      const v = JSON.parse(payload) as { timestamp?: unknown; message?: unknown };
      if (v && typeof v === 'object' && 'message' in v) {
        const t = typeof v.timestamp === 'number' ? v.timestamp : Date.parse(String(v.timestamp));
        const message = typeof v.message === 'string' ? v.message : JSON.stringify(v.message);
        return { timestamp: Number.isFinite(t) ? t : eventTimeMs, message };
      }
    } catch {
      // Not JSON: the text itself is the message.
    }
  }
  return { timestamp: eventTimeMs, message: payload };
}

export function deliverToLogGroup(
  deps: { logs: LogWriter; logPolicies: LogResourcePolicies },
  target: { arn: string; transformed: boolean },
  event: { id: string; timeMs: number; ruleArn: string },
  payload: string,
): LogDelivery {
  const where = logGroupOfTarget(target.arn);
  if (!where) return { ok: false, reason: `${target.arn} is not a log group ARN` };
  const stream = `arn:aws:logs:${where.region}:${ACCOUNT_ID}:log-group:${where.group}:log-stream:${event.id}`;
  const context = { 'aws:SourceArn': event.ruleArn, 'aws:SourceAccount': ACCOUNT_ID };
  for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) {
    const allowed = deps.logPolicies.permits(
      where.region,
      { service: 'events.amazonaws.com' },
      { action, resource: stream, context },
    );
    if (!allowed) {
      return {
        ok: false,
        reason: `no CloudWatch Logs resource policy allows events.amazonaws.com to perform ${action} on log group ${where.group}`,
      };
    }
  }
  const written = deps.logs.append(where.region, where.group, event.id, [
    logEventOf(payload, event.timeMs, target.transformed),
  ]);
  return written ? { ok: true } : { ok: false, reason: `log group ${where.group} does not exist` };
}
