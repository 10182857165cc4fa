/**
 * Validation of CreateFunction / UpdateFunctionConfiguration members in Lambda's own words:
 * runtimes, role, handler, timeout, memory, environment variables, tags.
 */
import { AwsError } from '../errors.js';
import type { IamDirectory } from '../contracts.js';
import { Validator } from '../validate.js';
import { SUPPORTED_RUNTIMES } from './model.js';
import { dictionary } from '../dictionary.js';

const ROLE_PATTERN = /^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-/]+$/;
const RESERVED_ENV_KEYS = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

export interface ConfigMembers {
  runtime?: string;
  role?: string;
  handler?: string;
  description?: string;
  timeout?: number;
  memorySize?: number;
  ephemeralStorage?: number;
  architectures?: string[];
  environment?: Record<string, string>;
}

/** Members shared by CreateFunction and UpdateFunctionConfiguration; `creating` makes some required. */
export function readConfigMembers(input: Record<string, unknown>, creating: boolean): ConfigMembers {
  const v = new Validator(input);
  const runtime = v.string('Runtime');
  const role = v.string('Role', {
    required: creating,
    pattern: ROLE_PATTERN,
    patternText: 'arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+',
  });
  const handler = v.string('Handler', { max: 128, pattern: /^[^\s]+$/, patternText: '[^\\s]+' });
  const description = v.string('Description', { max: 256 });
  const timeout = v.number('Timeout', { min: 1, max: 900, integer: true });
  const memorySize = v.number('MemorySize', { min: 128, max: 10240, integer: true });
  const storage = v.object<{ Size?: unknown }>('EphemeralStorage');
  const architectures = v.list<string>('Architectures', { min: 1, max: 1 });
  const env = v.object<{ Variables?: unknown }>('Environment');
  v.check();

  if (creating && runtime === undefined) {
    throw new AwsError(
      'InvalidParameterValueException',
      'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
      400,
    );
  }
  if (creating && handler === undefined) {
    throw new AwsError(
      'InvalidParameterValueException',
      'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
      400,
    );
  }
  if (runtime !== undefined) checkRuntime(runtime);
  if (architectures && !['x86_64', 'arm64'].includes(architectures[0] ?? '')) {
    const av = new Validator({ Architectures: architectures });
    av.addFailure(
      architectures,
      'architectures',
      'Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]',
    );
    av.check();
  }
  let ephemeralStorage: number | undefined;
  if (storage) {
    const sv = new Validator(storage as Record<string, unknown>);
    ephemeralStorage = sv.number('Size', { required: true, min: 512, max: 10240, integer: true });
    sv.check();
  }
  const environment = env ? readVariables(env.Variables) : undefined;
  return {
    runtime,
    role,
    handler,
    description,
    timeout,
    memorySize,
    ephemeralStorage,
    architectures,
    environment,
  };
}

function checkRuntime(runtime: string): void {
  if ((SUPPORTED_RUNTIMES as readonly string[]).includes(runtime)) return;
  const node = /^nodejs(\d+)\.x$/.exec(runtime);
  if (node && Number(node[1]) < 22) {
    throw new AwsError(
      'InvalidParameterValueException',
      `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime (nodejs22.x or nodejs24.x) while creating or updating functions.`,
      400,
    );
  }
  throw new AwsError(
    'InvalidParameterValueException',
    `The runtime parameter of ${runtime} is not supported by the course sandbox. Use nodejs22.x or nodejs24.x.`,
    400,
  );
}

function readVariables(raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return dictionary();
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new AwsError(
      'SerializationException',
      "Start of structure or map found where not expected at 'Environment.Variables'",
      400,
    );
  }
  const vars = dictionary<string>();
  const v = new Validator({});
  for (const [k, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!/^[a-zA-Z]([a-zA-Z0-9_])+$/.test(k)) {
      v.addFailure(
        k,
        'environment.variables',
        'Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]',
      );
    }
    vars[k] = typeof value === 'string' ? value : String(value);
  }
  v.check();
  const reserved = Object.keys(vars).filter((k) => RESERVED_ENV_KEYS.has(k));
  if (reserved.length > 0) {
    throw new AwsError(
      'InvalidParameterValueException',
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
      400,
    );
  }
  const size = Buffer.byteLength(JSON.stringify(vars));
  if (size > 4096) {
    throw new AwsError(
      'InvalidParameterValueException',
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${JSON.stringify(vars)}`,
      400,
    );
  }
  return vars;
}

/** The role must exist and trust lambda.amazonaws.com, as Lambda checks by assuming it. */
export function checkRoleAssumable(iam: IamDirectory, role: string): void {
  if (!iam.findRoleByArn(role) || !iam.roleTrustsService(role, 'lambda.amazonaws.com')) {
    throw new AwsError(
      'InvalidParameterValueException',
      'The role defined for the function cannot be assumed by Lambda.',
      400,
    );
  }
}

export function readTags(raw: unknown, member = 'Tags'): Record<string, string> {
  if (raw === undefined || raw === null) return dictionary();
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new AwsError(
      'SerializationException',
      `Start of structure or map found where not expected at '${member}'`,
      400,
    );
  }
  const tags = dictionary<string>();
  for (const [k, value] of Object.entries(raw as Record<string, unknown>)) {
    if (k.length < 1 || k.length > 128 || k.toLowerCase().startsWith('aws:')) {
      throw new AwsError('InvalidParameterValueException', `The tag key '${k}' is not valid.`, 400);
    }
    tags[k] = String(value ?? '');
  }
  if (Object.keys(tags).length > 50) {
    throw new AwsError('InvalidParameterValueException', 'A resource can have at most 50 tags.', 400);
  }
  return tags;
}

/** `Code.ZipFile` (base64 in JSON) as bytes; other code sources are not available in the sandbox. */
export function readZipFile(code: unknown): Buffer {
  const c = (code ?? {}) as Record<string, unknown>;
  if (typeof c.ZipFile === 'string' && c.ZipFile.length > 0) return Buffer.from(c.ZipFile, 'base64');
  if (c.S3Bucket !== undefined || c.ImageUri !== undefined) {
    throw new AwsError(
      'InvalidParameterValueException',
      'The course sandbox accepts function code as ZipFile only (S3Bucket/S3Key and ImageUri are not supported).',
      400,
    );
  }
  throw new AwsError('InvalidParameterValueException', 'Please provide a source for function code.', 400);
}
