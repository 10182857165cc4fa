/**
 * A role IAM has just created is not usable everywhere at once: for some seconds Lambda answers
 * "The role defined for the function cannot be assumed by Lambda" (and Step Functions "not
 * authorized to assume the provided role", or refuses logging the role's new policy allows: "not
 * authorized to access the Log Destination"). That is expected, so the call is retried with backoff
 * for a bounded time, and each wait is reported so the learner sees why nothing seems to happen.
 * Waits are in target time: the sandbox's IAM propagates on its own (scaled) clock.
 */
import { errorMessage, errorName, isRoleNotAssumableYet, isRoleNotUsableYet } from '../awsErrors.js';
import { IamPropagationTimeoutError } from '../errors.js';
import type { ResourceContext } from './context.js';

export const IAM_PROPAGATION_BUDGET_MS = 60_000;
const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 10_000;

export async function retryWhileRolePropagates<T>(
  ctx: Pick<ResourceContext, 'onWait' | 'sleep' | 'countWait' | 'countWaitGaveUp'>,
  roleArn: string,
  what: string,
  call: () => Promise<T>,
  budgetMs = IAM_PROPAGATION_BUDGET_MS,
): Promise<T> {
  let waited = 0;
  let delay = FIRST_DELAY_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!isRoleNotUsableYet(err)) throw err;
      if (waited >= budgetMs) {
        const seconds = Math.round(waited / 1000);
        // A refusal that outlasts propagation may be a permission that is really missing: say AWS's words.
        const refusal = isRoleNotAssumableYet(err) ? undefined : `${errorName(err)}: ${errorMessage(err)}`;
        ctx.countWaitGaveUp?.(
          'iam-propagation',
          `${roleArn} still ${refusal ? 'refused' : 'not assumable'} after ${seconds} s`,
        );
        throw new IamPropagationTimeoutError(roleArn, seconds, refusal);
      }
      if (attempt === 1) ctx.countWait?.('iam-propagation');
      const pause = Math.min(delay, budgetMs - waited);
      const roleName = roleArn.split('/').pop() ?? roleArn;
      ctx.onWait?.(
        `IAM is still propagating role ${roleName}; retrying ${what} in ${(pause / 1000).toFixed(0)} s (retry ${attempt}, waited ${Math.round(waited / 1000)} of at most ${Math.round(budgetMs / 1000)} s)`,
      );
      await ctx.sleep(pause);
      waited += pause;
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
  }
}
