/**
 * The sandbox's own credentials: one generated access key and secret per state directory. Every
 * request must be SigV4-signed with them, so nothing else on the machine can drive the sandbox by
 * accident, and the SDK's signing path is exercised exactly as against AWS.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { writeFileAtomicSync } from '../files/atomicWrite.js';
import { readJsonFileSync } from './store.js';

export const SANDBOX_ACCOUNT_ID = '000000000000';
export const DEFAULT_REGION = 'us-east-1';

export interface SandboxCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomKeyId(): string {
  const bytes = randomBytes(16);
  let id = 'AKIA';
  for (const b of bytes) id += KEY_ALPHABET[b % KEY_ALPHABET.length];
  return id;
}

export function credentialsFile(stateDir: string): string {
  return path.join(stateDir, 'credentials.json');
}

/** Load the directory's credentials, creating them on first use. */
export function loadOrCreateCredentials(stateDir: string): SandboxCredentials {
  const file = credentialsFile(stateDir);
  const existing = readJsonFileSync<SandboxCredentials>(file);
  if (existing?.accessKeyId && existing.secretAccessKey) return existing;
  const created: SandboxCredentials = {
    accessKeyId: randomKeyId(),
    secretAccessKey: randomBytes(30).toString('base64').replace(/[+/=]/g, 'x'),
  };
  writeFileAtomicSync(file, JSON.stringify(created, null, 2));
  return created;
}
