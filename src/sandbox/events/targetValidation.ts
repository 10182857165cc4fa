/**
 * PutTargets' validation, as AWS does it: every problem with a target is a request error
 * (ValidationException, HTTP 400, nothing stored) — the model's member constraints first, all of
 * them in one `N validation errors detected` message, then the service's own rules one at a time,
 * e.g. "RoleArn is required for target arn:aws:states:…". FailedEntries is for what goes wrong
 * while storing an otherwise valid target (AWS names concurrent modification), which the sandbox
 * never meets.
 */
import { CommonErrors } from '../errors.js';
import type { Validator } from '../validate.js';
import { parseJsonPath, JsonPathError } from './inputTransform.js';
import type { TargetRecord } from './model.js';

type Raw = Record<string, unknown>;

const ID = /^[.\-_A-Za-z0-9]+$/;
const ARN = /^arn:aws[\w-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+$/;
/** Targets EventBridge can only reach by assuming the target's role (AWS's list, as far as the sandbox goes). */
const NEEDS_ROLE = new Set(['states', 'kinesis', 'codebuild', 'codepipeline', 'batch', 'ecs', 'ssm']);
const COPIED = [
  'RoleArn',
  'Input',
  'InputPath',
  'InputTransformer',
  'RetryPolicy',
  'DeadLetterConfig',
] as const;

function str(v: Validator, value: unknown, member: string, min: number, max: number, required = false): void {
  if (value === undefined || value === null) {
    if (required) v.addFailure(value, member, 'Member must not be null');
    return;
  }
  if (typeof value !== 'string') {
    v.addFailure(value, member, 'Member must be a string');
    return;
  }
  if (value.length < min)
    v.addFailure(value, member, `Member must have length greater than or equal to ${min}`);
  if (value.length > max) v.addFailure(value, member, `Member must have length less than or equal to ${max}`);
}

function num(v: Validator, value: unknown, member: string, min: number, max: number): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    v.addFailure(value, member, 'Member must be an integer');
    return;
  }
  if (value < min) v.addFailure(value, member, `Member must have value greater than or equal to ${min}`);
  if (value > max) v.addFailure(value, member, `Member must have value less than or equal to ${max}`);
}

/** The model's constraints on one target, reported into `v` as `targets.<n>.member.<field>`. */
export function checkTargetMembers(v: Validator, raw: unknown, n: number): void {
  const at = `targets.${n}.member`;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    v.addFailure(raw, at, 'Member must not be null');
    return;
  }
  const t = raw as Raw;
  str(v, t.Id, `${at}.id`, 1, 64, true);
  if (typeof t.Id === 'string' && !ID.test(t.Id)) {
    v.addFailure(t.Id, `${at}.id`, 'Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+');
  }
  str(v, t.Arn, `${at}.arn`, 1, 1600, true);
  str(v, t.RoleArn, `${at}.roleArn`, 1, 1600);
  str(v, t.Input, `${at}.input`, 0, 8192);
  str(v, t.InputPath, `${at}.inputPath`, 0, 256);
  const transformer = t.InputTransformer as Raw | undefined;
  if (transformer !== undefined && transformer !== null) {
    str(v, transformer.InputTemplate, `${at}.inputTransformer.inputTemplate`, 1, 8192, true);
  }
  const retry = t.RetryPolicy as Raw | undefined;
  if (retry !== undefined && retry !== null) {
    num(v, retry.MaximumRetryAttempts, `${at}.retryPolicy.maximumRetryAttempts`, 0, 185);
    num(v, retry.MaximumEventAgeInSeconds, `${at}.retryPolicy.maximumEventAgeInSeconds`, 60, 86400);
  }
}

/** The service's rules for one target (its members already valid); returns what to store. */
export function checkTargetRules(raw: Raw): TargetRecord {
  const arn = raw.Arn as string;
  if (!ARN.test(arn)) {
    throw CommonErrors.validation(
      `Parameter ${arn} is not valid. Reason: Provided Arn is not in correct format.`,
    );
  }
  const given = ['Input', 'InputPath', 'InputTransformer'].filter(
    (k) => raw[k] !== undefined && raw[k] !== null,
  );
  if (given.length > 1) {
    throw CommonErrors.validation('Only one of Input, InputPath, or InputTransformer must be provided.');
  }
  if (typeof raw.Input === 'string') {
    try {
      JSON.parse(raw.Input);
    } catch {
      throw CommonErrors.validation('Input is not valid JSON text.');
    }
  }
  const paths: string[] = typeof raw.InputPath === 'string' ? [raw.InputPath] : [];
  const transformer = raw.InputTransformer as TargetRecord['InputTransformer'] | undefined;
  for (const [k, p] of Object.entries(transformer?.InputPathsMap ?? {})) {
    if (k.startsWith('aws.')) throw CommonErrors.validation(`InputPathsMap key ${k} is reserved.`);
    paths.push(p);
  }
  for (const p of paths) {
    try {
      parseJsonPath(p);
    } catch (err) {
      if (err instanceof JsonPathError) throw CommonErrors.validation(`${p} is not a valid JSONPath.`);
      throw err;
    }
  }
  const service = arn.split(':')[2]!;
  if (NEEDS_ROLE.has(service) && !raw.RoleArn) {
    throw CommonErrors.validation(`RoleArn is required for target ${arn}.`);
  }
  const out: TargetRecord = { Id: raw.Id as string, Arn: arn };
  for (const k of COPIED) if (raw[k] !== undefined && raw[k] !== null) (out as unknown as Raw)[k] = raw[k];
  return out;
}
