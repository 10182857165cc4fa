/**
 * Task states that call Lambda, through the sandbox's Lambda service (never real AWS):
 * `arn:aws:states:::lambda:invoke` (optimised integration: Payload in, `{ExecutedVersion, Payload,
 * SdkHttpMetadata, SdkResponseMetadata, StatusCode}` out) and plain function ARNs (payload in and out).
 * Failures are named as Step Functions names them: the handler's `errorType`, or `Lambda.<Code>` for
 * the Lambda service's own failures (lambdaErrors.ts).
 */
import { randomUUID } from 'node:crypto';
import type { LambdaInvoker } from '../contracts.js';
import type { Json } from './definition.js';
import { StateFailure } from './evaluator.js';
import { lambdaServiceFailure } from './lambdaErrors.js';

export const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const PLAIN_LAMBDA =
  /^arn:aws:lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+))?$/;

export type TaskKind =
  | { kind: 'lambdaInvoke'; region: string }
  | { kind: 'lambdaArn'; region: string; functionArn: string }
  | { kind: 'unsupported' };

export function classifyResource(resource: string, defaultRegion: string): TaskKind {
  if (resource === LAMBDA_INVOKE) return { kind: 'lambdaInvoke', region: defaultRegion };
  const m = PLAIN_LAMBDA.exec(resource);
  if (m) return { kind: 'lambdaArn', region: m[1]!, functionArn: resource };
  return { kind: 'unsupported' };
}

function parsePayload(buf: Buffer): Json {
  const text = buf.toString('utf8');
  if (text.length === 0) return null;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

async function callFunction(
  lambda: LambdaInvoker,
  region: string,
  functionName: string,
  payload: Json,
  qualifier?: string,
): Promise<{ payload: Json; executedVersion: string }> {
  let result;
  try {
    result = await lambda.invoke({
      region,
      functionName,
      qualifier,
      payload: Buffer.from(JSON.stringify(payload ?? null)),
      invocationType: 'RequestResponse',
    });
  } catch (err) {
    throw lambdaServiceFailure(err);
  }
  const text = result.payload.toString('utf8');
  const parsed = parsePayload(result.payload);
  if (result.functionError) {
    const errorType =
      parsed && typeof parsed === 'object' && !Array.isArray(parsed) && typeof parsed.errorType === 'string'
        ? parsed.errorType
        : 'Lambda.Unknown';
    throw new StateFailure(errorType, text);
  }
  return { payload: parsed, executedVersion: result.executedVersion };
}

/** `lambda:invoke`: the effective input holds FunctionName, Payload and optionally Qualifier. */
export async function invokeLambdaIntegration(
  lambda: LambdaInvoker,
  region: string,
  params: Json,
): Promise<Json> {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw new StateFailure('States.Runtime', 'The lambda:invoke parameters must be a JSON object.');
  }
  const fn = params.FunctionName;
  if (typeof fn !== 'string' || fn.length === 0) {
    throw new StateFailure(
      'States.Runtime',
      "The field 'FunctionName' is required by arn:aws:states:::lambda:invoke but was missing.",
    );
  }
  const qualifier = typeof params.Qualifier === 'string' ? params.Qualifier : undefined;
  const payload = 'Payload' in params ? (params.Payload ?? null) : {};
  const requestId = randomUUID();
  const r = await callFunction(lambda, region, fn, payload, qualifier);
  const headers = {
    Connection: 'keep-alive',
    'Content-Type': 'application/json',
    'X-Amz-Executed-Version': r.executedVersion,
    'x-amzn-Remapped-Content-Length': '0',
    'x-amzn-RequestId': requestId,
  };
  return {
    ExecutedVersion: r.executedVersion,
    Payload: r.payload,
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      HttpHeaders: headers,
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

/** A plain function ARN as Resource: the effective input is the payload, the payload the result. */
export async function invokeLambdaArn(
  lambda: LambdaInvoker,
  region: string,
  functionArn: string,
  input: Json,
): Promise<Json> {
  return (await callFunction(lambda, region, functionArn, input)).payload;
}
