/**
 * Temporary credentials for role sessions the sandbox itself hands out (a Lambda execution
 * environment's role). In memory only: the environments holding them die with the sandbox, so a
 * restart rightly invalidates every session.
 */
import { randomBytes } from 'node:crypto';
import type { RoleSession, SessionCredentials } from '../contracts.js';
import { SANDBOX_ACCOUNT_ID } from '../credentials.js';

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomId(prefix: string, length: number): string {
  let id = prefix;
  for (const b of randomBytes(length)) id += KEY_ALPHABET[b % KEY_ALPHABET.length];
  return id;
}

/** `arn:aws:sts::<account>:assumed-role/<role name>/<session name>`. */
export function assumedRoleArn(roleArn: string, sessionName: string): string {
  const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
  return `arn:aws:sts::${SANDBOX_ACCOUNT_ID}:assumed-role/${roleName}/${sessionName}`;
}

export class SessionRegistry {
  private readonly byKey = new Map<string, RoleSession & SessionCredentials>();

  issue(roleArn: string, roleId: string, sessionName: string): SessionCredentials {
    const creds: SessionCredentials = {
      accessKeyId: randomId('ASIA', 16),
      secretAccessKey: randomBytes(30).toString('base64').replace(/[+/=]/g, 'x'),
      sessionToken: randomBytes(48).toString('base64'),
    };
    this.byKey.set(creds.accessKeyId, {
      ...creds,
      roleArn,
      roleId,
      sessionName,
      assumedRoleArn: assumedRoleArn(roleArn, sessionName),
    });
    return creds;
  }

  find(accessKeyId: string): (RoleSession & SessionCredentials) | undefined {
    return this.byKey.get(accessKeyId);
  }

  /** Forget a session whose holder is gone (an environment that shut down). */
  revoke(accessKeyId: string): void {
    this.byKey.delete(accessKeyId);
  }
}
