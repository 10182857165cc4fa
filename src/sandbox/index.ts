/** The sandbox's public surface: start one, find a running one, read its credentials. */
export { startSandbox, type RunningSandbox, type SandboxOptions } from './sandbox.js';
export { readLiveLock, type LockInfo } from './lock.js';
export {
  loadOrCreateCredentials,
  SANDBOX_ACCOUNT_ID,
  DEFAULT_REGION,
  type SandboxCredentials,
} from './credentials.js';
export { SandboxAlreadyRunningError, PortInUseError, CorruptStateError } from './errors.js';
export {
  type FaultProfile,
  BUILTIN_PROFILE_NAMES,
  FaultProfileError,
  loadFaultProfile,
  describeFaultProfile,
  replayHint,
  hasAnyFault,
} from './faults/index.js';
