/**
 * CloudWatch metrics (awsJson 1.0, `GraniteServiceVersion20100801`, query-compatible): metrics the
 * sandbox's services record (Lambda Invocations/Errors, …) and those put by callers.
 */
import type { MetricRecorder } from '../contracts.js';
import type { AwsError } from '../errors.js';
import { awsJsonService } from '../protocols/awsJson.js';
import type { ServiceEndpoint, WireRequest, WireResponse } from '../protocols/types.js';
import type { SandboxService, ServiceDeps } from '../service.js';
import { MetricStore } from './metricStore.js';
import { metricOperations } from './operations.js';

export interface CloudWatchService extends SandboxService {
  recorder: MetricRecorder;
}

/** The awsQuery error codes this query-compatible service also reports, by JSON error name. */
const QUERY_ERROR_CODES: Record<string, string> = {
  InvalidParameterValueException: 'InvalidParameterValue',
  MissingRequiredParameterException: 'MissingParameter',
  InvalidParameterCombinationException: 'InvalidParameterCombination',
  LimitExceededException: 'LimitExceeded',
  InvalidNextToken: 'InvalidNextToken',
  InternalServiceFault: 'InternalServiceError',
};

/** Query-compatible JSON services name the awsQuery error code in `x-amzn-query-error`. */
function withQueryErrorHeader(endpoint: ServiceEndpoint): ServiceEndpoint {
  return {
    signingName: endpoint.signingName,
    maxBodyBytes: endpoint.maxBodyBytes,
    handle: (req) => endpoint.handle(req),
    errorResponse(err: AwsError, req: WireRequest): WireResponse {
      const res = endpoint.errorResponse(err, req);
      const code = QUERY_ERROR_CODES[err.code] ?? err.code;
      return { ...res, headers: { ...res.headers, 'x-amzn-query-error': `${code};${err.fault}` } };
    },
  };
}

export function createCloudWatchService(deps: ServiceDeps): CloudWatchService {
  const store = new MetricStore(deps.store, deps.clock);
  return {
    endpoint: withQueryErrorHeader(
      awsJsonService({
        signingName: 'monitoring',
        targetPrefix: 'GraniteServiceVersion20100801',
        version: '1.0',
        operations: metricOperations(store, deps.clock),
      }),
    ),
    recorder: store,
  };
}
