/**
 * Temporary credentials for role sessions the sandbox itself hands out (a Lambda execution
 * environment's role). In memory only: the environments holding them die with the sandbox, so a
 * restart rightly invalidates every session.
 *
 * Like AWS's, they expire: each lives for the lifetime it was issued with (its environment's
 * longest life plus a margin), and its holder revokes it sooner when it goes away. The table is
 * bounded: expired sessions are swept as new ones are issued, and past the cap the oldest go first.
 */
import { randomBytes } from 'node:crypto';
import type { RoleSession, SessionCredentials } from '../contracts.js';
import { SANDBOX_ACCOUNT_ID } from '../credentials.js';

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** AWS's default session duration, used when the issuer does not say. */
export const DEFAULT_SESSION_LIFETIME_MS = 60 * 60 * 1000;
/** Live sessions kept at most; far above what the environment pool can hold alive at once. */
export const MAX_SESSIONS = 4096;

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

type StoredSession = RoleSession & SessionCredentials & { expiresAt: number };

export class SessionRegistry {
  /** Insertion-ordered, so the first entries are the oldest. */
  private readonly byKey = new Map<string, StoredSession>();

  constructor(
    /** Real time, epoch ms: session lifetimes are real, like the environments holding them. */
    private readonly now: () => number = Date.now,
    private readonly maxSessions = MAX_SESSIONS,
  ) {}

  issue(
    roleArn: string,
    roleId: string,
    sessionName: string,
    lifetimeMs = DEFAULT_SESSION_LIFETIME_MS,
  ): SessionCredentials {
    this.sweep();
    const creds: SessionCredentials = {
      accessKeyId: randomId('ASIA', 16),
      secretAccessKey: randomBytes(30).toString('base64').replace(/[+/=]/g, 'x'),
      sessionToken: randomBytes(48).toString('base64'),
      expiration: this.now() + lifetimeMs,
    };
    this.byKey.set(creds.accessKeyId, {
      ...creds,
      roleArn,
      roleId,
      sessionName,
      assumedRoleArn: assumedRoleArn(roleArn, sessionName),
      expiresAt: creds.expiration!,
    });
    while (this.byKey.size > this.maxSessions) this.byKey.delete(this.byKey.keys().next().value!);
    return creds;
  }

  /** The live session for this key; an expired one is forgotten and not returned. */
  find(accessKeyId: string): (RoleSession & SessionCredentials) | undefined {
    const s = this.byKey.get(accessKeyId);
    if (!s) return undefined;
    if (s.expiresAt <= this.now()) {
      this.byKey.delete(accessKeyId);
      return undefined;
    }
    return s;
  }

  /** Forget a session whose holder is gone (an environment that shut down). */
  revoke(accessKeyId: string): void {
    this.byKey.delete(accessKeyId);
  }

  /** Sessions currently held (for tests and diagnostics). */
  get size(): number {
    return this.byKey.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, s] of this.byKey) if (s.expiresAt <= now) this.byKey.delete(key);
  }
}
