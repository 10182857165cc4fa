/**
 * Reading CloudWatch request members in the service's own words: the same helpers serve the JSON
 * protocol and (through the query adapter) awsQuery, so every operation validates alike.
 */
import { AwsError } from '../errors.js';

export type Input = Record<string, unknown>;

export const invalidValue = (message: string): AwsError =>
  new AwsError('InvalidParameterValueException', message, 400);
export const missing = (name: string): AwsError =>
  new AwsError('MissingRequiredParameterException', `The parameter ${name} is required.`, 400);
export const combination = (message: string): AwsError =>
  new AwsError('InvalidParameterCombinationException', message, 400);

export function str(input: Input, name: string, where = name, required = false): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) {
    if (required) throw missing(where);
    return undefined;
  }
  if (typeof v !== 'string') throw invalidValue(`The parameter ${where} must be a string.`);
  return v;
}

export function num(input: Input, name: string, where = name, required = false): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) {
    if (required) throw missing(where);
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw invalidValue(`The parameter ${where} must be a number.`);
  return v;
}

/** Timestamps arrive as epoch seconds (awsJson) or ISO-8601 strings. */
export function time(input: Input, name: string, where = name, required = false): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) {
    if (required) throw missing(where);
    return undefined;
  }
  const ms = typeof v === 'number' ? v * 1000 : typeof v === 'string' ? Date.parse(v) : NaN;
  if (!Number.isFinite(ms)) throw invalidValue(`The parameter ${where} must be a timestamp.`);
  return ms;
}

export function list(input: Input, name: string, where = name): unknown[] | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw invalidValue(`The parameter ${where} must be a list.`);
  return v;
}

export function obj(v: unknown, where: string): Input {
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw invalidValue(`The parameter ${where} must be a structure.`);
  return v as Input;
}

export function dimensions(
  v: unknown[] | undefined,
  where: string,
  valueRequired: boolean,
): Array<{ Name: string; Value?: string }> {
  const dims = (v ?? []).map((d, i) => {
    const o = obj(d, `${where}.member.${i + 1}`);
    const Name = str(o, 'Name', `${where}.member.${i + 1}.Name`, true)!;
    const Value = str(o, 'Value', `${where}.member.${i + 1}.Value`, valueRequired);
    if (Name.length < 1 || Name.length > 255)
      throw invalidValue(`The parameter ${where}.member.${i + 1}.Name must be 1 to 255 characters.`);
    return { Name, Value };
  });
  if (dims.length > 30) throw invalidValue(`The collection ${where} must not have a size greater than 30.`);
  return dims;
}

export function namespaceOf(input: Input, required: boolean): string | undefined {
  const ns = str(input, 'Namespace', 'Namespace', required);
  if (ns !== undefined && (ns.length < 1 || ns.length > 255 || !/^[^:].*$/.test(ns))) {
    throw invalidValue('The parameter Namespace must be 1 to 255 characters and not begin with a colon.');
  }
  return ns;
}

export function checkPeriod(period: number, where: string): void {
  if (
    !Number.isInteger(period) ||
    period < 1 ||
    (period >= 60 ? period % 60 !== 0 : ![1, 5, 10, 30].includes(period))
  ) {
    throw invalidValue(`The parameter ${where} must be 1, 5, 10, 30, or a multiple of 60.`);
  }
}
