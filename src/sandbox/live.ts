/**
 * What a client needs to use a sandbox another process serves: find it (the live lock) and sign for
 * it (the state directory's credentials). Kept apart from index.ts so that a command run beside a
 * running sandbox does not load the sandbox's services, which costs ~0.4 s of CPU at every start.
 */
export { readLiveLock, type LockInfo } from './lock.js';
export { loadOrCreateCredentials, DEFAULT_REGION } from './credentials.js';
