/**
 * Names and tags of everything the course creates (design §3): `course-<demo>-<run>-<part>`, buckets
 * also carry the account id (bucket names are global), and three tags that teardown checks before
 * deleting anything. A name that breaks a service's rules is a bug in the demo, so it is an error,
 * never silently truncated (truncation could make two parts collide).
 */
import { randomBytes } from 'node:crypto';
import { InvalidResourceNameError } from './errors.js';
import type { ResourceKind } from './resourceTypes.js';

export const TAG_DEMO = 'course:demo';
export const TAG_RUN = 'course:run';
export const TAG_MANAGED_BY = 'course:managed-by';
export const MANAGED_BY = 'course-cli';

const RUN_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const RUN_ID_PATTERN = /^[a-z0-9]{6}$/;

/** A short random run id: 6 lower-case letters and digits. */
export function newRunId(): string {
  let id = '';
  for (const b of randomBytes(6)) id += RUN_ID_ALPHABET[b % RUN_ID_ALPHABET.length];
  return id;
}

/** Length limit and allowed characters per kind (AWS's rules). */
const RULES: Record<
  Exclude<ResourceKind, 'log-group' | 'lambda-permission'>,
  { max: number; re: RegExp; text: string }
> = {
  's3-bucket': {
    max: 63,
    re: /^[a-z0-9][a-z0-9-]*[a-z0-9]$/,
    text: 'bucket names use lower-case letters, digits and hyphens, at most 63 characters',
  },
  'iam-role': {
    max: 64,
    re: /^[\w+=,.@-]+$/,
    text: 'role names use letters, digits and +=,.@_-, at most 64 characters',
  },
  'lambda-function': {
    max: 64,
    re: /^[A-Za-z0-9_-]+$/,
    text: 'function names use letters, digits, hyphens and underscores, at most 64 characters',
  },
  'events-rule': {
    max: 64,
    re: /^[.\-_A-Za-z0-9]+$/,
    text: 'rule names use letters, digits and .-_, at most 64 characters',
  },
  'state-machine': {
    max: 80,
    re: /^[A-Za-z0-9_-]+$/,
    text: 'state machine names use letters, digits, hyphens and underscores, at most 80 characters',
  },
  alarm: {
    max: 255,
    re: /^[A-Za-z0-9._-]+$/,
    text: 'alarm names here use letters, digits and ._-, at most 255 characters',
  },
  'metric-filter': {
    max: 512,
    re: /^[A-Za-z0-9._/-]+$/,
    text: 'metric filter names here use letters, digits and ._/-, at most 512 characters',
  },
  // The API documents no pattern for policyName; the course keeps to a safe subset.
  'log-resource-policy': {
    max: 255,
    re: /^[A-Za-z0-9._-]+$/,
    text: 'resource policy names here use letters, digits and ._-, at most 255 characters',
  },
};

export interface NameContext {
  demo: string;
  runId: string;
  accountId: string;
}

/** The physical name of a resource of `kind` for `part` in this run. */
export function resourceName(kind: ResourceKind, part: string, ctx: NameContext): string {
  if (kind === 'log-group') {
    // Log groups follow service conventions (`/aws/lambda/<fn>`); the demo passes the full name.
    return part;
  }
  if (kind === 'lambda-permission') return part; // a statement id, scoped to its function
  const name =
    kind === 's3-bucket'
      ? `course-${ctx.demo}-${ctx.runId}-${ctx.accountId}-${part}`.toLowerCase()
      : `course-${ctx.demo}-${ctx.runId}-${part}`;
  const rule = RULES[kind];
  if (name.length > rule.max || !rule.re.test(name) || (kind === 's3-bucket' && name.includes('--'))) {
    throw new InvalidResourceNameError(kind, name, rule.text);
  }
  return name;
}

/** The prefix every name of this run starts with (buckets add the account id after it). */
export function runPrefix(demo: string, runId: string): string {
  return `course-${demo}-${runId}-`;
}

/** The three tags as a plain map. */
export function courseTags(demo: string, runId: string): Record<string, string> {
  return { [TAG_DEMO]: demo, [TAG_RUN]: runId, [TAG_MANAGED_BY]: MANAGED_BY };
}

/** Whether a resource's tags say it belongs to this demo run. */
export function tagsMatch(tags: Record<string, string> | undefined, demo: string, runId: string): boolean {
  return !!tags && tags[TAG_MANAGED_BY] === MANAGED_BY && tags[TAG_DEMO] === demo && tags[TAG_RUN] === runId;
}

/** Why a tag set is not ours, in a few words (for ResourceConflictError and teardown reports). */
export function describeTagMismatch(tags: Record<string, string> | undefined, runId: string): string {
  if (!tags || Object.keys(tags).length === 0) return 'it has no tags';
  if (tags[TAG_MANAGED_BY] !== MANAGED_BY) return 'it is not tagged as managed by course-cli';
  if (tags[TAG_RUN] !== runId) return `it is tagged for run ${tags[TAG_RUN] ?? '(none)'}, not ${runId}`;
  return `it is tagged for demo ${tags[TAG_DEMO] ?? '(none)'}`;
}

export function tagList(tags: Record<string, string>): Array<{ Key: string; Value: string }> {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

export function tagMap(list: Array<{ Key?: string; Value?: string }> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of list ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}
