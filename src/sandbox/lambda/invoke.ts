/**
 * The Invoke path shared by the API and by other services (`LambdaInvoker`): resolve the function,
 * check a service principal against the resource policy, enforce payload limits, then run
 * synchronously, queue (Event) or only validate (DryRun).
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../errors.js';
import type { IamDirectory, InvokeRequest, InvokeResult, LambdaInvoker } from '../contracts.js';
import { accessDeniedMessage } from '../accessControl.js';
import { assumedRoleArn } from '../iam/sessions.js';
import type { AsyncInvocations } from './asyncInvocations.js';
import type { FunctionRegistry } from './functionRegistry.js';
import type { FunctionRunner } from './functionRunner.js';
import { LATEST, functionArn } from './model.js';
import { accessDenied, allowsInvoke } from './resourcePolicy.js';

export const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** Lambda's Invoke reference: "For asynchronous invocations, the maximum payload size is 1 MB." */
export const MAX_ASYNC_PAYLOAD_BYTES = 1024 * 1024;

export interface ApiInvokeRequest extends InvokeRequest {
  /** The HTTP request id, reused as the invocation's awsRequestId as Lambda does. */
  requestId?: string;
  clientContext?: unknown;
}

export class InvokeService implements LambdaInvoker {
  constructor(
    private readonly registry: FunctionRegistry,
    private readonly runner: FunctionRunner,
    private readonly queue: AsyncInvocations,
    private readonly iam?: Pick<IamDirectory, 'authorize'>,
  ) {}

  async invoke(req: ApiInvokeRequest): Promise<InvokeResult> {
    const current = this.registry.get(req.region, req.functionName, req.qualifier);
    // Pending refuses invocations; during an update they run the previous code and configuration.
    const fn = this.registry.forInvoke(current);
    if (req.caller && !allowsInvoke(fn.policy, req.caller)) throw accessDenied(req.caller, functionArn(fn));
    if (req.asRole && this.iam) {
      const access = { action: 'lambda:InvokeFunction', resource: functionArn(fn) };
      const decision = this.iam.authorize(req.asRole, access);
      if (decision !== 'allowed') {
        // The calling service's session of the role; its name is the service's business.
        const who = assumedRoleArn(req.asRole, 'sandbox-service');
        throw new AwsError('AccessDeniedException', accessDeniedMessage(who, access, decision), 403);
      }
    }
    const limit = req.invocationType === 'Event' ? MAX_ASYNC_PAYLOAD_BYTES : MAX_SYNC_PAYLOAD_BYTES;
    if (req.payload.length > limit) {
      throw new AwsError(
        'RequestTooLargeException',
        `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
        413,
      );
    }
    const text = req.payload.length === 0 ? '{}' : req.payload.toString('utf8');
    try {
      JSON.parse(text);
    } catch (err) {
      throw new AwsError(
        'InvalidRequestContentException',
        `Could not parse request body into json: Could not parse payload into json: ${(err as Error).message}`,
        400,
      );
    }
    const requestId = req.requestId ?? randomUUID();
    if (req.invocationType === 'DryRun')
      return { statusCode: 204, payload: Buffer.alloc(0), executedVersion: LATEST };
    if (req.invocationType === 'Event') {
      this.queue.enqueue(fn, text, requestId);
      return { statusCode: 202, payload: Buffer.alloc(0), executedVersion: LATEST };
    }
    const r = await this.runner.run(fn, text, {
      requestId,
      logTail: req.logType === 'Tail',
      clientContext: req.clientContext,
    });
    return {
      statusCode: 200,
      payload: r.payload,
      functionError: r.functionError,
      logResult: r.logResult,
      executedVersion: LATEST,
    };
  }
}
