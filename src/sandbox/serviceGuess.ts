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
  /** The credential scope names a region AWS could not have. */
  badRegion(region: string, presigned: boolean): AwsError;
  /** The signature does not match the request (or `message` says what else is wrong with it). */
  badSignature(message?: string): AwsError;
  /** `X-Amz-Date` more than the allowed skew from the server's clock (header authentication). */
  skewed(skew: TimeSkew): AwsError;
}

/** What a skew error reports: the request's time, the server's, and the bound, as AWS words them. */
export interface TimeSkew {
  /** `X-Amz-Date` as sent (`YYYYMMDDTHHMMSSZ`). */
  amzDate: string;
  requestMs: number;
  serverMs: number;
  maxSkewMs: number;
}

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** `20240101T000000Z`, the form AWS quotes times in when it refuses a signature. */
export function basicIsoTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/**
 * The JSON and query services' wording: "Signature expired: <date> is now earlier than <now − 15
 * min> (<now> - 15 min.)", or "Signature not yet current: … is still later than …" for a date
 * ahead of the server.
 */
function skewMessage(s: TimeSkew): string {
  const minutes = Math.round(s.maxSkewMs / 60_000);
  if (s.requestMs < s.serverMs) {
    return `Signature expired: ${s.amzDate} is now earlier than ${basicIsoTime(s.serverMs - s.maxSkewMs)} (${basicIsoTime(s.serverMs)} - ${minutes} min.)`;
  }
  return `Signature not yet current: ${s.amzDate} is still later than ${basicIsoTime(s.serverMs + s.maxSkewMs)} (${basicIsoTime(s.serverMs)} + ${minutes} min.)`;
}

function regionMessage(region: string): string {
  return `Credential should be scoped to a valid region, not '${region}'. `;
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
      badRegion: (region, presigned) =>
        presigned
          ? new AwsError(
              'AuthorizationQueryParametersError',
              `Error parsing the X-Amz-Credential parameter; the region '${region}' is wrong; expecting 'us-east-1'`,
              400,
              { Region: 'us-east-1' },
            )
          : new AwsError(
              'AuthorizationHeaderMalformed',
              `The authorization header is malformed; the region '${region}' is wrong; expecting 'us-east-1'`,
              400,
              { Region: 'us-east-1' },
            ),
      badSignature: (message = SIGNATURE_MISMATCH) => new AwsError('SignatureDoesNotMatch', message, 403),
      skewed: (s) =>
        new AwsError(
          'RequestTimeTooSkewed',
          'The difference between the request time and the current time is too large.',
          403,
          {
            RequestTime: s.amzDate,
            ServerTime: new Date(s.serverMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
            MaxAllowedSkewMilliseconds: String(s.maxSkewMs),
          },
        ),
    };
  }
  if (signingName === 'iam' || signingName === 'sts') {
    return {
      missing: () =>
        new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403),
      badKey: () =>
        new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
      badRegion: (region) => new AwsError('SignatureDoesNotMatch', regionMessage(region), 403),
      badSignature: (message = SIGNATURE_MISMATCH) => new AwsError('SignatureDoesNotMatch', message, 403),
      skewed: (s) => new AwsError('SignatureDoesNotMatch', skewMessage(s), 403),
    };
  }
  // Lambda's REST front end answers signature problems with 403; the awsJson services with 400
  // (as their "Signature expired" errors show). Assumed the same split for every signature error.
  const signatureStatus = signingName === 'lambda' ? 403 : 400;
  return {
    missing: () => new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403),
    badKey: () =>
      new AwsError(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
        403,
      ),
    badRegion: (region) => new AwsError('InvalidSignatureException', regionMessage(region), 403),
    badSignature: (message = SIGNATURE_MISMATCH) =>
      new AwsError('InvalidSignatureException', message, signatureStatus),
    skewed: (s) => new AwsError('InvalidSignatureException', skewMessage(s), signatureStatus),
  };
}
