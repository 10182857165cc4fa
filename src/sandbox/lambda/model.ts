/**
 * A Lambda function as the sandbox keeps it, its ARN forms, and the `FunctionConfiguration` shape
 * the API reports. Only `$LATEST` exists: Publish is accepted and ignored (no numbered versions).
 */
import { createHash } from 'node:crypto';
import { AwsError } from '../errors.js';
import { loggingConfigOutput, type LoggingConfig } from './loggingConfig.js';

export const LATEST = '$LATEST';
export const SUPPORTED_RUNTIMES = ['nodejs22.x', 'nodejs24.x'] as const;

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: string | { Service: string } | { AWS: string };
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

export interface DestinationConfig {
  OnSuccess?: { Destination?: string };
  OnFailure?: { Destination?: string };
}

export interface EventInvokeConfig {
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  destinationConfig?: DestinationConfig;
  /** Epoch ms. */
  lastModified: number;
}

export interface FunctionRecord {
  name: string;
  region: string;
  accountId: string;
  runtime: string;
  role: string;
  handler: string;
  description: string;
  timeout: number;
  memorySize: number;
  ephemeralStorage: number;
  architectures: string[];
  environment: Record<string, string>;
  tags: Record<string, string>;
  codeSha256: string;
  codeSize: number;
  /** Folder (relative to the state dir) holding the extracted code of this revision. */
  codeDir: string;
  /** Blob name of the uploaded zip. */
  codeBlob: string;
  revisionId: string;
  /** Bumped when code or configuration changes: running environments of older generations retire. */
  generation: number;
  /** Epoch ms (sandbox clock). */
  lastModified: number;
  policy: PolicyStatement[];
  eventInvokeConfig?: EventInvokeConfig;
  /** Where the function's logs go (`LoggingConfig.LogGroup`). */
  logGroup: string;
  /** Absent on functions stored before LoggingConfig existed: Text to `logGroup`. */
  loggingConfig?: LoggingConfig;
}

/** The function's logging configuration (Text to its log group unless configured). */
export function loggingOf(fn: Pick<FunctionRecord, 'logGroup' | 'loggingConfig'>): LoggingConfig {
  return fn.loggingConfig ?? { logFormat: 'Text', logGroup: fn.logGroup };
}

/**
 * The runtime version the sandbox reports, in AWS's forms: `nodejs:22.v1` and
 * `arn:aws:lambda:<region>::runtime:<64 hex digits>` (a stable digest of the runtime, standing in
 * for the build AWS would name).
 */
export function runtimeVersion(fn: Pick<FunctionRecord, 'runtime'>): string {
  const major = /^nodejs(\d+)\.x$/.exec(fn.runtime)?.[1] ?? fn.runtime;
  return `nodejs:${major}.v1`;
}

export function runtimeVersionArn(fn: Pick<FunctionRecord, 'runtime' | 'region'>): string {
  const digest = createHash('sha256')
    .update(`course-cli sandbox ${runtimeVersion(fn)}`)
    .digest('hex');
  return `arn:aws:lambda:${fn.region}::runtime:${digest}`;
}

export function functionArn(
  fn: Pick<FunctionRecord, 'region' | 'accountId' | 'name'>,
  qualifier?: string,
): string {
  const base = `arn:aws:lambda:${fn.region}:${fn.accountId}:function:${fn.name}`;
  return qualifier ? `${base}:${qualifier}` : base;
}

export interface FunctionRef {
  name: string;
  region?: string;
  accountId?: string;
  qualifier?: string;
}

const FUNCTION_REF =
  /^(?:arn:aws[a-zA-Z-]*:lambda:)?(?:([a-z]{2}(?:-gov)?-[a-z]+-\d):)?(?:(\d{12}):)?(?:function:)?([a-zA-Z0-9_-]+)(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;

/** Parse a function name, partial ARN or full ARN (optionally qualified) as Lambda accepts them. */
export function parseFunctionRef(value: string, member = 'functionName'): FunctionRef {
  const m = value.length <= 170 ? FUNCTION_REF.exec(value) : null;
  if (!m) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
      400,
    );
  }
  return { region: m[1], accountId: m[2], name: m[3]!, qualifier: m[4] };
}

/** Lambda's LastModified format: `2024-05-01T12:00:00.000+0000`. */
export function lambdaTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export interface ConfigurationView {
  /** What the response reports as State / LastUpdateStatus: creation and updates answer as AWS does in their own response. */
  state?: 'Pending' | 'Active';
  lastUpdateStatus?: 'InProgress' | 'Successful';
}

/** `FunctionConfiguration` as GetFunctionConfiguration returns it. */
export function toConfiguration(fn: FunctionRecord, view: ConfigurationView = {}): Record<string, unknown> {
  const state = view.state ?? 'Active';
  const lastUpdateStatus = view.lastUpdateStatus ?? 'Successful';
  return {
    FunctionName: fn.name,
    FunctionArn: functionArn(fn),
    Runtime: fn.runtime,
    Role: fn.role,
    Handler: fn.handler,
    CodeSize: fn.codeSize,
    Description: fn.description,
    Timeout: fn.timeout,
    MemorySize: fn.memorySize,
    LastModified: lambdaTimestamp(fn.lastModified),
    CodeSha256: fn.codeSha256,
    Version: LATEST,
    Environment: Object.keys(fn.environment).length > 0 ? { Variables: { ...fn.environment } } : undefined,
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: fn.revisionId,
    State: state,
    StateReason: state === 'Pending' ? 'The function is being created.' : undefined,
    StateReasonCode: state === 'Pending' ? 'Creating' : undefined,
    LastUpdateStatus: lastUpdateStatus,
    LastUpdateStatusReason: lastUpdateStatus === 'InProgress' ? 'The function is being updated.' : undefined,
    LastUpdateStatusReasonCode: lastUpdateStatus === 'InProgress' ? 'InProgress' : undefined,
    PackageType: 'Zip',
    Architectures: [...fn.architectures],
    EphemeralStorage: { Size: fn.ephemeralStorage },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    RuntimeVersionConfig: { RuntimeVersionArn: runtimeVersionArn(fn) },
    LoggingConfig: loggingConfigOutput(loggingOf(fn)),
  };
}

/** Members ListFunctions leaves out ("use GetFunction for State, LastUpdateStatus, RuntimeVersionConfig…"). */
const NOT_LISTED = [
  'State',
  'StateReason',
  'StateReasonCode',
  'LastUpdateStatus',
  'LastUpdateStatusReason',
  'LastUpdateStatusReasonCode',
  'RuntimeVersionConfig',
];

/** `FunctionConfiguration` as ListFunctions returns it: AWS's subset. */
export function toListedConfiguration(fn: FunctionRecord): Record<string, unknown> {
  const c = toConfiguration(fn);
  for (const k of NOT_LISTED) delete c[k];
  return c;
}

export function functionNotFound(arn: string): AwsError {
  return new AwsError('ResourceNotFoundException', `Function not found: ${arn}`, 404);
}
