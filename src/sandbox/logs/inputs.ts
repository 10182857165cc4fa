/** Input rules shared by the CloudWatch Logs operations, in the service's own wording. */
import { AwsError } from '../errors.js';
import { Validator, type StringRule } from '../validate.js';
import { dictionary } from '../dictionary.js';

export const LogRules = {
  groupName: { min: 1, max: 512, pattern: /^[.\-_/#A-Za-z0-9]+$/, patternText: '[\\.\\-_/#A-Za-z0-9]+' },
  groupIdentifier: { min: 1, max: 2048, pattern: /^[\w#+=/:,.@-]*$/, patternText: '[\\w#+=/:,.@-]*' },
  streamName: { min: 1, max: 512, pattern: /^[^:*]*$/, patternText: '[^:*]*' },
  nextToken: { min: 1 },
} satisfies Record<string, StringRule>;

export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** CloudWatch Logs reports member validation failures as InvalidParameterException. */
export function logsValidator(input: Record<string, unknown>): Validator {
  return new Validator(input, 'InvalidParameterException');
}

export function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterException', message, 400);
}

/**
 * The group a request names, by `logGroupName` or `logGroupIdentifier` (a name or an ARN, with or
 * without the trailing `:*`). Exactly one must be given.
 */
export function groupNameOf(v: Validator, required = true): string {
  const name = v.string('logGroupName', LogRules.groupName);
  const identifier = v.string('logGroupIdentifier', LogRules.groupIdentifier);
  v.check();
  if (name !== undefined && identifier !== undefined) {
    throw invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  }
  if (identifier !== undefined) {
    const m = /^arn:aws[\w-]*:logs:[^:]*:\d*:log-group:([^:]+)(:\*)?$/.exec(identifier);
    return m ? m[1]! : identifier;
  }
  if (name === undefined && required) {
    throw invalidParameter('Either LogGroupName or LogGroupIdentifier must be provided.');
  }
  return name ?? '';
}

const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** A `tags` map member, validated as CloudWatch Logs validates tags. */
export function tagsOf(v: Validator, member: string, required = false): Record<string, string> | undefined {
  const tags = v.object<Record<string, unknown>>(member, required);
  if (!tags) return undefined;
  const entries = Object.entries(tags);
  if (entries.length < 1) v.addFailure(tags, member, 'Member must have length greater than or equal to 1');
  if (entries.length > 50) v.addFailure(tags, member, 'Member must have length less than or equal to 50');
  const out = dictionary<string>();
  for (const [k, val] of entries) {
    if (typeof val !== 'string') {
      throw new AwsError('SerializationException', `STRING_VALUE can not be converted to a String`, 400);
    }
    if (k.length < 1 || k.length > 128 || !TAG_KEY.test(k)) {
      v.addFailure(
        k,
        `${member}.key`,
        'Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$',
      );
    }
    if (val.length > 256 || !TAG_VALUE.test(val)) {
      v.addFailure(
        val,
        `${member}.${k}.member`,
        'Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$',
      );
    }
    out[k] = val;
  }
  return out;
}

/** Opaque paging tokens: the sort key of the next item. */
export function encodeToken(key: string): string {
  return Buffer.from(`n:${key}`).toString('base64url');
}

export function decodeToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const decoded = Buffer.from(token, 'base64url').toString('utf8');
  if (!decoded.startsWith('n:')) throw invalidParameter('The specified nextToken is invalid.');
  return decoded.slice(2);
}
