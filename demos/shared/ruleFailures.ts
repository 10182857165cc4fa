/**
 * Why a rule's event started no execution, as far as the target says. When EventBridge matches an
 * event but Step Functions refuses its StartExecution (say the rule's role may not start the state
 * machine), AWS tells no API caller why: the reason goes only to a dead-letter queue, if the target
 * has one. What it does publish is the rule's FailedInvocations metric (AWS/Events, per RuleName),
 * so that is what a timeout reads back and explains.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { TargetClock } from '../../src/cloud/types.js';
import { readMetrics, ruleMetric } from './metrics.js';

export interface RuleFailureContext {
  aws: { cloudwatch: CloudWatchClient };
  clock: TargetClock;
}

/** One sentence on the rule's FailedInvocations since `since` (target time), read from CloudWatch. */
export async function ruleFailureReport(
  ctx: RuleFailureContext,
  rule: string,
  since: number,
): Promise<string> {
  const { failed } = await readMetrics(
    ctx.aws.cloudwatch,
    { failed: ruleMetric(rule, 'FailedInvocations') },
    { startTime: since, endTime: ctx.clock.now() },
  );
  if (failed.total > 0) {
    return (
      `CloudWatch AWS/Events FailedInvocations for rule ${rule} since then: ${failed.total} — ` +
      'the rule matched but its target refused or failed the StartExecution call ' +
      '(EventBridge keeps the reason for a dead-letter queue; the usual one is a role that may not ' +
      'states:StartExecution on this state machine)'
    );
  }
  if (failed.points.length === 0) {
    return (
      `CloudWatch has no AWS/Events FailedInvocations for rule ${rule} since then (on AWS they ` +
      'arrive 1–3 minutes late) — is the rule ENABLED and may its role start the state machine? ' +
      'A rule or target changed moments ago can take a short while to take effect: run the same ' +
      'command again to retry'
    );
  }
  return (
    `CloudWatch AWS/Events FailedInvocations for rule ${rule} since then: 0 — no delivery was ` +
    'refused, so no event reached the rule: is the rule ENABLED and its pattern matching?'
  );
}
