/**
 * Input validation in AWS's own words. Most JSON services answer a bad member with
 * `1 validation error detected: Value 'x' at 'name' failed to satisfy constraint: Member must …`;
 * `Validator` collects such messages and throws one error with all of them, like AWS.
 */
import { AwsError } from './errors.js';

export interface StringRule {
  required?: boolean;
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** Text shown for `pattern` failures, e.g. the documented regex. */
  patternText?: string;
  enum?: readonly string[];
}

export interface NumberRule {
  required?: boolean;
  min?: number;
  max?: number;
  integer?: boolean;
}

function show(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return `'${value}'`;
  return `'${JSON.stringify(value)}'`;
}

export class Validator {
  private readonly errors: string[] = [];

  constructor(
    private readonly input: Record<string, unknown>,
    /** Error code to raise, e.g. `ValidationException`, `InvalidParameterException`. */
    private readonly code = 'ValidationException',
  ) {}

  private fail(value: unknown, member: string, constraint: string): void {
    this.errors.push(`Value ${show(value)} at '${member}' failed to satisfy constraint: ${constraint}`);
  }

  string(member: string, rule: StringRule = {}): string | undefined {
    const value = this.input[member];
    if (value === undefined || value === null) {
      if (rule.required) this.fail(value, member, 'Member must not be null');
      return undefined;
    }
    if (typeof value !== 'string') {
      throw new AwsError(
        'SerializationException',
        `STRING_VALUE can not be converted to a String at '${member}'`,
        400,
      );
    }
    if (rule.min !== undefined && value.length < rule.min)
      this.fail(value, member, `Member must have length greater than or equal to ${rule.min}`);
    if (rule.max !== undefined && value.length > rule.max)
      this.fail(value, member, `Member must have length less than or equal to ${rule.max}`);
    if (rule.pattern && !rule.pattern.test(value))
      this.fail(
        value,
        member,
        `Member must satisfy regular expression pattern: ${rule.patternText ?? rule.pattern.source}`,
      );
    if (rule.enum && !rule.enum.includes(value))
      this.fail(value, member, `Member must satisfy enum value set: [${rule.enum.join(', ')}]`);
    return value;
  }

  number(member: string, rule: NumberRule = {}): number | undefined {
    const value = this.input[member];
    if (value === undefined || value === null) {
      if (rule.required) this.fail(value, member, 'Member must not be null');
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || (rule.integer && !Number.isInteger(value))) {
      throw new AwsError(
        'SerializationException',
        `NUMBER_VALUE can not be converted to a number at '${member}'`,
        400,
      );
    }
    if (rule.min !== undefined && value < rule.min)
      this.fail(value, member, `Member must have value greater than or equal to ${rule.min}`);
    if (rule.max !== undefined && value > rule.max)
      this.fail(value, member, `Member must have value less than or equal to ${rule.max}`);
    return value;
  }

  boolean(member: string, required = false): boolean | undefined {
    const value = this.input[member];
    if (value === undefined || value === null) {
      if (required) this.fail(value, member, 'Member must not be null');
      return undefined;
    }
    if (typeof value !== 'boolean') {
      throw new AwsError('SerializationException', `Boolean can not be converted at '${member}'`, 400);
    }
    return value;
  }

  /** A list member; items are returned unchecked for the caller to inspect. */
  list<T = unknown>(
    member: string,
    rule: { required?: boolean; min?: number; max?: number } = {},
  ): T[] | undefined {
    const value = this.input[member];
    if (value === undefined || value === null) {
      if (rule.required) this.fail(value, member, 'Member must not be null');
      return undefined;
    }
    if (!Array.isArray(value)) {
      throw new AwsError(
        'SerializationException',
        `Start of list found where not expected at '${member}'`,
        400,
      );
    }
    if (rule.min !== undefined && value.length < rule.min)
      this.fail(value, member, `Member must have length greater than or equal to ${rule.min}`);
    if (rule.max !== undefined && value.length > rule.max)
      this.fail(value, member, `Member must have length less than or equal to ${rule.max}`);
    return value as T[];
  }

  /** A map/structure member. */
  object<T = Record<string, unknown>>(member: string, required = false): T | undefined {
    const value = this.input[member];
    if (value === undefined || value === null) {
      if (required) this.fail(value, member, 'Member must not be null');
      return undefined;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new AwsError(
        'SerializationException',
        `Start of structure or map found where not expected at '${member}'`,
        400,
      );
    }
    return value as T;
  }

  /** Add a custom failure in the same wording. */
  addFailure(value: unknown, member: string, constraint: string): void {
    this.fail(value, member, constraint);
  }

  /** Throw if anything failed. */
  check(): void {
    if (this.errors.length === 0) return;
    const n = this.errors.length;
    throw new AwsError(
      this.code,
      `${n} validation error${n === 1 ? '' : 's'} detected: ${this.errors.join('; ')}`,
      400,
    );
  }
}
