/**
 * A function's resource-based policy: AddPermission turns its parameters into a statement shaped as
 * AWS stores it, GetPolicy renders the document, and `allowsInvoke` decides whether a service
 * principal (EventBridge for a rule) may invoke the function.
 */
import { AwsError } from '../errors.js';
import { Validator } from '../validate.js';
import type { InvokeCaller } from '../contracts.js';
import type { PolicyStatement } from './model.js';

/** Build the statement AddPermission stores; validation errors in AWS's words. */
export function buildStatement(input: Record<string, unknown>, resourceArn: string): PolicyStatement {
  const v = new Validator(input);
  const sid = v.string('StatementId', { required: true, min: 1, max: 100, pattern: /^[a-zA-Z0-9_.-]+$/ });
  const action = v.string('Action', {
    required: true,
    pattern: /^(lambda:[*]|lambda:[a-zA-Z]+|[*])$/,
    patternText: '(lambda:[*]|lambda:[a-zA-Z]+|[*])',
  });
  const principal = v.string('Principal', { required: true, pattern: /^[^\s]+$/ });
  const sourceArn = v.string('SourceArn', {
    pattern: /^arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9-])+:([a-z]{2}(-gov)?-[a-z]+-\d)?:(\d{12})?:(.*)$/,
  });
  const sourceAccount = v.string('SourceAccount', { max: 12, pattern: /^\d{12}$/ });
  const orgId = v.string('PrincipalOrgID', { min: 12, max: 34, pattern: /^o-[a-z0-9]{10,32}$/ });
  v.check();

  const statement: PolicyStatement = {
    Sid: sid!,
    Effect: 'Allow',
    Principal: principalOf(principal!),
    Action: action!,
    Resource: resourceArn,
  };
  const condition: Record<string, Record<string, string>> = {};
  if (sourceAccount) condition.StringEquals = { 'AWS:SourceAccount': sourceAccount };
  if (orgId) condition.StringEquals = { ...(condition.StringEquals ?? {}), 'aws:PrincipalOrgID': orgId };
  if (sourceArn) condition.ArnLike = { 'AWS:SourceArn': sourceArn };
  if (Object.keys(condition).length > 0) statement.Condition = condition;
  return statement;
}

function principalOf(principal: string): PolicyStatement['Principal'] {
  if (principal === '*') return '*';
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:aws:iam::${principal}:root` };
  if (principal.startsWith('arn:')) return { AWS: principal };
  if (/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(principal)) return { Service: principal };
  throw new AwsError(
    'InvalidParameterValueException',
    'The provided principal was invalid. Please check the principal and try again.',
    400,
  );
}

export function addStatement(policy: PolicyStatement[], statement: PolicyStatement): void {
  if (policy.some((s) => s.Sid === statement.Sid)) {
    throw new AwsError(
      'ResourceConflictException',
      `The statement id (${statement.Sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
      409,
    );
  }
  policy.push(statement);
}

export function removeStatement(policy: PolicyStatement[], sid: string): void {
  const i = policy.findIndex((s) => s.Sid === sid);
  if (i < 0) {
    throw new AwsError('ResourceNotFoundException', `Statement ${sid} is not found in resource policy.`, 404);
  }
  policy.splice(i, 1);
}

export function policyDocument(policy: PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: policy });
}

/** IAM `ArnLike`: `*` matches any run of characters, `?` one character; case-sensitive. */
function arnLike(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(value);
}

function conditionHolds(condition: PolicyStatement['Condition'], caller: InvokeCaller): boolean {
  if (!condition) return true;
  for (const [operator, entries] of Object.entries(condition)) {
    for (const [rawKey, expected] of Object.entries(entries)) {
      const key = rawKey.toLowerCase();
      const actual =
        key === 'aws:sourcearn'
          ? caller.sourceArn
          : key === 'aws:sourceaccount'
            ? caller.sourceAccount
            : undefined;
      if (actual === undefined) return false;
      const op = operator.toLowerCase();
      if (op === 'arnlike' || op === 'stringlike') {
        if (!arnLike(expected, actual)) return false;
      } else if (actual !== expected) {
        return false;
      }
    }
  }
  return true;
}

function principalMatches(principal: PolicyStatement['Principal'], servicePrincipal: string): boolean {
  if (principal === '*') return true;
  if (typeof principal === 'object' && 'Service' in principal) return principal.Service === servicePrincipal;
  return false;
}

function actionMatches(action: string): boolean {
  return action === '*' || action === 'lambda:*' || action.toLowerCase() === 'lambda:invokefunction';
}

/** Whether the policy lets `caller` invoke the function, as Lambda decides for a service principal. */
export function allowsInvoke(policy: PolicyStatement[], caller: InvokeCaller): boolean {
  return policy.some(
    (s) =>
      s.Effect === 'Allow' &&
      actionMatches(s.Action) &&
      principalMatches(s.Principal, caller.servicePrincipal) &&
      conditionHolds(s.Condition, caller),
  );
}

export function accessDenied(caller: InvokeCaller, arn: string): AwsError {
  return new AwsError(
    'AccessDeniedException',
    `User: ${caller.servicePrincipal} is not authorized to perform: lambda:InvokeFunction on resource: ${arn} because no resource-based policy allows the lambda:InvokeFunction action`,
    403,
  );
}
