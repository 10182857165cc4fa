/**
 * CloudWatch Logs resource policies, read back. One matters in particular: the account's policy
 * that vended-log delivery uses. When a state machine's logging is set up, CloudWatch Logs lets
 * `delivery.logs.amazonaws.com` write to the log group by adding it to this policy (for
 * `/aws/vendedlogs/` groups, one shared `/aws/vendedlogs/*` entry). It is AWS's and shared by every
 * vended log delivery in the region, so the demo shows it but never deletes it.
 */
import { DescribeResourcePoliciesCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { StepContext } from '../../src/course/model.js';

export const LOG_DELIVERY_POLICY = 'AWSLogDeliveryWrite20150319';

/** A CloudWatch Logs resource policy's document (text), or undefined when there is none by that name. */
export async function readLogResourcePolicy(
  ctx: StepContext<unknown>,
  name: string,
): Promise<string | undefined> {
  let token: string | undefined;
  do {
    const page = await ctx.aws.logs.send(new DescribeResourcePoliciesCommand({ nextToken: token }));
    const found = (page.resourcePolicies ?? []).find((p) => p.policyName === name);
    if (found) return found.policyDocument ?? '';
    token = page.nextToken;
  } while (token);
  return undefined;
}

/** The log-group resources the policy lets log delivery write to; undefined when there is no such policy. */
export async function logDeliveryResources(ctx: StepContext<unknown>): Promise<string[] | undefined> {
  const text = await readLogResourcePolicy(ctx, LOG_DELIVERY_POLICY);
  if (text === undefined) return undefined;
  try {
    const doc = JSON.parse(text) as { Statement?: Array<{ Resource?: string | string[] }> };
    return (doc.Statement ?? []).flatMap((s) => [s.Resource ?? []].flat());
  } catch {
    return [];
  }
}
