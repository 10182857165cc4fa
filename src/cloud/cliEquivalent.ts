/**
 * Render a recorded SDK call as the AWS CLI v2 command that does the same thing, for the HOW
 * narration and "show details". Top-level scalars become `--kebab-flag value`, structures and lists
 * become JSON arguments (the CLI accepts JSON for any non-scalar parameter). Given somewhere to
 * write files, binary members (a function zip, an object body) and long documents (a policy, a
 * state machine definition) are written out and named by their real paths (`fileb://…`,
 * `file://…`), so the command runs as printed; without it they become placeholders and long
 * values are cut. Very long inputs fall back to `--cli-input-json`.
 */
import type { ArtifactFiles } from './callLog.js';
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

/** Members the CLI reads as a plain file path (streaming blobs): no `fileb://` prefix. */
const STREAMING_MEMBERS = new Set(['S3.PutObject.Body', 'S3.UploadPart.Body']);

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

interface FlagContext {
  opKey: string;
  call: RecordedCall;
  artifacts?: ArtifactFiles;
}

/** A JSON document's file name: `policy-document.json`; other text gets `.txt`. */
function textFileName(member: string, value: string): string {
  const json = /^\s*[[{]/.test(value);
  return `${kebab(member)}.${json ? 'json' : 'txt'}`;
}

function flagValue(member: string, value: unknown, parts: string[], ctx: FlagContext, path = member): void {
  const flag = `--${kebab(member)}`;
  const streaming = STREAMING_MEMBERS.has(`${ctx.opKey}.${member}`);
  const bytes = ctx.call.attachments?.[path];
  if (bytes && ctx.artifacts && (isBinaryPlaceholder(value) || streaming)) {
    const file = ctx.artifacts.write(BINARY_FILE[member] ?? `${kebab(member)}.bin`, bytes);
    parts.push(flag, shellQuote(streaming ? file : `fileb://${file}`));
  } else if (isBinaryPlaceholder(value)) {
    parts.push(flag, `fileb://${BINARY_FILE[member] ?? `${kebab(member)}.bin`}`);
  } else if (typeof value === 'boolean') {
    parts.push(value ? flag : `--no-${kebab(member)}`);
  } else if (typeof value === 'string' && value.length > MAX_VALUE && ctx.artifacts) {
    parts.push(flag, shellQuote(`file://${ctx.artifacts.write(textFileName(member, value), value)}`));
  } else if (typeof value === 'string') {
    parts.push(flag, shellQuote(truncate(value)));
  } else if (typeof value === 'number' || typeof value === 'bigint') {
    parts.push(flag, String(value));
  } else if (value instanceof Date) {
    parts.push(flag, value.toISOString());
  } else if (value !== undefined && value !== null) {
    const json = JSON.stringify(value);
    if (json.length > MAX_VALUE && ctx.artifacts) {
      parts.push(flag, shellQuote(`file://${ctx.artifacts.write(`${kebab(member)}.json`, json)}`));
    } else {
      parts.push(flag, shellQuote(compactJson(value)));
    }
  }
}

/**
 * The CLI line for one call. `extra` holds trailing global options for the target (e.g.
 * `--endpoint-url http://127.0.0.1:40123`, `--profile dev`).
 */
export function toCliCommand(call: RecordedCall, extra: string[] = [], artifacts?: ArtifactFiles): string {
  const service = cliServiceName(call.service) ?? call.service.toLowerCase().replace(/\s+/g, '');
  const op = kebab(call.operation);
  const input = (typeof call.input === 'object' && call.input !== null ? call.input : {}) as Record<
    string,
    unknown
  >;
  const parts = ['aws', service, op];
  const opKey = `${call.service}.${call.operation}`;
  let entries: Array<[string, unknown, string?]> = Object.entries(input).filter(([, v]) => v !== undefined);
  // create-function has a shorthand for the zip: --zip-file fileb://function.zip
  const code = input.Code as Record<string, unknown> | undefined;
  if (
    opKey === 'Lambda.CreateFunction' &&
    code &&
    isBinaryPlaceholder(code.ZipFile) &&
    Object.keys(code).length === 1
  ) {
    entries = entries.map(([k, v]) => (k === 'Code' ? ['ZipFile', code.ZipFile, 'Code.ZipFile'] : [k, v]));
  }

  // Lambda.Invoke with a text payload: the CLI wants raw-in-base64-out to take JSON inline.
  if (opKey === 'Lambda.Invoke' && typeof input.Payload === 'string' && !isBinaryPlaceholder(input.Payload)) {
    parts.push('--cli-binary-format', 'raw-in-base64-out');
  }
  const ctx: FlagContext = { opKey, call, artifacts };
  for (const [member, value, at] of entries) flagValue(member, value, parts, ctx, at);
  if (OUTFILE_OPS[opKey]) parts.push(OUTFILE_OPS[opKey]);
  parts.push(...extra);

  const line = parts.join(' ');
  if (line.length <= MAX_COMMAND) return line;
  // Too long to read as flags: the general form (from a file when one can be written).
  const inputArg = artifacts
    ? `file://${artifacts.write(`${op}-input.json`, JSON.stringify(input, null, 2))}`
    : compactJson(input);
  const general = ['aws', service, op, '--cli-input-json', shellQuote(inputArg)];
  if (OUTFILE_OPS[opKey]) general.push(OUTFILE_OPS[opKey]);
  general.push(...extra);
  const text = general.join(' ');
  return text.length <= MAX_COMMAND * 2 ? text : `${text.slice(0, MAX_COMMAND * 2)}…`;
}
