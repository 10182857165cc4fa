/**
 * IAM role operations: CreateRole, GetRole, ListRoles, DeleteRole, and role tagging.
 * Policy documents go back URL-encoded, as IAM returns them.
 */
import { AwsError } from '../errors.js';
import type { QueryOperation } from '../protocols/awsQuery.js';
import type { XmlStruct } from '../protocols/queryXml.js';
import type { SandboxClock } from '../clock.js';
import { paginate } from './paging.js';
import { IamParams, IamRules, type Tag } from './params.js';
import { validatePolicyDocument } from './policyDocument.js';
import { newRoleId, roleArn, type RoleStore, type StoredRole } from './roleStore.js';
import { dictionary } from '../dictionary.js';

const MAX_TAGS = 50;

function roleXml(role: StoredRole, withTags: boolean): XmlStruct {
  return {
    Path: role.path,
    RoleName: role.roleName,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: new Date(role.createDate),
    AssumeRolePolicyDocument: encodeURIComponent(role.assumeRolePolicyDocument),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    Tags:
      withTags && role.tags.length > 0 ? role.tags.map((t) => ({ Key: t.Key, Value: t.Value })) : undefined,
  };
}

function checkNoDuplicateKeys(tags: Tag[]): void {
  const seen = new Set<string>();
  for (const t of tags) {
    const k = t.Key.toLowerCase();
    if (seen.has(k)) {
      throw new AwsError(
        'InvalidInput',
        'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
        400,
      );
    }
    seen.add(k);
  }
}

/** Merge tags into a role's, replacing same-named keys (case-insensitively), within IAM's limit. */
function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const merged = [...existing];
  for (const t of added) {
    const i = merged.findIndex((m) => m.Key.toLowerCase() === t.Key.toLowerCase());
    if (i >= 0) merged[i] = t;
    else merged.push(t);
  }
  if (merged.length > MAX_TAGS) {
    throw new AwsError('LimitExceeded', `Cannot exceed quota for TagsPerRole: ${MAX_TAGS}.`, 409);
  }
  return merged;
}

export function roleOperations(roles: RoleStore, clock: SandboxClock): Record<string, QueryOperation> {
  return {
    CreateRole(input) {
      const p = new IamParams(input);
      const roleName = p.requiredString('RoleName', IamRules.roleName);
      const path = p.string('Path', IamRules.path) ?? '/';
      const document = p.requiredString('AssumeRolePolicyDocument', IamRules.policyDocument);
      const description = p.string('Description', IamRules.description);
      const maxSessionDuration = p.integer('MaxSessionDuration', { min: 3600, max: 43200 }) ?? 3600;
      const tags = p.tags('Tags') ?? [];
      if (tags.length > MAX_TAGS) {
        p.check();
        throw new AwsError('LimitExceeded', `Cannot exceed quota for TagsPerRole: ${MAX_TAGS}.`, 409);
      }
      p.check();
      checkNoDuplicateKeys(tags);
      validatePolicyDocument(document, 'trust');
      const role: StoredRole = {
        roleName,
        roleId: newRoleId(),
        arn: roleArn(path, roleName),
        path,
        assumeRolePolicyDocument: document,
        createDate: new Date(clock.now()).toISOString(),
        inlinePolicies: dictionary(),
        tags,
        description,
        maxSessionDuration,
      };
      roles.add(role);
      return { Role: roleXml(role, true) };
    },

    GetRole(input) {
      const p = new IamParams(input);
      const roleName = p.requiredString('RoleName', IamRules.roleName);
      p.check();
      const role = roles.get(roleName);
      return { Role: { ...roleXml(role, true), RoleLastUsed: {} } };
    },

    ListRoles(input) {
      const p = new IamParams(input);
      const prefix = p.string('PathPrefix', IamRules.pathPrefix) ?? '/';
      const marker = p.string('Marker', IamRules.marker);
      const maxItems = p.integer('MaxItems', { min: 1, max: 1000 });
      p.check();
      const matching = roles.list().filter((r) => r.path.startsWith(prefix));
      const page = paginate(matching, (r) => r.roleName.toLowerCase(), marker, maxItems);
      return {
        Roles: page.items.map((r) => roleXml(r, false)),
        IsTruncated: page.isTruncated,
        Marker: page.marker,
      };
    },

    DeleteRole(input) {
      const p = new IamParams(input);
      const roleName = p.requiredString('RoleName', IamRules.roleName);
      p.check();
      const role = roles.get(roleName);
      if (Object.keys(role.inlinePolicies).length > 0) {
        throw new AwsError('DeleteConflict', 'Cannot delete entity, must delete policies first.', 409);
      }
      if ((role.attachedPolicies ?? []).length > 0) {
        throw new AwsError('DeleteConflict', 'Cannot delete entity, must detach all policies first.', 409);
      }
      roles.remove(roleName);
    },

    UpdateRole(input) {
      const p = new IamParams(input);
      const roleName = p.requiredString('RoleName', IamRules.roleName);
      const description = p.string('Description', IamRules.description);
      const maxSessionDuration = p.integer('MaxSessionDuration', { min: 3600, max: 43200 });
      p.check();
      const role = roles.get(roleName);
      if (description !== undefined) role.description = description;
      if (maxSessionDuration !== undefined) role.maxSessionDuration = maxSessionDuration;
      roles.changed();
      return {};
    },

    UpdateAssumeRolePolicy(input) {
      const p = new IamParams(input);
      const roleName = p.requiredString('RoleName', IamRules.roleName);
      const document = p.requiredString('PolicyDocument', IamRules.policyDocument);
      p.check();
      const role = roles.get(roleName);
      validatePolicyDocument(document, 'trust');
      role.assumeRolePolicyDocument = document;
      roles.changed();
    },

    TagRole(input) {
      const p = new IamParams(input);
      const roleName = p.requiredString('RoleName', IamRules.roleName);
      const tags = p.tags('Tags', true) ?? [];
      p.check();
      checkNoDuplicateKeys(tags);
      const role = roles.get(roleName);
      role.tags = mergeTags(role.tags, tags);
      roles.changed();
    },

    UntagRole(input) {
      const p = new IamParams(input);
      const roleName = p.requiredString('RoleName', IamRules.roleName);
      const keys = p.stringList('TagKeys', true) ?? [];
      p.check();
      const role = roles.get(roleName);
      const drop = new Set(keys.map((k) => k.toLowerCase()));
      role.tags = role.tags.filter((t) => !drop.has(t.Key.toLowerCase()));
      roles.changed();
    },

    ListRoleTags(input) {
      const p = new IamParams(input);
      const roleName = p.requiredString('RoleName', IamRules.roleName);
      const marker = p.string('Marker', IamRules.marker);
      const maxItems = p.integer('MaxItems', { min: 1, max: 1000 });
      p.check();
      const role = roles.get(roleName);
      const page = paginate(
        role.tags.map((t, i) => ({ t, key: String(i).padStart(4, '0') })),
        (x) => x.key,
        marker,
        maxItems,
      );
      return {
        Tags: page.items.map(({ t }) => ({ Key: t.Key, Value: t.Value })),
        IsTruncated: page.isTruncated,
        Marker: page.marker,
      };
    },
  };
}
