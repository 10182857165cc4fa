/**
 * Which service an unauthenticated request was meant for, so that even a request with no
 * signature gets its error in the right wire shape; and the authentication errors each service
 * family uses.
 */
import { AwsError } from './errors.js';
import type { WireRequest } from './protocols/types.js';

const TARGET_PREFIXES: Record<string, string> = {
  Logs_20140328: 'logs',
  AWSEvents: 'events',
  AWSStepFunctions: 'states',
  GraniteServiceVersion20100801: 'monitoring',
};

const STS_ACTIONS = new Set(['GetCallerIdentity', 'AssumeRole', 'GetSessionToken', 'GetAccessKeyInfo']);

export function guessSigningName(req: WireRequest): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    const prefix = target.split('.')[0] ?? '';
    if (TARGET_PREFIXES[prefix]) return TARGET_PREFIXES[prefix];
  }
  if (/^\/20\d\d-\d\d-\d\d\//.test(req.rawPath)) return 'lambda';
  const ct = String(req.headers['content-type'] ?? '');
  if (ct.startsWith('application/x-www-form-urlencoded')) {
    const action =
      new URLSearchParams(req.body.toString('utf8')).get('Action') ?? req.query.get('Action') ?? '';
    return STS_ACTIONS.has(action) ? 'sts' : 'iam';
  }
  return 's3';
}

export interface AuthErrors {
  missing(): AwsError;
  badKey(): AwsError;
}

export function authErrors(signingName: string): AuthErrors {
  if (signingName === 's3') {
    return {
      missing: () => new AwsError('AccessDenied', 'Access Denied', 403),
      badKey: () =>
        new AwsError(
          'InvalidAccessKeyId',
          'The AWS Access Key Id you provided does not exist in our records.',
          403,
        ),
    };
  }
  if (signingName === 'iam' || signingName === 'sts') {
    return {
      missing: () =>
        new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403),
      badKey: () =>
        new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
    };
  }
  return {
    missing: () => new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403),
    badKey: () =>
      new AwsError(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
        403,
      ),
  };
}
