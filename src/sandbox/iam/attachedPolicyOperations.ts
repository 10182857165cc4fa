/**
 * Managed policy attachments: AttachRolePolicy, DetachRolePolicy, ListAttachedRolePolicies, and
 * ListInstanceProfilesForRole (always empty: the sandbox has no EC2). The sandbox keeps no
 * customer-managed policies, so only AWS-managed policy ARNs can be attached; teardown code that
 * detaches before deleting a role works as against AWS.
 */
import { AwsError } from '../errors.js';
import type { QueryOperation } from '../protocols/awsQuery.js';
import { paginate } from './paging.js';
import { IamParams, IamRules } from './params.js';
import type { RoleStore } from './roleStore.js';

const POLICY_ARN = { min: 20, max: 2048 };
const AWS_MANAGED = /^arn:aws:iam::aws:policy\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,128})$/;

function notAttachable(arn: string): AwsError {
  return new AwsError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`, 404);
}

export function attachedPolicyOperations(roles: RoleStore): Record<string, QueryOperation> {
  return {
    AttachRolePolicy(input) {
      const p = new IamParams(input);
      const roleName = p.requiredString('RoleName', IamRules.roleName);
      const arn = p.requiredString('PolicyArn', POLICY_ARN);
      p.check();
      const role = roles.get(roleName);
      if (!AWS_MANAGED.test(arn)) throw notAttachable(arn);
      const attached = (role.attachedPolicies ??= []);
      if (!attached.includes(arn)) {
        if (attached.length >= 10) {
          throw new AwsError('LimitExceeded', 'Cannot exceed quota for PoliciesPerRole: 10', 409);
        }
        attached.push(arn);
        roles.changed();
      }
    },

    DetachRolePolicy(input) {
      const p = new IamParams(input);
      const roleName = p.requiredString('RoleName', IamRules.roleName);
      const arn = p.requiredString('PolicyArn', POLICY_ARN);
      p.check();
      const role = roles.get(roleName);
      const attached = role.attachedPolicies ?? [];
      if (!attached.includes(arn)) throw new AwsError('NoSuchEntity', `Policy ${arn} was not found.`, 404);
      role.attachedPolicies = attached.filter((a) => a !== arn);
      roles.changed();
    },

    ListAttachedRolePolicies(input) {
      const p = new IamParams(input);
      const roleName = p.requiredString('RoleName', IamRules.roleName);
      const prefix = p.string('PathPrefix', IamRules.pathPrefix) ?? '/';
      const marker = p.string('Marker', IamRules.marker);
      const maxItems = p.integer('MaxItems', { min: 1, max: 1000 });
      p.check();
      const role = roles.get(roleName);
      const matching = (role.attachedPolicies ?? [])
        .map((arn) => {
          const path = arn.slice('arn:aws:iam::aws:policy'.length, arn.lastIndexOf('/') + 1);
          return { arn, path, name: arn.slice(arn.lastIndexOf('/') + 1) };
        })
        .filter((a) => a.path.startsWith(prefix))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      const page = paginate(matching, (a) => a.name, marker, maxItems);
      return {
        AttachedPolicies: page.items.map((a) => ({ PolicyName: a.name, PolicyArn: a.arn })),
        IsTruncated: page.isTruncated,
        Marker: page.marker,
      };
    },

    ListInstanceProfilesForRole(input) {
      const p = new IamParams(input);
      const roleName = p.requiredString('RoleName', IamRules.roleName);
      p.string('Marker', IamRules.marker);
      p.integer('MaxItems', { min: 1, max: 1000 });
      p.check();
      roles.get(roleName);
      return { InstanceProfiles: [], IsTruncated: false };
    },
  };
}
