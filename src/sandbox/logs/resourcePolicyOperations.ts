/**
 * CloudWatch Logs PutResourcePolicy, DescribeResourcePolicies, DeleteResourcePolicy: account-level
 * policies only. Log-group-scoped policies (`resourceArn`, `expectedRevisionId`, policyScope
 * RESOURCE) are not emulated; a request for one is refused rather than silently treated as account-wide.
 */
import type { OperationHandler } from '../protocols/types.js';
import { invalidParameter, logsValidator } from './inputs.js';
import {
  MAX_POLICY_CHARS,
  type ResourcePolicyStore,
  type StoredResourcePolicy,
} from './resourcePolicyStore.js';

type Input = Record<string, unknown>;

function describe(p: StoredResourcePolicy): Record<string, unknown> {
  return {
    policyName: p.policyName,
    policyDocument: p.policyDocument,
    lastUpdatedTime: p.lastUpdatedTime,
    policyScope: 'ACCOUNT',
  };
}

function refuseResourceScoped(input: Input): void {
  if (input.resourceArn !== undefined && input.resourceArn !== null) {
    throw invalidParameter(
      'The sandbox supports account-level resource policies only; resourceArn (log-group-level policies) is not supported.',
    );
  }
}

/** Opaque paging token: the index of the next policy. */
function offsetOf(token: string | undefined): number {
  if (token === undefined) return 0;
  const m = /^p:(\d{1,4})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!m) throw invalidParameter('The specified nextToken is invalid.');
  return Number(m[1]);
}

export function resourcePolicyOperations(policies: ResourcePolicyStore): Record<string, OperationHandler> {
  return {
    PutResourcePolicy(input: Input, ctx) {
      const v = logsValidator(input);
      const name = v.string('policyName', { min: 1 });
      const document = v.string('policyDocument', { min: 1, max: MAX_POLICY_CHARS });
      v.string('resourceArn');
      v.check();
      refuseResourceScoped(input);
      // The model marks neither member required (one of policyName/resourceArn is); AWS's wording
      // for a missing one is not documented, so this says plainly what is missing.
      if (name === undefined) throw invalidParameter('policyName is required.');
      if (document === undefined) throw invalidParameter('policyDocument is required.');
      try {
        const parsed: unknown = JSON.parse(document);
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
          throw new Error('not an object');
      } catch {
        // Assumed wording: AWS documents only that the document is a JSON string.
        throw invalidParameter('Policy document is not a valid JSON object.');
      }
      return { resourcePolicy: describe(policies.put(ctx.region, name, document)) };
    },

    DescribeResourcePolicies(input: Input, ctx) {
      const v = logsValidator(input);
      const token = v.string('nextToken', { min: 1 });
      const limit = v.number('limit', { min: 1, max: 50, integer: true });
      v.string('resourceArn');
      const scope = v.string('policyScope', { enum: ['ACCOUNT', 'RESOURCE'] });
      v.check();
      refuseResourceScoped(input);
      // Log-group-level policies do not exist here, so that scope is always empty.
      const all = scope === 'RESOURCE' ? [] : policies.list(ctx.region);
      const start = offsetOf(token);
      const size = limit ?? 50;
      const page = all.slice(start, start + size);
      const more = start + size < all.length;
      return {
        resourcePolicies: page.map(describe),
        nextToken: more ? Buffer.from(`p:${start + size}`).toString('base64url') : undefined,
      };
    },

    DeleteResourcePolicy(input: Input, ctx) {
      const v = logsValidator(input);
      const name = v.string('policyName', { min: 1 });
      v.string('resourceArn');
      v.string('expectedRevisionId');
      v.check();
      refuseResourceScoped(input);
      if (name === undefined) throw invalidParameter('policyName is required.');
      policies.delete(ctx.region, name);
      return {};
    },
  };
}
