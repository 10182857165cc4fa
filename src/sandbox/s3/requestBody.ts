/**
 * The payload of an S3 write as the client meant it: aws-chunked bodies decoded (chunk signatures
 * checked), then integrity headers checked — Content-MD5, `x-amz-checksum-<alg>` (header or
 * trailer), `x-amz-decoded-content-length`.
 */
import { createHash } from 'node:crypto';
import type { WireRequest } from '../protocols/types.js';
import { parseAuth, signingKey } from '../sigv4.js';
import { decodeAwsChunked, type ChunkSigning } from './awsChunked.js';
import { algorithmOfHeader, checksumBase64, type ChecksumAlgorithm } from './checksums.js';
import { S3Errors } from './s3Errors.js';

export interface RequestPayload {
  data: Buffer;
  /** The checksum the client supplied (verified), if any. */
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
}

function headerValue(wire: WireRequest, name: string): string | undefined {
  const v = wire.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** True when the body is aws-chunked framing rather than the payload itself. */
export function isAwsChunked(wire: WireRequest): boolean {
  const encoding = headerValue(wire, 'content-encoding') ?? '';
  const sha = headerValue(wire, 'x-amz-content-sha256') ?? '';
  return encoding.split(',').some((e) => e.trim() === 'aws-chunked') || sha.startsWith('STREAMING-');
}

function chunkSigning(wire: WireRequest, secret: string): ChunkSigning | undefined {
  const sha = headerValue(wire, 'x-amz-content-sha256') ?? '';
  if (!sha.startsWith('STREAMING-AWS4-HMAC-SHA256-PAYLOAD')) return undefined;
  const auth = parseAuth(wire);
  if (!auth) return undefined;
  const { date, region, service } = auth.scope;
  return {
    seedSignature: auth.signature,
    amzDate: auth.amzDate,
    scope: `${date}/${region}/${service}/aws4_request`,
    signingKey: signingKey(wire.signingSecret ?? secret, date, region, service),
    trailerSigned: sha.endsWith('-TRAILER'),
  };
}

function checkContentMd5(wire: WireRequest, data: Buffer): void {
  const md5 = headerValue(wire, 'content-md5');
  if (md5 === undefined) return;
  const given = Buffer.from(md5.trim(), 'base64');
  if (given.length !== 16 || given.toString('base64') !== md5.trim()) throw S3Errors.invalidDigest();
  if (!given.equals(createHash('md5').update(data).digest())) throw S3Errors.badDigest();
}

/** Decode and verify a write request's body. `secret` verifies signed chunks. */
export function readRequestPayload(wire: WireRequest, secret: string): RequestPayload {
  let data = wire.body;
  let trailers = new Map<string, string>();
  if (isAwsChunked(wire)) {
    ({ data, trailers } = decodeAwsChunked(wire.body, chunkSigning(wire, secret)));
    const declared = headerValue(wire, 'x-amz-decoded-content-length');
    if (declared !== undefined && Number(declared) !== data.length) throw S3Errors.incompleteBody();
  }
  checkContentMd5(wire, data);

  let checksum: RequestPayload['checksum'];
  const supplied: Array<[string, string]> = [...trailers];
  for (const [name, value] of Object.entries(wire.headers)) {
    if (typeof value === 'string' && algorithmOfHeader(name)) supplied.push([name, value]);
  }
  for (const [name, value] of supplied) {
    const algorithm = algorithmOfHeader(name);
    if (!algorithm) continue;
    const actual = checksumBase64(algorithm, data);
    if (actual !== value.trim()) throw S3Errors.badChecksum(algorithm);
    checksum = { algorithm, value: actual };
  }
  if (!checksum) {
    // Algorithm named but value left to the server (x-amz-sdk-checksum-algorithm alone).
    const named = headerValue(wire, 'x-amz-sdk-checksum-algorithm')?.toUpperCase();
    const algorithm = named ? algorithmOfHeader(`x-amz-checksum-${named}`) : undefined;
    if (algorithm) checksum = { algorithm, value: checksumBase64(algorithm, data) };
  }
  return { data, checksum };
}
