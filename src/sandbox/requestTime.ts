/**
 * When a signed request is still acceptable: AWS refuses a request whose `X-Amz-Date` is more than
 * 15 minutes from its own clock, and a presigned URL once `X-Amz-Date + X-Amz-Expires` has passed.
 *
 * What "the server's clock" means in the sandbox: it runs two. The wall clock (`Date.now()`) is the
 * one every program on the machine signs with: the CLI, the AWS CLI, tests. The sandbox clock
 * (time-scaled, persisted) runs ahead of it, and a Lambda handler's `Date` follows the sandbox
 * clock from the start of its invocation (see the runtime bootstrap), so code running *inside* the
 * sandbox signs with a time between the two. Hence:
 * - root credentials (the learner's tools) are judged against the wall clock, ±15 minutes, as AWS
 *   judges a client against real time;
 * - role-session credentials (only ever handed to Lambda environments) are accepted from 15 minutes
 *   before the earlier of the two clocks to 15 minutes after the later one. Their captured requests
 *   stay replayable no longer than the session itself lives (it is revoked with its environment).
 * Presigned URLs expire by the wall clock: `X-Amz-Expires` counts real seconds, as on AWS.
 */
import { AwsError } from './errors.js';
import type { AuthErrors } from './serviceGuess.js';

export const MAX_SKEW_MS = 15 * 60 * 1000;
/** S3's (and SigV4's) longest presigned validity: seven days. */
export const MAX_PRESIGNED_EXPIRES_SECONDS = 604_800;

export interface SigningClocks {
  /** Real time, epoch ms. */
  wallNow(): number;
  /** The sandbox clock, epoch ms (ahead of real time under a time-scale). */
  sandboxNow(): number;
}

/** `YYYYMMDDTHHMMSSZ` → epoch ms, or undefined when it is not that format. */
export function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  // Reject impossible dates (month 13, 31 February) that Date.UTC would roll over.
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59)
    return undefined;
  return ms;
}

/** The request's date, or the family's error for a malformed one. */
export function requestDateOf(amzDate: string, signingName: string): number {
  const ms = parseAmzDate(amzDate);
  if (ms !== undefined) return ms;
  if (signingName === 's3') {
    throw new AwsError('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header', 403);
  }
  throw new AwsError(
    'IncompleteSignature',
    `Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    400,
  );
}

/** Header authentication: refuse a request signed too far from the signer's clock. */
export function checkRequestSkew(
  amzDate: string,
  requestMs: number,
  signer: 'root' | 'role',
  clocks: SigningClocks,
  errs: AuthErrors,
): void {
  const wall = clocks.wallNow();
  const earliest = (signer === 'role' ? Math.min(wall, clocks.sandboxNow()) : wall) - MAX_SKEW_MS;
  const latest = (signer === 'role' ? Math.max(wall, clocks.sandboxNow()) : wall) + MAX_SKEW_MS;
  if (requestMs >= earliest && requestMs <= latest) return;
  throw errs.skewed({ amzDate, requestMs, serverMs: wall, maxSkewMs: MAX_SKEW_MS });
}

/** Presigned (query) authentication: `X-Amz-Expires` present, within a week, and not yet passed. */
export function checkPresignedValidity(
  query: URLSearchParams,
  amzDate: string,
  requestMs: number,
  clocks: SigningClocks,
): void {
  const raw = query.get('X-Amz-Expires');
  const queryError = (message: string): AwsError =>
    new AwsError('AuthorizationQueryParametersError', message, 400);
  if (raw === null) {
    throw queryError(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  if (!/^\d{1,7}$/.test(raw)) throw queryError('X-Amz-Expires should be a number');
  const expires = Number(raw);
  if (expires > MAX_PRESIGNED_EXPIRES_SECONDS) {
    throw queryError(
      `X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGNED_EXPIRES_SECONDS}`,
    );
  }
  const now = clocks.wallNow();
  const serverTime = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (requestMs > now + MAX_SKEW_MS) {
    throw new AwsError('AccessDenied', 'Request is not valid yet', 403, {
      'X-Amz-Date': amzDate,
      ServerTime: serverTime,
    });
  }
  if (now > requestMs + expires * 1000) {
    // S3's wording. The SDKs presign only S3 and STS GetCallerIdentity; for the latter AWS's exact
    // words are not documented, so S3's are assumed there too.
    throw new AwsError('AccessDenied', 'Request has expired', 403, {
      'X-Amz-Expires': raw,
      Expires: new Date(requestMs + expires * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ServerTime: serverTime,
    });
  }
}
