/**
 * Fault profiles: the sandbox having one of AWS's bad days on purpose. A platform concern — the
 * server asks the request injector before each request; IAM, Lambda and EventBridge are only told
 * how long their changes take to reach the rest of the sandbox.
 */
export { type FaultProfile, type RequestFaultRates, hasAnyFault, ratesFor } from './profile.js';
export { BUILTIN_PROFILE_NAMES } from './builtinProfiles.js';
export { FaultProfileError, loadFaultProfile, profileFromJson } from './loadProfile.js';
export { RequestFaultInjector, type FaultableRequest, type ServedOperations } from './requestFaults.js';
export { SettleWindow } from './settleWindow.js';
export { describeFaultProfile, replayHint } from './describeProfile.js';
export { faultErrorsOf } from './serviceErrors.js';
