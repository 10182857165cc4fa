/** IAM inline role policies: PutRolePolicy, GetRolePolicy, ListRolePolicies, DeleteRolePolicy. */
import { AwsError } from '../errors.js';
import type { QueryOperation } from '../protocols/awsQuery.js';
import { paginate } from './paging.js';
import { IamParams, IamRules } from './params.js';
import { validatePolicyDocument } from './policyDocument.js';
import type { RoleStore } from './roleStore.js';

const MAX_INLINE_POLICY_BYTES = 10240;

function noSuchPolicy(name: string): AwsError {
  return new AwsError('NoSuchEntity', `The role policy with name ${name} cannot be found.`, 404);
}

export function rolePolicyOperations(roles: RoleStore): Record<string, QueryOperation> {
  return {
    PutRolePolicy(input) {
      const p = new IamParams(input);
      const roleName = p.requiredString('RoleName', IamRules.roleName);
      const policyName = p.requiredString('PolicyName', IamRules.policyName);
      const document = p.requiredString('PolicyDocument', IamRules.policyDocument);
      p.check();
      const role = roles.get(roleName);
      validatePolicyDocument(document, 'identity');
      // IAM counts the aggregate size of a role's inline policies, whitespace excluded.
      const others = Object.entries(role.inlinePolicies)
        .filter(([name]) => name !== policyName)
        .reduce((sum, [, doc]) => sum + doc.replace(/\s/g, '').length, 0);
      if (others + document.replace(/\s/g, '').length > MAX_INLINE_POLICY_BYTES) {
        throw new AwsError(
          'LimitExceeded',
          `Maximum policy size of ${MAX_INLINE_POLICY_BYTES} bytes exceeded for role ${role.roleName}`,
          409,
        );
      }
      role.inlinePolicies[policyName] = document;
      roles.changed();
    },

    GetRolePolicy(input) {
      const p = new IamParams(input);
      const roleName = p.requiredString('RoleName', IamRules.roleName);
      const policyName = p.requiredString('PolicyName', IamRules.policyName);
      p.check();
      const role = roles.get(roleName);
      const document = Object.hasOwn(role.inlinePolicies, policyName)
        ? role.inlinePolicies[policyName]
        : undefined;
      if (document === undefined) throw noSuchPolicy(policyName);
      return {
        RoleName: role.roleName,
        PolicyName: policyName,
        PolicyDocument: encodeURIComponent(document),
      };
    },

    ListRolePolicies(input) {
      const p = new IamParams(input);
      const roleName = p.requiredString('RoleName', IamRules.roleName);
      const marker = p.string('Marker', IamRules.marker);
      const maxItems = p.integer('MaxItems', { min: 1, max: 1000 });
      p.check();
      const role = roles.get(roleName);
      const names = Object.keys(role.inlinePolicies).sort();
      const page = paginate(names, (n) => n, marker, maxItems);
      return { PolicyNames: page.items, IsTruncated: page.isTruncated, Marker: page.marker };
    },

    DeleteRolePolicy(input) {
      const p = new IamParams(input);
      const roleName = p.requiredString('RoleName', IamRules.roleName);
      const policyName = p.requiredString('PolicyName', IamRules.policyName);
      p.check();
      const role = roles.get(roleName);
      if (!Object.hasOwn(role.inlinePolicies, policyName)) throw noSuchPolicy(policyName);
      delete role.inlinePolicies[policyName];
      roles.changed();
    },
  };
}
