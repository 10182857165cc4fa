/**
 * SigV4 verification (header and presigned-query forms), as AWS checks it: rebuild the canonical
 * request from what arrived on the wire, derive the signing key from the sandbox secret and the
 * request's credential scope, and compare signatures in constant time.
 *
 * S3 signs the path as sent (single encoding); every other service double-encodes it.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { AwsError } from './errors.js';

export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

export interface ParsedAuth {
  scope: CredentialScope;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  /** Presigned (query-string) authentication. */
  presigned: boolean;
}

export interface SignableRequest {
  method: string;
  /** Raw path as received, still percent-encoded, without the query string. */
  rawPath: string;
  /** Raw query string without the leading `?`. */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

function parseScope(credential: string): CredentialScope {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') {
    throw new AwsError(
      'IncompleteSignature',
      `Credential should be scoped to a valid region, not a malformed scope '${credential}'.`,
      400,
    );
  }
  const [accessKeyId, date, region, service] = parts as [string, string, string, string];
  return { accessKeyId, date, region, service };
}

/**
 * Read the authentication parameters from the Authorization header or presigned query.
 * Returns undefined when the request carries no authentication at all.
 */
export function parseAuth(req: SignableRequest): ParsedAuth | undefined {
  const auth = header(req.headers, 'authorization');
  if (auth) {
    if (!auth.startsWith(`${ALGORITHM} `)) {
      throw new AwsError(
        'IncompleteSignature',
        `Unsupported authorization type; expected ${ALGORITHM}.`,
        400,
      );
    }
    const fields = new Map<string, string>();
    for (const part of auth.slice(ALGORITHM.length + 1).split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
    const credential = fields.get('Credential');
    const signedHeaders = fields.get('SignedHeaders');
    const signature = fields.get('Signature');
    const amzDate = header(req.headers, 'x-amz-date');
    const missing = [
      !credential && 'Credential',
      !signedHeaders && 'SignedHeaders',
      !signature && 'Signature',
      !amzDate && 'X-Amz-Date',
    ].filter(Boolean);
    if (missing.length > 0) {
      throw new AwsError(
        'IncompleteSignature',
        `Authorization header requires ${missing.map((m) => `'${m}'`).join(', ')} parameter(s). Authorization=${auth}`,
        400,
      );
    }
    return {
      scope: parseScope(credential!),
      signedHeaders: signedHeaders!.split(';'),
      signature: signature!,
      amzDate: amzDate!,
      presigned: false,
    };
  }
  const query = new URLSearchParams(req.rawQuery);
  if (query.get('X-Amz-Algorithm')) {
    const credential = query.get('X-Amz-Credential');
    const signedHeaders = query.get('X-Amz-SignedHeaders');
    const signature = query.get('X-Amz-Signature');
    const amzDate = query.get('X-Amz-Date');
    if (
      query.get('X-Amz-Algorithm') !== ALGORITHM ||
      !credential ||
      !signedHeaders ||
      !signature ||
      !amzDate
    ) {
      throw new AwsError(
        'AuthorizationQueryParametersError',
        'Query-string authentication requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders and X-Amz-Expires parameters.',
        400,
      );
    }
    return {
      scope: parseScope(credential),
      signedHeaders: signedHeaders.split(';'),
      signature,
      amzDate,
      presigned: true,
    };
  }
  return undefined;
}

/** RFC 3986 encoding as SigV4 requires (encodeURIComponent plus !'()*). */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

function canonicalPath(rawPath: string, service: string): string {
  if (service === 's3') return rawPath || '/';
  // Non-S3 services: normalise dot segments, then encode the already-encoded path again.
  const out: string[] = [];
  for (const seg of rawPath.split('/')) {
    if (seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  let normalized = out.join('/');
  if (!normalized.startsWith('/')) normalized = `/${normalized}`;
  if (rawPath.endsWith('/') && !normalized.endsWith('/')) normalized += '/';
  return uriEncode(normalized).replace(/%2F/g, '/');
}

function canonicalQuery(rawQuery: string, presigned: boolean): string {
  if (!rawQuery) return '';
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = safeDecode(eq >= 0 ? part.slice(0, eq) : part);
    const value = eq >= 0 ? safeDecode(part.slice(eq + 1)) : '';
    if (presigned && key === 'X-Amz-Signature') continue;
    pairs.push([uriEncode(key), uriEncode(value)]);
  }
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

/** Values S3 accepts in `x-amz-content-sha256` besides a SHA-256 of the payload. */
export const S3_PAYLOAD_HASH_KEYWORDS = [
  'UNSIGNED-PAYLOAD',
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
] as const;

/**
 * The payload hash the canonical request carries. Only S3 lets the client declare it (a SHA-256,
 * `UNSIGNED-PAYLOAD`, or a `STREAMING-…` keyword for aws-chunked bodies, in `x-amz-content-sha256`;
 * `UNSIGNED-PAYLOAD` for presigned URLs). Every other service hashes the body it received, so a
 * request signed over `UNSIGNED-PAYLOAD` or with a wrong hash header fails its signature there.
 */
export function signedPayloadHash(req: SignableRequest, auth: ParsedAuth): string {
  if (auth.scope.service !== 's3') return sha256Hex(req.body);
  if (auth.presigned)
    return new URLSearchParams(req.rawQuery).get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD';
  return header(req.headers, 'x-amz-content-sha256') ?? sha256Hex(req.body);
}

/** A header-signed S3 request must declare its payload hash, as one of the forms S3 knows. */
export function checkS3PayloadHashHeader(headers: IncomingHttpHeaders): void {
  const v = header(headers, 'x-amz-content-sha256');
  if (v === undefined) {
    throw new AwsError(
      'InvalidRequest',
      'Missing required header for this request: x-amz-content-sha256',
      400,
    );
  }
  if (/^[0-9a-f]{64}$/.test(v) || (S3_PAYLOAD_HASH_KEYWORDS as readonly string[]).includes(v)) return;
  throw new AwsError(
    'InvalidArgument',
    'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.',
    400,
    { ArgumentName: 'x-amz-content-sha256', ArgumentValue: v },
  );
}

/** The signature the request should carry if it was signed with `secret`. */
export function expectedSignature(req: SignableRequest, auth: ParsedAuth, secret: string): string {
  const { scope } = auth;
  const headerLines = auth.signedHeaders.map((name) => {
    const raw = header(req.headers, name) ?? '';
    return `${name}:${raw.trim().replace(/\s+/g, ' ')}`;
  });
  const payloadHash = signedPayloadHash(req, auth);
  const canonicalRequest = [
    req.method,
    canonicalPath(req.rawPath, scope.service),
    canonicalQuery(req.rawQuery, auth.presigned),
    `${headerLines.join('\n')}\n`,
    auth.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const scopeString = `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = [ALGORITHM, auth.amzDate, scopeString, sha256Hex(canonicalRequest)].join('\n');
  return createHmac('sha256', signingKey(secret, scope.date, scope.region, scope.service))
    .update(stringToSign)
    .digest('hex');
}

/** Constant-time comparison of two hex signatures. */
export function signaturesMatch(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/**
 * Constant-time comparison of two secrets of any length (session tokens): their digests are
 * compared, so neither the content nor the length leaks through timing.
 */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * When the request body was signed (the payload hash header is a real SHA-256), check the body
 * arrived intact, as AWS does (`XAmzContentSHA256Mismatch` on S3).
 */
export function declaredPayloadHash(headers: IncomingHttpHeaders): string | undefined {
  const v = header(headers, 'x-amz-content-sha256');
  return v && /^[0-9a-f]{64}$/.test(v) ? v : undefined;
}

export { sha256Hex };
