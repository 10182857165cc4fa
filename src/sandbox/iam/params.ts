/**
 * Reading IAM's query parameters in IAM's words: missing or invalid members are reported as
 * `ValidationError` ("1 validation error detected: Value null at 'roleName' failed to satisfy
 * constraint: Member must not be null"), with members named in lowerCamelCase as IAM does.
 */
import { dictionary } from '../dictionary.js';
import { AwsError } from '../errors.js';
import type { QueryStruct, QueryValue } from '../protocols/queryXml.js';
import { Validator, type StringRule } from '../validate.js';

export interface Tag {
  Key: string;
  Value: string;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export class IamParams {
  private readonly validator: Validator;
  /** Member names are the client's: a dictionary, so `__proto__` is a member like any other. */
  private readonly view = dictionary<unknown>();

  constructor(private readonly input: QueryStruct) {
    for (const [k, v] of Object.entries(input)) this.view[lowerFirst(k)] = v;
    this.validator = new Validator(this.view, 'ValidationError');
  }

  private raw(member: string): QueryValue | undefined {
    return this.input[member];
  }

  string(member: string, rule: StringRule = {}): string | undefined {
    const value = this.raw(member);
    if (value !== undefined && typeof value !== 'string') {
      throw new AwsError('InvalidInput', `Parameter ${member} must be a single value.`, 400);
    }
    return this.validator.string(lowerFirst(member), rule);
  }

  /** A required string: recorded as a validation failure when absent, '' returned for convenience. */
  requiredString(member: string, rule: StringRule = {}): string {
    return this.string(member, { ...rule, required: true }) ?? '';
  }

  integer(member: string, rule: { min?: number; max?: number } = {}): number | undefined {
    const value = this.raw(member);
    if (value === undefined) return undefined;
    const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n)) {
      throw new AwsError(
        'ValidationError',
        `Invalid value for parameter ${lowerFirst(member)}: ${String(value)}`,
      );
    }
    const name = lowerFirst(member);
    if (rule.min !== undefined && n < rule.min)
      this.validator.addFailure(n, name, `Member must have value greater than or equal to ${rule.min}`);
    if (rule.max !== undefined && n > rule.max)
      this.validator.addFailure(n, name, `Member must have value less than or equal to ${rule.max}`);
    return n;
  }

  /** A `.member.N` list of strings; a bare `X=` means an empty list. */
  stringList(member: string, required = false): string[] | undefined {
    const value = this.raw(member);
    if (value === undefined) {
      if (required) this.validator.addFailure(null, lowerFirst(member), 'Member must not be null');
      return undefined;
    }
    if (value === '') return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      throw new AwsError('InvalidInput', `Parameter ${member} must be a list of strings.`, 400);
    }
    return value as string[];
  }

  /** `Tags.member.N.Key/Value`, validated as IAM validates tags. */
  tags(member = 'Tags', required = false): Tag[] | undefined {
    const value = this.raw(member);
    const name = lowerFirst(member);
    if (value === undefined) {
      if (required) this.validator.addFailure(null, name, 'Member must not be null');
      return undefined;
    }
    if (value === '') return [];
    if (!Array.isArray(value)) throw new AwsError('InvalidInput', `Parameter ${member} must be a list.`, 400);
    const tags: Tag[] = [];
    value.forEach((item, i) => {
      const struct = typeof item === 'object' && !Array.isArray(item) ? item : {};
      const key = typeof struct.Key === 'string' ? struct.Key : undefined;
      const val = typeof struct.Value === 'string' ? struct.Value : undefined;
      const where = `${name}.${i + 1}.member`;
      if (key === undefined) this.validator.addFailure(null, `${where}.key`, 'Member must not be null');
      else if (key.length < 1 || key.length > 128)
        this.validator.addFailure(key, `${where}.key`, 'Member must have length between 1 and 128');
      else if (!TAG_KEY.test(key))
        this.validator.addFailure(
          key,
          `${where}.key`,
          'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+',
        );
      if (val === undefined) this.validator.addFailure(null, `${where}.value`, 'Member must not be null');
      else if (val.length > 256)
        this.validator.addFailure(val, `${where}.value`, 'Member must have length less than or equal to 256');
      else if (!TAG_VALUE.test(val))
        this.validator.addFailure(
          val,
          `${where}.value`,
          'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*',
        );
      tags.push({ Key: key ?? '', Value: val ?? '' });
    });
    return tags;
  }

  /** Throw the collected validation failures, if any. */
  check(): void {
    this.validator.check();
  }
}

/** IAM's documented name and path rules, shared by several operations. */
export const IamRules = {
  roleName: { min: 1, max: 64, pattern: /^[\w+=,.@-]+$/, patternText: '[\\w+=,.@-]+' },
  policyName: { min: 1, max: 128, pattern: /^[\w+=,.@-]+$/, patternText: '[\\w+=,.@-]+' },
  path: {
    min: 1,
    max: 512,
    pattern: /^(\/|\/[\u0021-\u007E]+\/)$/,
    patternText: '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)',
  },
  pathPrefix: {
    min: 1,
    max: 512,
    pattern: /^\u002F[\u0021-\u007F]*$/,
    patternText: '\\u002F[\\u0021-\\u007F]*',
  },
  policyDocument: {
    min: 1,
    max: 131072,
    // eslint-disable-next-line no-control-regex -- IAM's documented pattern admits tab, LF and CR
    pattern: /^[\u0009\u000A\u000D\u0020-\u00FF]+$/,
    patternText: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+',
  },
  description: {
    max: 1000,
    // eslint-disable-next-line no-control-regex -- IAM's documented pattern admits tab, LF and CR
    pattern: /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/,
    patternText: '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*',
  },
  marker: { min: 1, max: 320, pattern: /^[\u0020-\u00FF]+$/, patternText: '[\\u0020-\\u00FF]+' },
} satisfies Record<string, StringRule>;
