/**
 * Who signed a request, decided before its body is read: the credential scope's region must be
 * one AWS could have, the access key must be the sandbox's own (root) or a live role session whose
 * token the request carries, and the request must be fresh (see requestTime.ts). The signature
 * itself is checked afterwards (signature.ts), once the payload hash can be known.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { IamDirectory } from './contracts.js';
import type { SandboxCredentials } from './credentials.js';
import type { WireRequest } from './protocols/types.js';
import { isAwsRegionName } from './regions.js';
import {
  checkPresignedValidity,
  checkRequestSkew,
  requestDateOf,
  type SigningClocks,
} from './requestTime.js';
import type { AuthErrors } from './serviceGuess.js';
import { secretsEqual, type ParsedAuth } from './sigv4.js';

export interface CallerDirectory {
  credentials: SandboxCredentials;
  /** Role sessions the sandbox issued (their `ASIA…` keys are accepted besides the root key). */
  sessions?: Pick<IamDirectory, 'findSession'>;
  clocks: SigningClocks;
}

/** The session token of a request: header, or query parameter for a presigned URL. */
function securityTokenOf(headers: IncomingHttpHeaders, query: URLSearchParams): string | undefined {
  const h = headers['x-amz-security-token'];
  if (typeof h === 'string') return h;
  return query.get('X-Amz-Security-Token') ?? undefined;
}

/**
 * Check the scope, key and time of a request and fill in `wire.region`, `accessKeyId`,
 * `principal` and `signingSecret`. Throws the service family's AWS error.
 */
export function identifyCaller(
  wire: WireRequest,
  auth: ParsedAuth,
  errs: AuthErrors,
  directory: CallerDirectory,
): void {
  const { scope } = auth;
  if (!isAwsRegionName(scope.region)) throw errs.badRegion(scope.region, auth.presigned);
  wire.region = scope.region;
  wire.accessKeyId = scope.accessKeyId;
  if (scope.accessKeyId === directory.credentials.accessKeyId) {
    wire.principal = { kind: 'root' };
    wire.signingSecret = directory.credentials.secretAccessKey;
  } else {
    const session = directory.sessions?.findSession(scope.accessKeyId);
    const token = securityTokenOf(wire.headers, wire.query);
    // A session key is only valid with its token, which the signature then covers.
    if (!session || token === undefined || !secretsEqual(token, session.sessionToken)) throw errs.badKey();
    wire.signingSecret = session.secretAccessKey;
    wire.principal = {
      kind: 'role',
      roleArn: session.roleArn,
      roleId: session.roleId,
      sessionName: session.sessionName,
      assumedRoleArn: session.assumedRoleArn,
    };
  }
  const requestMs = requestDateOf(auth.amzDate, scope.service);
  if (scope.date !== auth.amzDate.slice(0, 8)) {
    throw errs.badSignature(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${auth.amzDate.slice(0, 8)}', from '${auth.amzDate}'.`,
    );
  }
  if (auth.presigned) checkPresignedValidity(wire.query, auth.amzDate, requestMs, directory.clocks);
  else checkRequestSkew(auth.amzDate, requestMs, wire.principal.kind, directory.clocks, errs);
}
