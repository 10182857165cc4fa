/**
 * Each service's own way of saying "slow down" and "something broke on our side", as its API model
 * declares them (botocore / the SDK's error shapes) or, where it declares none, AWS's common errors.
 * Every code and status here is one the SDK's retry strategy treats as retryable: throttling by code
 * (THROTTLING_ERROR_CODES in @smithy/core's retry module) or by status 429, server errors by status
 * 500/502/503/504 (TRANSIENT_ERROR_STATUS_CODES). A test holds this table against the SDK's lists.
 */
import { AwsError } from '../errors.js';

export interface ServiceFaultErrors {
  throttling(): AwsError;
  /** Server-side failures this service answers with; one is picked per injected fault. */
  serverErrors: ReadonlyArray<() => AwsError>;
}

// AWS's common errors for the JSON and query APIs ("Common Errors" in every API reference).
const commonInternalFailure = (): AwsError =>
  new AwsError(
    'InternalFailure',
    'The request processing has failed because of an unknown error, exception or failure.',
    500,
  );
const commonServiceUnavailable = (): AwsError =>
  new AwsError('ServiceUnavailable', 'The request has failed due to a temporary failure of the server.', 503);
// The JSON services' ThrottlingException carries "Rate exceeded" on the wire; the API references
// word it "The request was denied due to request throttling." The wire wording is used.
const jsonThrottling = (): AwsError => new AwsError('ThrottlingException', 'Rate exceeded', 400);
// awsQuery services (IAM, STS, CloudWatch's query API) answer `Throttling`, status 400.
const queryThrottling = (): AwsError => new AwsError('Throttling', 'Rate exceeded', 400);

const TABLE: ReadonlyMap<string, ServiceFaultErrors> = new Map<string, ServiceFaultErrors>([
  [
    's3',
    {
      // S3's error-code list: SlowDown 503 "Please reduce your request rate.", InternalError 500,
      // ServiceUnavailable 503 "Service is unable to handle request."
      throttling: () => new AwsError('SlowDown', 'Please reduce your request rate.', 503),
      serverErrors: [
        () => new AwsError('InternalError', 'We encountered an internal error. Please try again.', 500),
        () => new AwsError('ServiceUnavailable', 'Service is unable to handle request.', 503),
      ],
    },
  ],
  [
    'lambda',
    {
      // Lambda's model: TooManyRequestsException 429 (Reason names the limit; the control plane's
      // is CallerRateLimitExceeded), ServiceException 500. The message wording is assumed.
      throttling: () =>
        new AwsError('TooManyRequestsException', 'Rate exceeded', 429, { Reason: 'CallerRateLimitExceeded' }),
      serverErrors: [
        () => new AwsError('ServiceException', 'The Lambda service encountered an internal error.', 500),
      ],
    },
  ],
  [
    'iam',
    {
      throttling: queryThrottling,
      // IAM's model: ServiceFailureException, query code ServiceFailure, 500.
      serverErrors: [
        () =>
          new AwsError(
            'ServiceFailure',
            'The request processing has failed because of an unknown error, exception or failure.',
            500,
          ),
      ],
    },
  ],
  ['sts', { throttling: queryThrottling, serverErrors: [commonInternalFailure, commonServiceUnavailable] }],
  [
    'logs',
    {
      throttling: jsonThrottling,
      // CloudWatch Logs' model: ServiceUnavailableException, a server fault (500). Wording assumed.
      serverErrors: [
        () => new AwsError('ServiceUnavailableException', 'The service cannot complete the request.', 500),
        commonServiceUnavailable,
      ],
    },
  ],
  [
    'events',
    {
      throttling: jsonThrottling,
      // EventBridge's model: InternalException, a server fault (500). Wording assumed.
      serverErrors: [
        () => new AwsError('InternalException', 'This exception occurs due to unexpected causes.', 500),
        commonServiceUnavailable,
      ],
    },
  ],
  // Step Functions models no server error of its own: AWS's common ones.
  ['states', { throttling: jsonThrottling, serverErrors: [commonInternalFailure, commonServiceUnavailable] }],
  [
    'monitoring',
    {
      // CloudWatch is query-compatible: its JSON errors carry the query code too, `Throttling`.
      throttling: queryThrottling,
      // CloudWatch's model: InternalServiceFault (query code InternalServiceError), 500.
      serverErrors: [
        () =>
          new AwsError(
            'InternalServiceFault',
            'Request processing has failed due to some unknown error, exception, or failure.',
            500,
          ),
      ],
    },
  ],
]);

const FALLBACK: ServiceFaultErrors = {
  throttling: jsonThrottling,
  serverErrors: [commonInternalFailure, commonServiceUnavailable],
};

/** The errors a service (by SigV4 signing name) injects. */
export function faultErrorsOf(signingName: string): ServiceFaultErrors {
  return TABLE.get(signingName) ?? FALLBACK;
}

/** Signing names with errors of their own (for tests). */
export const SERVICES_WITH_FAULT_ERRORS: readonly string[] = [...TABLE.keys()];
