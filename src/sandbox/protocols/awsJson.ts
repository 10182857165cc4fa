/**
 * awsJson 1.0 / 1.1 (CloudWatch Logs, EventBridge, Step Functions): POST /, operation named by the
 * `X-Amz-Target: <Prefix>.<Operation>` header, JSON body in and out, errors as
 * `{"__type": "<Code>", "message": "..."}` with the `x-amzn-ErrorType` header.
 */
import { AwsError, CommonErrors } from '../errors.js';
import type {
  OperationContext,
  OperationHandler,
  ServiceEndpoint,
  WireRequest,
  WireResponse,
} from './types.js';

export interface AwsJsonServiceOptions {
  signingName: string;
  /** e.g. `Logs_20140328`, `AWSEvents`, `AWSStepFunctions`. */
  targetPrefix: string;
  version: '1.0' | '1.1';
  operations: Record<string, OperationHandler>;
  maxBodyBytes?: number;
  /** IAM check before an operation runs (throws the access-denied error); see accessControl.ts. */
  authorize?: (operation: string, input: Record<string, unknown>, ctx: OperationContext) => void;
}

export function contextOf(req: WireRequest): OperationContext {
  return {
    region: req.region,
    accountId: req.accountId,
    requestId: req.requestId,
    endpoint: req.endpoint,
    wire: req,
  };
}

/** JSON.stringify that keeps the wire free of `undefined` members and serialises Dates as epoch seconds. */
export function toJsonBody(value: unknown): string {
  // The replacer sees a Date only after Date#toJSON turned it into a string, so look at the holder.
  return JSON.stringify(value ?? {}, function (this: Record<string, unknown>, k: string, v: unknown) {
    const original = this[k];
    return original instanceof Date ? original.getTime() / 1000 : v;
  });
}

export function awsJsonService(opts: AwsJsonServiceOptions): ServiceEndpoint {
  const contentType = `application/x-amz-json-${opts.version}`;

  const errorResponse = (err: AwsError, req: WireRequest): WireResponse => {
    const body: Record<string, unknown> = { __type: err.code, message: err.message, ...err.extra };
    return {
      status: err.statusCode,
      headers: {
        'content-type': contentType,
        'x-amzn-errortype': err.code,
        'x-amzn-requestid': req.requestId,
      },
      body: JSON.stringify(body),
    };
  };

  return {
    signingName: opts.signingName,
    maxBodyBytes: opts.maxBodyBytes,
    errorResponse,
    operationOf(req) {
      const target = req.headers['x-amz-target'];
      if (typeof target !== 'string') return undefined;
      const dot = target.lastIndexOf('.');
      const operation = target.slice(dot + 1);
      return target.slice(0, dot) === opts.targetPrefix && Object.hasOwn(opts.operations, operation)
        ? operation
        : undefined;
    },
    operationNames: () => Object.keys(opts.operations),
    async handle(req) {
      if (req.method !== 'POST') {
        throw new AwsError(
          'UnknownOperationException',
          `${req.method} is not supported; this protocol accepts POST only.`,
          404,
        );
      }
      const target = req.headers['x-amz-target'];
      if (typeof target !== 'string' || !target.includes('.')) {
        throw CommonErrors.unknownOperation('Missing or malformed X-Amz-Target header.');
      }
      const dot = target.lastIndexOf('.');
      const prefix = target.slice(0, dot);
      const operation = target.slice(dot + 1);
      const handler = prefix === opts.targetPrefix ? opts.operations[operation] : undefined;
      if (!handler || !Object.hasOwn(opts.operations, operation)) {
        throw CommonErrors.unknownOperation(`Operation ${target} is not supported by this endpoint.`);
      }
      let input: unknown = {};
      if (req.body.length > 0) {
        try {
          input = JSON.parse(req.body.toString('utf8'));
        } catch {
          throw CommonErrors.serialization('Start of structure or map found where not expected.');
        }
      }
      if (input === null || typeof input !== 'object' || Array.isArray(input)) {
        throw CommonErrors.serialization('Start of structure or map found where not expected.');
      }
      const ctx = contextOf(req);
      opts.authorize?.(operation, input as Record<string, unknown>, ctx);
      const output = await handler(input, ctx);
      return {
        status: 200,
        headers: { 'content-type': contentType, 'x-amzn-requestid': req.requestId },
        body: toJsonBody(output),
      };
    },
  };
}
