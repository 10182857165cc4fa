/** What every service factory receives and returns. */
import type { SandboxClock } from './clock.js';
import type { SandboxCredentials } from './credentials.js';
import type { IamDirectory } from './contracts.js';
import type { ServiceEndpoint } from './protocols/types.js';
import type { StateStore } from './store.js';

export interface ServiceDeps {
  store: StateStore;
  clock: SandboxClock;
  /** The sandbox's own diagnostic log (not CloudWatch); quiet unless the sandbox is run in the foreground. */
  log: (line: string) => void;
  /** Authorizes requests signed by role sessions (set for every service but IAM's own); absent, nothing is checked. */
  iam?: IamDirectory;
}

/** How code the sandbox runs (Lambda handlers) reaches the sandbox back. */
export interface SelfAccess {
  endpoint(): string;
  credentials: SandboxCredentials;
}

export interface SandboxService {
  endpoint: ServiceEndpoint;
  /** Stop timers and child processes; called once when the sandbox stops. */
  stop?(): Promise<void> | void;
}

/**
 * Changes that take a while to take effect (EventBridge rules and targets, as AWS documents):
 * a service notes each change by key and asks before acting on it. Absent, every change is in force
 * at once.
 */
export interface SettlingChanges {
  changed(key: string): void;
  forget(key: string): void;
  /** Whether the last change to `key` is in force; if not, `what` is logged as held back. */
  inForce(key: string, what?: string): boolean;
}
