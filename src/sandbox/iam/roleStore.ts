/**
 * The account's IAM roles, persisted. IAM is global (not per region) and role names are unique
 * regardless of case, so roles are keyed by lower-cased name.
 */
import { randomBytes } from 'node:crypto';
import type { IamDirectory, RoleRecord } from '../contracts.js';
import { SANDBOX_ACCOUNT_ID } from '../credentials.js';
import { AwsError } from '../errors.js';
import type { PersistedDoc, StateStore } from '../store.js';
import { trustPolicyAllowsService } from './policyDocument.js';
import { dictionary } from '../dictionary.js';

export interface StoredRole extends RoleRecord {
  description?: string;
  maxSessionDuration: number;
  /** ARNs of attached managed policies (absent in state written before attachments existed). */
  attachedPolicies?: string[];
}

interface RolesState {
  roles: Record<string, StoredRole>;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A unique id in IAM's shape: `AROA` and 17 upper-case base32 characters. */
export function newRoleId(): string {
  let id = 'AROA';
  for (const b of randomBytes(17)) id += ID_ALPHABET[b % ID_ALPHABET.length];
  return id;
}

export function roleArn(path: string, name: string): string {
  return `arn:aws:iam::${SANDBOX_ACCOUNT_ID}:role${path}${name}`;
}

export function noSuchRole(name: string): AwsError {
  return new AwsError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);
}

export class RoleStore implements Pick<IamDirectory, 'findRoleByArn' | 'roleTrustsService'> {
  private readonly doc: PersistedDoc<RolesState>;
  private readonly listeners: Array<() => void> = [];

  constructor(store: StateStore) {
    this.doc = store.doc<RolesState>('iam/roles.json', () => ({ roles: dictionary() }));
    // Role and policy names are the client's: no prototype may answer for them.
    this.doc.data.roles = dictionary(this.doc.data.roles);
    for (const role of Object.values(this.doc.data.roles))
      role.inlinePolicies = dictionary(role.inlinePolicies);
  }

  find(name: string): StoredRole | undefined {
    return this.doc.data.roles[name.toLowerCase()];
  }

  /** The role, or IAM's NoSuchEntity. */
  get(name: string): StoredRole {
    const role = this.find(name);
    if (!role) throw noSuchRole(name);
    return role;
  }

  add(role: StoredRole): void {
    if (this.find(role.roleName)) {
      throw new AwsError('EntityAlreadyExists', `Role with name ${role.roleName} already exists.`, 409);
    }
    this.doc.data.roles[role.roleName.toLowerCase()] = role;
    this.changed();
  }

  remove(name: string): void {
    delete this.doc.data.roles[name.toLowerCase()];
    this.changed();
  }

  /** Call after mutating a role in place. */
  changed(): void {
    this.doc.changed();
    for (const listener of this.listeners) listener();
  }

  /** Be told after every change to any role (IAM propagation keeps its history so). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** All roles, in IAM's listing order (by name). */
  list(): StoredRole[] {
    return Object.values(this.doc.data.roles).sort((a, b) =>
      a.roleName.toLowerCase() < b.roleName.toLowerCase() ? -1 : 1,
    );
  }

  findRoleByArn(arn: string): StoredRole | undefined {
    const name = arn.slice(arn.lastIndexOf('/') + 1);
    const role = this.find(name);
    return role && role.arn === arn ? role : undefined;
  }

  roleTrustsService(arn: string, servicePrincipal: string): boolean {
    const role = this.findRoleByArn(arn);
    return role ? trustPolicyAllowsService(role.assumeRolePolicyDocument, servicePrincipal) : false;
  }
}
