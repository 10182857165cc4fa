/**
 * Put/Update/Get/DeleteFunctionEventInvokeConfig: retry attempts, maximum event age and
 * destinations for asynchronous invocations, validated and shaped as Lambda does.
 */
import { AwsError } from '../errors.js';
import { Validator } from '../validate.js';
import {
  LATEST,
  functionArn,
  type DestinationConfig,
  type EventInvokeConfig,
  type FunctionRecord,
} from './model.js';

const DESTINATION_ARN = /^arn:aws[a-zA-Z-]*:(sqs|sns|lambda|events|s3):[a-z0-9-]*:\d{12}:?.+$/;

function readDestination(
  raw: unknown,
  member: string,
  allowS3: boolean,
): { Destination?: string } | undefined {
  if (raw === undefined || raw === null) return undefined;
  const d = (raw as Record<string, unknown>).Destination;
  if (d === undefined || d === null) return {};
  const m = typeof d === 'string' ? DESTINATION_ARN.exec(d) : null;
  if (!m || (m[1] === 's3' && !allowS3)) {
    throw new AwsError(
      'InvalidParameterValueException',
      `The provided destination config DestinationConfig.${member} is invalid: ${String(d)} is not a supported destination ARN.`,
      400,
    );
  }
  return { Destination: d as string };
}

/** Read the request members; `merge` (UpdateFunctionEventInvokeConfig) keeps what is not given. */
export function readEventInvokeConfig(
  input: Record<string, unknown>,
  now: number,
  previous?: EventInvokeConfig,
): EventInvokeConfig {
  const v = new Validator(input);
  const retries = v.number('MaximumRetryAttempts', { min: 0, max: 2, integer: true });
  const age = v.number('MaximumEventAgeInSeconds', { min: 60, max: 21600, integer: true });
  const dc = v.object<Record<string, unknown>>('DestinationConfig');
  v.check();
  let destinationConfig: DestinationConfig | undefined = previous?.destinationConfig;
  if (dc) {
    destinationConfig = {
      OnSuccess: readDestination(dc.OnSuccess, 'OnSuccess', false),
      OnFailure: readDestination(dc.OnFailure, 'OnFailure', true),
    };
  }
  return {
    maximumRetryAttempts: retries ?? previous?.maximumRetryAttempts,
    maximumEventAgeInSeconds: age ?? previous?.maximumEventAgeInSeconds,
    destinationConfig,
    lastModified: now,
  };
}

export function eventInvokeConfigOutput(fn: FunctionRecord, c: EventInvokeConfig): Record<string, unknown> {
  return {
    // Epoch seconds on the wire (a timestamp member in restJson1).
    LastModified: c.lastModified / 1000,
    FunctionArn: functionArn(fn, LATEST),
    MaximumRetryAttempts: c.maximumRetryAttempts,
    MaximumEventAgeInSeconds: c.maximumEventAgeInSeconds,
    DestinationConfig: {
      OnSuccess: { ...(c.destinationConfig?.OnSuccess ?? {}) },
      OnFailure: { ...(c.destinationConfig?.OnFailure ?? {}) },
    },
  };
}

export function noEventInvokeConfig(fn: FunctionRecord): AwsError {
  return new AwsError(
    'ResourceNotFoundException',
    `The function ${functionArn(fn, LATEST)} doesn't have an EventInvokeConfig`,
    404,
  );
}
