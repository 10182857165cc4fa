/**
 * Reading a fault profile from what a person typed: a built-in name (`aws-like`), a built-in name
 * with a seed to replay (`aws-like:1234`), or a JSON file. Everything is checked before use; the
 * first problem becomes one `FaultProfileError` line naming where it is and what is accepted.
 */
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  BUILTIN_PROFILE_NAMES,
  builtinProfile,
  isBuiltinProfileName,
  type BuiltinProfileName,
} from './builtinProfiles.js';
import type { FaultProfile, RequestFaultRates, ServiceFaultOverride } from './profile.js';

/** A profile that cannot be used. The message is one line, meant for the command line. */
export class FaultProfileError extends Error {
  override readonly name = 'FaultProfileError';
}

/** Signing names the sandbox serves, and the AWS CLI's names for the two that differ. */
const SERVICE_NAMES: ReadonlyMap<string, string> = new Map([
  ['s3', 's3'],
  ['iam', 'iam'],
  ['sts', 'sts'],
  ['lambda', 'lambda'],
  ['logs', 'logs'],
  ['events', 'events'],
  ['states', 'states'],
  ['stepfunctions', 'states'],
  ['monitoring', 'monitoring'],
  ['cloudwatch', 'monitoring'],
]);

const MAX_SEED = 2 ** 32 - 1;
const MAX_LATENCY_MS = 30_000;
const MAX_DELAY_SECONDS = 3600;
const MAX_FILE_BYTES = 256 * 1024;
const OPERATION_NAME = /^[A-Z][A-Za-z0-9]{1,63}$/;

const RATE_KEYS = ['throttling', 'serverErrors', 'latencyMs', 'jitterMs'] as const;
const TOP_KEYS = [
  'extends',
  'seed',
  ...RATE_KEYS,
  'roleSessions',
  'iamPropagationSeconds',
  'lambdaPendingSeconds',
  'ruleDelaySeconds',
  'metricDelaySeconds',
  'services',
] as const;

/** A random seed, for a profile that names none. */
function drawSeed(): number {
  return randomInt(1, MAX_SEED);
}

/**
 * The profile `spec` names. `cwd` resolves a relative file path; `seed` (tests) replaces the random
 * draw when neither the spec nor the file gives one.
 */
export function loadFaultProfile(spec: string, opts: { cwd?: string; seed?: number } = {}): FaultProfile {
  const trimmed = spec.trim();
  const named = /^([a-z][a-z-]*)(?::(\d+))?$/.exec(trimmed);
  if (named && !trimmed.endsWith('.json')) {
    const [, name, seedText] = named;
    if (!isBuiltinProfileName(name!)) {
      throw new FaultProfileError(
        `unknown fault profile "${name}": use ${BUILTIN_PROFILE_NAMES.join(', ')}, or a path to a .json file.`,
      );
    }
    if (seedText !== undefined) return builtinProfile(name, parseSeed(seedText, `"${trimmed}"`), false);
    return withSeed(name, undefined, opts.seed);
  }
  if (trimmed === '') {
    throw new FaultProfileError(
      `empty fault profile: use ${BUILTIN_PROFILE_NAMES.join(', ')}, or a .json file.`,
    );
  }
  return readProfileFile(path.resolve(opts.cwd ?? process.cwd(), trimmed), trimmed, opts.seed);
}

function withSeed(name: BuiltinProfileName, seed: number | undefined, fallback: number | undefined) {
  if (seed !== undefined) return builtinProfile(name, seed, false);
  return builtinProfile(name, fallback ?? drawSeed(), true);
}

function parseSeed(text: string, where: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > MAX_SEED) {
    throw new FaultProfileError(`${where}: the seed must be a whole number from 0 to ${MAX_SEED}.`);
  }
  return n;
}

function readProfileFile(file: string, shown: string, fallbackSeed: number | undefined): FaultProfile {
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new FaultProfileError(`fault profile ${shown} is not a file.`);
    if (stat.size > MAX_FILE_BYTES) {
      throw new FaultProfileError(`fault profile ${shown} is larger than ${MAX_FILE_BYTES / 1024} KiB.`);
    }
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof FaultProfileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new FaultProfileError(
      code === 'ENOENT'
        ? `fault profile "${shown}" is neither a built-in (${BUILTIN_PROFILE_NAMES.join(', ')}) nor an existing file.`
        : `cannot read fault profile ${shown} (${code ?? (err as Error).message}).`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new FaultProfileError(`fault profile ${shown} is not valid JSON (${(err as Error).message}).`);
  }
  return profileFromJson(json, shown, fallbackSeed);
}

