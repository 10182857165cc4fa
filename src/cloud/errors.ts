/**
 * Errors the cloud layer raises. Each message is one line a learner can act on; the CLI prints the
 * message alone (no stack) unless --debug. This module loads no AWS SDK code, so the CLI can test
 * `instanceof` without paying for the SDK.
 */

/** Base class: every cloud-layer error the CLI may show as a plain line. */
export class CloudError extends Error {
  override readonly name: string = 'CloudError';
}

/** No credentials anywhere in the default chain (env, profile, SSO). */
export class NoCredentialsError extends CloudError {
  override readonly name = 'NoCredentialsError';
  constructor(readonly profile?: string) {
    super(
      profile
        ? `No AWS credentials found for profile "${profile}": run "aws configure --profile ${profile}" (or "aws sso login --profile ${profile}" for SSO), or pick another --profile.`
        : 'No AWS credentials found: run "aws configure" (or "aws sso login --profile <name>" and pass --profile <name>), or use --target sandbox.',
    );
  }
}

/** Credentials were found but AWS refused them (expired, invalid, SSO session over). */
export class CredentialsError extends CloudError {
  override readonly name = 'CredentialsError';
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** The target could not be reached (network, wrong endpoint URL). */
export class TargetUnreachableError extends CloudError {
  override readonly name = 'TargetUnreachableError';
  constructor(
    readonly endpoint: string,
    reason: string,
  ) {
    super(`Cannot reach ${endpoint} (${reason}): check the URL and that the service is running.`);
  }
}

/** The target spec itself is unusable (bad endpoint URL, bad time-scale). */
export class InvalidTargetError extends CloudError {
  override readonly name = 'InvalidTargetError';
}

/** The ledger file exists but cannot be read as a ledger. It is never overwritten. */
export class CorruptLedgerError extends CloudError {
  override readonly name = 'CorruptLedgerError';
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(
      `The ledger ${file} is corrupt (${reason}); it was left untouched. Inspect it, then move it aside to start over (resources it names may still exist).`,
    );
  }
}

/** Another course-cli process holds this demo's ledger on this target (a run and a teardown at once). */
export class LedgerBusyError extends CloudError {
  override readonly name = 'LedgerBusyError';
  constructor(
    readonly demo: string,
    readonly targetId: string,
    readonly pid: number | undefined,
  ) {
    super(
      `The ${demo} ledger on ${targetId} is in use by another course-cli process${pid === undefined ? '' : ` (pid ${pid})`}: let it finish or stop it, then run this again.`,
    );
  }
}

/** A resource with our name exists but is not ours (its tags say another run, or none). */
export class ResourceConflictError extends CloudError {
  override readonly name = 'ResourceConflictError';
  constructor(
    readonly kind: string,
    readonly resourceName: string,
    reason: string,
  ) {
    super(
      `A ${kind} named "${resourceName}" already exists and is not this run's (${reason}); it was left alone. Remove or rename it, or run teardown for the run that owns it.`,
    );
  }
}

/** A resource name built from the demo, run and part breaks the service's naming rules. */
export class InvalidResourceNameError extends CloudError {
  override readonly name = 'InvalidResourceNameError';
  constructor(
    readonly kind: string,
    readonly resourceName: string,
    rule: string,
  ) {
    super(`The ${kind} name "${resourceName}" is invalid: ${rule}.`);
  }
}

/** IAM did not propagate a new role in the bounded wait. */
export class IamPropagationTimeoutError extends CloudError {
  override readonly name = 'IamPropagationTimeoutError';
  constructor(
    readonly roleArn: string,
    waitedSeconds: number,
    /** AWS's refusal when the role could be assumed but a permission was still refused. */
    refusal?: string,
  ) {
    super(
      refusal
        ? `AWS still refused with the role ${roleArn} after ${waitedSeconds} s (${refusal}). If its policy changed moments ago, IAM may still be propagating it: run the step again in a minute; otherwise the policy lacks that permission.`
        : `The role ${roleArn} still cannot be assumed after ${waitedSeconds} s (IAM propagation); run the step again in a minute.`,
    );
  }
}

/** A create call reported partial failure (e.g. PutTargets FailedEntryCount > 0). */
export class ResourceCreateError extends CloudError {
  override readonly name = 'ResourceCreateError';
}

/**
 * AWS kept throttling a call, or kept failing it on its side, past every retry the SDK makes. Nothing
 * is lost: what was created is in the ledger, and running the same command later resumes.
 */
export class ServiceBusyError extends CloudError {
  override readonly name = 'ServiceBusyError';
  constructor(
    readonly service: string,
    readonly operation: string,
    readonly lastError: string,
    readonly attempts: number,
    throttled: boolean,
    override readonly cause?: unknown,
  ) {
    super(
      `${service} ${operation} still failed after ${attempts} attempt${attempts === 1 ? '' : 's'} (${lastError}: AWS is ${throttled ? 'throttling these calls' : 'failing on its side'}); wait a minute, then run the same command again — what was created so far is in the ledger.`,
    );
  }
}
