/**
 * Reading SDK errors without importing the SDK's exception classes: by name (the AWS error code),
 * HTTP status and message. Each service spells "not found" its own way.
 */

export interface SdkErrorLike {
  name?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

export function errorName(err: unknown): string {
  const e = err as SdkErrorLike | undefined;
  return e?.name ?? e?.Code ?? 'Error';
}

export function errorMessage(err: unknown): string {
  return (err as SdkErrorLike | undefined)?.message ?? String(err);
}

export function httpStatus(err: unknown): number | undefined {
  return (err as SdkErrorLike | undefined)?.$metadata?.httpStatusCode;
}

const NOT_FOUND = new Set([
  'NoSuchBucket',
  'NotFound',
  'NoSuchEntity',
  'NoSuchEntityException',
  'ResourceNotFoundException',
  // CloudWatch's spelling for a missing alarm (DeleteAlarms, SetAlarmState).
  'ResourceNotFound',
  'StateMachineDoesNotExist',
  'NoSuchKey',
]);

/** The resource does not exist (deleted already, or never created). */
export function isNotFound(err: unknown): boolean {
  return NOT_FOUND.has(errorName(err));
}

/** The service (or emulator) does not implement this operation. */
export function isUnsupportedOperation(err: unknown): boolean {
  const name = errorName(err);
  return (
    name === 'UnknownOperationException' ||
    name === 'NotImplemented' ||
    name === 'InvalidAction' ||
    name === 'UnsupportedOperation' ||
    httpStatus(err) === 501
  );
}

/** Lambda cannot assume the new role yet (IAM propagation). */
export function isRoleNotAssumableYet(err: unknown): boolean {
  const name = errorName(err);
  const msg = errorMessage(err);
  return (
    (name === 'InvalidParameterValueException' &&
      /cannot be assumed by Lambda|role defined for the function/i.test(msg)) ||
    // Step Functions says the same thing its own way: "Neither the global service principal
    // states.amazonaws.com, nor the regional one is authorized to assume the provided role."
    (name === 'AccessDeniedException' && /authorized to assume the provided role/i.test(msg))
  );
}

/**
 * A role created or changed moments ago whose permissions are not in force yet. Step Functions checks
 * the role's log-delivery permissions when a state machine with logging is created or updated, and
 * refuses with "not authorized to access the Log Destination" until IAM has propagated the policy —
 * the same words it uses when the permission is really missing, so the wait for it is bounded.
 */
export function isRoleNotUsableYet(err: unknown): boolean {
  return (
    isRoleNotAssumableYet(err) ||
    (errorName(err) === 'AccessDeniedException' &&
      /not authorized to access the Log Destination/i.test(errorMessage(err)))
  );
}

// The SDK's own retry classification (@smithy/core's retry module): these codes are throttling,
// and these statuses transient. A test holds the lists against the SDK's.
const THROTTLING_CODES = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);
const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);

/** AWS asked us to slow down. */
export function isThrottling(err: unknown): boolean {
  return httpStatus(err) === 429 || THROTTLING_CODES.has(errorName(err));
}

/** A fault of AWS's making that the SDK retries: throttling or a transient server error. */
export function isRetriedFault(err: unknown): boolean {
  const status = httpStatus(err);
  return isThrottling(err) || (status !== undefined && TRANSIENT_STATUSES.has(status));
}
