/**
 * The cloud layer's public surface. Importing this module loads no AWS SDK code: `connectTarget`
 * imports the SDK (and the sandbox) only when it runs, so `--help` and `list` stay fast.
 */
export { connectTarget, sandboxStateDir, type ConnectOptions, type ConnectedTarget } from './target.js';
export type {
  AwsClients,
  CallLog,
  RecordedCall,
  TargetClock,
  TargetInfo,
  TargetKind,
  TargetSpec,
} from './types.js';
export type * from './resourceTypes.js';
export * from './errors.js';
export {
  Ledger,
  ledgerPath,
  ledgerDir,
  type LedgerData,
  type LedgerEntry,
  type LedgerEntryState,
} from './ledger.js';
export { planTeardown, TEARDOWN_ORDER, type TeardownStep } from './teardownPlan.js';
export {
  describeDeployment,
  consoleUrl,
  type DeploymentDescription,
  type DeployedResource,
} from './deployment.js';
export { toCliCommand } from './cliEquivalent.js';
export { sideBySide } from './sideBySide.js';
export { realClock, followingClock, ScaledClock } from './clock.js';
export type { TeardownProgress, TeardownOutcome, DemoTeardown } from './teardown.js';