/** A profile from parsed JSON (exported for tests); `source` names it in messages and as its name. */
export function profileFromJson(json: unknown, source: string, fallbackSeed?: number): FaultProfile {
  const where = (key: string): string => `fault profile ${source}: ${key}`;
  const obj = asObject(json, `fault profile ${source}`, TOP_KEYS);
  let base: BuiltinProfileName = 'none';
  if (obj.extends !== undefined) {
    if (typeof obj.extends !== 'string' || !isBuiltinProfileName(obj.extends)) {
      throw new FaultProfileError(`${where('extends')} must be one of ${BUILTIN_PROFILE_NAMES.join(', ')}.`);
    }
    base = obj.extends;
  }
  const seed =
    obj.seed === undefined ? undefined : parseSeed(numberText(obj.seed, where('seed')), where('seed'));
  const profile = withSeed(base, seed, fallbackSeed);
  profile.name = source;
  profile.rates = { ...profile.rates, ...rates(obj, where) };
  checkBands(profile.rates, where('throttling + serverErrors'));
  if (obj.roleSessions !== undefined) {
    if (typeof obj.roleSessions !== 'boolean') {
      throw new FaultProfileError(`${where('roleSessions')} must be true or false.`);
    }
    profile.roleSessions = obj.roleSessions;
  }
  for (const key of [
    'iamPropagationSeconds',
    'lambdaPendingSeconds',
    'ruleDelaySeconds',
    'metricDelaySeconds',
  ] as const) {
    if (obj[key] !== undefined) profile[key] = bounded(obj[key], where(key), 0, MAX_DELAY_SECONDS);
  }
  if (obj.services !== undefined) profile.services = services(obj.services, profile.rates, where);
  return profile;
}

function services(
  value: unknown,
  base: RequestFaultRates,
  where: (key: string) => string,
): Map<string, ServiceFaultOverride> {
  const out = new Map<string, ServiceFaultOverride>();
  const table = asObject(value, where('services'));
  for (const key of Object.keys(table)) {
    const service = SERVICE_NAMES.get(key);
    if (!service) {
      throw new FaultProfileError(
        `${where(`services.${key}`)}: unknown service; use one of ${[...SERVICE_NAMES.keys()].join(', ')}.`,
      );
    }
    const at = (k: string): string => where(`services.${key}${k ? `.${k}` : ''}`);
    const entry = asObject(table[key], at(''), [...RATE_KEYS, 'operations']);
    const override: ServiceFaultOverride = { rates: rates(entry, at), operations: new Map() };
    checkBands({ ...base, ...override.rates }, at('throttling + serverErrors'));
    if (entry.operations !== undefined) {
      const ops = asObject(entry.operations, at('operations'));
      for (const op of Object.keys(ops)) {
        if (!OPERATION_NAME.test(op)) {
          throw new FaultProfileError(
            `${at(`operations.${op}`)}: not an operation name (spelled as AWS does, e.g. CreateFunction).`,
          );
        }
        const opAt = (k: string): string => at(`operations.${op}${k ? `.${k}` : ''}`);
        const opRates = rates(asObject(ops[op], opAt(''), RATE_KEYS), opAt);
        checkBands({ ...base, ...override.rates, ...opRates }, opAt('throttling + serverErrors'));
        override.operations.set(op, opRates);
      }
    }
    const existing = out.get(service);
    if (existing) {
      throw new FaultProfileError(`${at('')}: the same service is named twice (${service}).`);
    }
    out.set(service, override);
  }
  return out;
}

function rates(obj: Record<string, unknown>, where: (key: string) => string): Partial<RequestFaultRates> {
  const out: Partial<RequestFaultRates> = {};
  if (obj.throttling !== undefined) out.throttling = fraction(obj.throttling, where('throttling'));
  if (obj.serverErrors !== undefined) out.serverErrors = fraction(obj.serverErrors, where('serverErrors'));
  if (obj.latencyMs !== undefined)
    out.latencyMs = bounded(obj.latencyMs, where('latencyMs'), 0, MAX_LATENCY_MS);
  if (obj.jitterMs !== undefined) out.jitterMs = bounded(obj.jitterMs, where('jitterMs'), 0, MAX_LATENCY_MS);
  return out;
}

/** Throttling and server errors are drawn from one roll, so together they cannot exceed 1. */
function checkBands(r: RequestFaultRates, where: string): void {
  if (r.throttling + r.serverErrors > 1) {
    throw new FaultProfileError(`${where} is more than 1 (${r.throttling} + ${r.serverErrors}).`);
  }
}

function fraction(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new FaultProfileError(`${where} must be a fraction from 0 to 1 (0.1 means 10% of requests).`);
  }
  return value;
}

function bounded(value: unknown, where: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new FaultProfileError(`${where} must be a number from ${min} to ${max}.`);
  }
  return value;
}

function numberText(value: unknown, where: string): string {
  if (typeof value !== 'number') throw new FaultProfileError(`${where} must be a number.`);
  return String(value);
}

function asObject(
  value: unknown,
  where: string,
  allowed?: readonly string[],
): Record<string, unknown> & { [k: string]: unknown } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new FaultProfileError(`${where} must be a JSON object.`);
  }
  const obj = value as Record<string, unknown>;
  if (allowed) {
    const unknown = Object.keys(obj).find((k) => !allowed.includes(k));
    if (unknown !== undefined) {
      throw new FaultProfileError(`${where}: unknown setting "${unknown}"; allowed: ${allowed.join(', ')}.`);
    }
  }
  return obj;
}

/** The signing name a profile's service key stands for (`stepfunctions` → `states`). */
export function signingNameOf(serviceKey: string): string | undefined {
  return SERVICE_NAMES.get(serviceKey);
}
