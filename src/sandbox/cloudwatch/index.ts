/**
 * CloudWatch (awsJson 1.0, `GraniteServiceVersion20100801`, query-compatible): metrics the sandbox's
 * services record (Lambda Invocations/Errors, …) and those put by callers, and metric alarms on them
 * whose state changes go to EventBridge.
 */
import type { EventPublisher, MetricRecorder } from '../contracts.js';
import { AwsError } from '../errors.js';
import { awsJsonService } from '../protocols/awsJson.js';
import { awsQueryService } from '../protocols/awsQuery.js';
import { enforceAccess, JSON_ACCESS_DENIED, QUERY_ACCESS_DENIED } from '../accessControl.js';
import { cloudWatchAccessRequests } from './authorization.js';
import type { OperationContext, ServiceEndpoint, WireRequest, WireResponse } from '../protocols/types.js';
import type { SandboxService, ServiceDeps } from '../service.js';
import { AlarmEngine } from './alarmEngine.js';
import { alarmOperations } from './alarmOperations.js';
import { AlarmStore } from './alarmStore.js';
import { MetricStore } from './metricStore.js';
import { metricOperations } from './operations.js';
import { asQueryOperations } from './queryAdapter.js';

export interface CloudWatchService extends SandboxService {
  recorder: MetricRecorder;
  /**
   * Late-bound because EventBridge sits above CloudWatch (it records its own metrics here): alarm
   * state changes are published to the default bus through this contract.
   */
  setEventPublisher(publisher: EventPublisher): void;
}

/** The awsQuery error codes this query-compatible service also reports, by JSON error name. */
const QUERY_ERROR_CODES: Record<string, string> = {
  InvalidParameterValueException: 'InvalidParameterValue',
  MissingRequiredParameterException: 'MissingParameter',
  InvalidParameterCombinationException: 'InvalidParameterCombination',
  LimitExceededException: 'LimitExceeded',
  InvalidNextToken: 'InvalidNextToken',
  InternalServiceFault: 'InternalServiceError',
  LimitExceededFault: 'LimitExceeded',
  InvalidFormatFault: 'InvalidFormat',
  ValidationException: 'ValidationError',
};

const queryCode = (err: AwsError): string => QUERY_ERROR_CODES[err.code] ?? err.code;

/**
 * Current SDKs speak awsJson 1.0 (with `X-Amz-Target`); the AWS CLI v2 of Debian 12 speaks awsQuery.
 * Serve both: JSON errors also name the awsQuery code in `x-amzn-query-error`, as CloudWatch does.
 */
function jsonOrQuery(json: ServiceEndpoint, query: ServiceEndpoint): ServiceEndpoint {
  const isJson = (req: WireRequest): boolean => typeof req.headers['x-amz-target'] === 'string';
  return {
    signingName: json.signingName,
    handle: (req) => (isJson(req) ? json.handle(req) : query.handle(req)),
    operationOf: (req) => (isJson(req) ? json.operationOf?.(req) : query.operationOf?.(req)),
    operationNames: () => json.operationNames?.() ?? [],
    errorResponse(err: AwsError, req: WireRequest): WireResponse {
      if (!isJson(req)) {
        return query.errorResponse(new AwsError(queryCode(err), err.message, err.statusCode), req);
      }
      const res = json.errorResponse(err, req);
      return { ...res, headers: { ...res.headers, 'x-amzn-query-error': `${queryCode(err)};${err.fault}` } };
    },
  };
}

export interface CloudWatchDeps extends ServiceDeps {
  /** Sandbox ms before a published datapoint is visible to reads and alarms (a fault profile's metric delay). */
  metricDelayMs?: number;
}

export function createCloudWatchService(deps: CloudWatchDeps): CloudWatchService {
  const store = new MetricStore(deps.store, deps.clock, deps.metricDelayMs ?? 0);
  const alarms = new AlarmStore(deps.store, deps.clock);
  const engine = new AlarmEngine({ alarms, metrics: store, clock: deps.clock, log: deps.log });
  engine.start();
  const operations = {
    ...metricOperations(store, deps.clock),
    ...alarmOperations({ alarms, engine, clock: deps.clock }),
  };
  const iam = deps.iam;
  const authorizeAs =
    (shape: typeof JSON_ACCESS_DENIED) =>
    (operation: string, input: unknown, ctx: OperationContext): void => {
      if (iam)
        enforceAccess(
          iam,
          ctx.wire.principal,
          cloudWatchAccessRequests(operation, input as Record<string, unknown>, ctx),
          shape,
        );
    };
  return {
    endpoint: jsonOrQuery(
      awsJsonService({
        signingName: 'monitoring',
        targetPrefix: 'GraniteServiceVersion20100801',
        version: '1.0',
        operations,
        authorize: authorizeAs(JSON_ACCESS_DENIED),
      }),
      awsQueryService({
        signingName: 'monitoring',
        xmlns: 'http://monitoring.amazonaws.com/doc/2010-08-01/',
        version: '2010-08-01',
        operations: asQueryOperations(operations),
        authorize: authorizeAs(QUERY_ACCESS_DENIED),
      }),
    ),
    recorder: store,
    setEventPublisher: (publisher) => engine.setEventPublisher(publisher),
    stop: () => engine.stop(),
  };
}
