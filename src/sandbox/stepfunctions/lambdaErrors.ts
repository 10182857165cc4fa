/**
 * How Step Functions names a failed call to the Lambda service (not a handler's own error): after
 * the exception class of AWS's Java SDK, `Lambda.<Code>` for the errors Lambda's Invoke model
 * declares (`Lambda.ResourceNotFoundException`, `Lambda.TooManyRequestsException`, …), the SDK's base
 * class `Lambda.AWSLambdaException` for any other service error (an IAM denial, for instance), and
 * `Lambda.SdkClientException` when no answer came back. The cause is the SDK's text with the status,
 * code and a request id, as AWS shows it.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../errors.js';
import { StateFailure } from './evaluator.js';

/** The errors Lambda's Invoke operation declares in its service model. */
const INVOKE_ERRORS = new Set([
  'CodeArtifactUserDeletedException',
  'CodeArtifactUserFailedException',
  'CodeArtifactUserPendingException',
  'DurableExecutionAlreadyStartedException',
  'EC2AccessDeniedException',
  'EC2ThrottledException',
  'EC2UnexpectedException',
  'EFSIOException',
  'EFSMountConnectivityException',
  'EFSMountFailureException',
  'EFSMountTimeoutException',
  'ENILimitReachedException',
  'ENINotReadyException',
  'InvalidParameterValueException',
  'InvalidRequestContentException',
  'InvalidRuntimeException',
  'InvalidSecurityGroupIDException',
  'InvalidSubnetIDException',
  'InvalidZipFileException',
  'KMSAccessDeniedException',
  'KMSDisabledException',
  'KMSInvalidStateException',
  'KMSNotFoundException',
  'ModeNotSupportedException',
  'NoPublishedVersionException',
  'RecursiveInvocationException',
  'RequestTooLargeException',
  'ResourceConflictException',
  'ResourceNotFoundException',
  'ResourceNotReadyException',
  'S3FilesMountConnectivityException',
  'S3FilesMountFailureException',
  'S3FilesMountTimeoutException',
  'SerializedRequestEntityTooLargeException',
  'ServiceException',
  'ServiceQuotaExceededException',
  'SnapStartException',
  'SnapStartNotReadyException',
  'SnapStartRegenerationFailureException',
  'SnapStartTimeoutException',
  'SubnetIPAddressLimitReachedException',
  'TooManyRequestsException',
  'UnsupportedMediaTypeException',
]);

/** The Step Functions error name for a Lambda service error code. */
export function lambdaErrorName(code: string): string {
  return INVOKE_ERRORS.has(code) ? `Lambda.${code}` : 'Lambda.AWSLambdaException';
}

/** A failed Invoke (the service refused or failed the call) as the Task state's failure. */
export function lambdaServiceFailure(err: unknown): StateFailure {
  if (err instanceof AwsError) {
    const detail = `${err.message} (Service: AWSLambda; Status Code: ${err.statusCode}; Error Code: ${err.code}; Request ID: ${randomUUID()}; Proxy: null)`;
    return new StateFailure(lambdaErrorName(err.code), detail);
  }
  return new StateFailure('Lambda.SdkClientException', (err as Error)?.message ?? String(err));
}
