/** Step Functions ARNs, resource names and the errors AWS raises for bad ones. */
import { AwsError } from '../errors.js';

export const ACCOUNT_ID = '000000000000';

export const SfnErrors = {
  invalidArn: (arn: string, why = 'Resource type not valid in this context') =>
    new AwsError('InvalidArn', `Invalid Arn: '${why}: ${arn}'`),
  invalidName: (name: string) => new AwsError('InvalidName', `Invalid Name: '${name}'`),
  stateMachineDoesNotExist: (arn: string) =>
    new AwsError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`),
  executionDoesNotExist: (arn: string) =>
    new AwsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`),
  invalidToken: (token: string) => new AwsError('InvalidToken', `Invalid Token: '${token}'`),
  missingParameter: (message: string) => new AwsError('MissingRequiredParameter', message),
};

/**
 * AWS: 1–80 characters, no whitespace, brackets, wildcards, special characters
 * (" # % \ ^ | ~ ` $ & , ; : /) or control characters.
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN_NAME_CHARS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;

export function checkName(name: string): void {
  if (name.length < 1 || name.length > 80 || FORBIDDEN_NAME_CHARS.test(name)) {
    throw SfnErrors.invalidName(name);
  }
}

export function stateMachineArn(region: string, name: string): string {
  return `arn:aws:states:${region}:${ACCOUNT_ID}:stateMachine:${name}`;
}

export function executionArn(region: string, smName: string, execName: string): string {
  return `arn:aws:states:${region}:${ACCOUNT_ID}:execution:${smName}:${execName}`;
}

export function expressExecutionArn(region: string, smName: string, execName: string, id: string): string {
  return `arn:aws:states:${region}:${ACCOUNT_ID}:express:${smName}:${execName}:${id}`;
}

export interface ParsedStatesArn {
  region: string;
  resourceType: string;
  /** Resource parts after the type, e.g. [smName] or [smName, execName]. */
  parts: string[];
}

export function parseStatesArn(arn: unknown, member: string): ParsedStatesArn {
  if (typeof arn !== 'string' || arn.length === 0) {
    throw SfnErrors.missingParameter(`Missing required parameter: '${member}'`);
  }
  const m = /^arn:aws:states:([a-z0-9-]+):(\d{12}):([A-Za-z]+):(.+)$/.exec(arn);
  if (!m) throw SfnErrors.invalidArn(arn, 'Invalid ARN prefix');
  return { region: m[1]!, resourceType: m[3]!, parts: m[4]!.split(':') };
}

/** The state machine ARN an execution ARN belongs to. */
export function stateMachineArnOfExecution(arn: string, member = 'executionArn'): string {
  const p = parseStatesArn(arn, member);
  if (p.resourceType !== 'execution' || p.parts.length !== 2) {
    throw SfnErrors.invalidArn(arn);
  }
  return stateMachineArn(p.region, p.parts[0]!);
}

/** The name in a state machine ARN (its last part). */
export function stateMachineNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf(':') + 1);
}

export function checkStateMachineArn(arn: unknown, member = 'stateMachineArn'): string {
  const p = parseStatesArn(arn, member);
  if (p.resourceType !== 'stateMachine' || p.parts.length !== 1) {
    throw SfnErrors.invalidArn(arn as string);
  }
  return arn as string;
}

export function roleArnIsWellFormed(arn: string): boolean {
  return /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(arn);
}
