/**
 * Render a recorded SDK call as the AWS CLI v2 command that does the same thing, for the HOW
 * narration and "show details". Top-level scalars become `--kebab-flag value`, structures and lists
 * become JSON arguments (the CLI accepts JSON for any non-scalar parameter), binary members become
 * `fileb://` placeholders. Very long inputs fall back to `--cli-input-json` with long strings cut.
 */
import type { RecordedCall } from './types.js';

/** SDK service id → AWS CLI service name. */
const CLI_SERVICE: Record<string, string> = {
  S3: 's3api',
  IAM: 'iam',
  STS: 'sts',
  Lambda: 'lambda',
  EventBridge: 'events',
  SFN: 'stepfunctions',
  'CloudWatch Logs': 'logs',
  CloudWatch: 'cloudwatch',
};

/** Placeholder file names for binary members, by member name. */
const BINARY_FILE: Record<string, string> = {
  ZipFile: 'function.zip',
  Body: 'body.bin',
  Payload: 'payload.json',
};

/** Operations whose CLI form needs an output file as a positional argument. */
const OUTFILE_OPS: Record<string, string> = {
  'S3.GetObject': 'object.out',
  'Lambda.Invoke': 'response.json',
};

/** The AWS CLI's name for an SDK service id; undefined for a service the course does not use. */
export function cliServiceName(sdkServiceId: string): string | undefined {
  return CLI_SERVICE[sdkServiceId];
}

const MAX_VALUE = 240;
const MAX_COMMAND = 1600;

/** botocore's `xform_name`: `ListObjectsV2` → `list-objects-v2`, `SSECustomerKey` → `sse-customer-key`. */
export function kebab(name: string): string {
  return name
    .replace(/(.)([A-Z][a-z]+)/g, '$1-$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
}

/** Quote for a POSIX shell when needed. */
export function shellQuote(value: string): string {
  if (value !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function truncate(s: string, max = MAX_VALUE): string {
  return s.length <= max ? s : `${s.slice(0, max)}…(${s.length - max} more chars)`;
}

function isBinaryPlaceholder(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith('<binary ');
}

/** JSON with long strings cut, for display. */
function compactJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'string' ? truncate(v) : v));
}

function flagValue(member: string, value: unknown, parts: string[]): void {
  const flag = `--${kebab(member)}`;
  if (isBinaryPlaceholder(value)) {
    parts.push(flag, `fileb://${BINARY_FILE[member] ?? `${kebab(member)}.bin`}`);
  } else if (typeof value === 'boolean') {
    parts.push(value ? flag : `--no-${kebab(member)}`);
  } else if (typeof value === 'string') {
    parts.push(flag, shellQuote(truncate(value)));
  } else if (typeof value === 'number' || typeof value === 'bigint') {
    parts.push(flag, String(value));
  } else if (value instanceof Date) {
    parts.push(flag, value.toISOString());
  } else if (value !== undefined && value !== null) {
    parts.push(flag, shellQuote(compactJson(value)));
  }
}

/**
 * The CLI line for one call. `extra` holds trailing global options for the target (e.g.
 * `--endpoint-url http://127.0.0.1:40123`, `--profile dev`).
 */
export function toCliCommand(call: RecordedCall, extra: string[] = []): string {
  const service = cliServiceName(call.service) ?? call.service.toLowerCase().replace(/\s+/g, '');
  const op = kebab(call.operation);
  const input = (typeof call.input === 'object' && call.input !== null ? call.input : {}) as Record<
    string,
    unknown
  >;
  const parts = ['aws', service, op];
  const opKey = `${call.service}.${call.operation}`;
  let entries = Object.entries(input).filter(([, v]) => v !== undefined);
  // create-function has a shorthand for the zip: --zip-file fileb://function.zip
  const code = input.Code as Record<string, unknown> | undefined;
  if (
    opKey === 'Lambda.CreateFunction' &&
    code &&
    isBinaryPlaceholder(code.ZipFile) &&
    Object.keys(code).length === 1
  ) {
    entries = entries.map(([k, v]) => (k === 'Code' ? ['ZipFile', code.ZipFile] : [k, v]));
  }

  // Lambda.Invoke with a text payload: the CLI wants raw-in-base64-out to take JSON inline.
  if (opKey === 'Lambda.Invoke' && typeof input.Payload === 'string' && !isBinaryPlaceholder(input.Payload)) {
    parts.push('--cli-binary-format', 'raw-in-base64-out');
  }
  for (const [member, value] of entries) flagValue(member, value, parts);
  if (OUTFILE_OPS[opKey]) parts.push(OUTFILE_OPS[opKey]);
  parts.push(...extra);

  const line = parts.join(' ');
  if (line.length <= MAX_COMMAND) return line;
  // Too long to read as flags: the general form, with long strings cut.
  const general = ['aws', service, op, '--cli-input-json', shellQuote(compactJson(input))];
  if (OUTFILE_OPS[opKey]) general.push(OUTFILE_OPS[opKey]);
  general.push(...extra);
  const text = general.join(' ');
  return text.length <= MAX_COMMAND * 2 ? text : `${text.slice(0, MAX_COMMAND * 2)}…`;
}
