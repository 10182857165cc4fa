/**
 * The payload of an S3 write as the client meant it: aws-chunked bodies decoded (chunk signatures
 * checked), then integrity headers checked — Content-MD5, `x-amz-checksum-<alg>` (header or
 * trailer), `x-amz-decoded-content-length`. `PayloadChecks` does the checking incrementally, for
 * uploads that stream (uploadBody.ts) and for small bodies read whole (`readRequestPayload`).
 */
import { createHash, type Hash } from 'node:crypto';
import type { WireRequest } from '../protocols/types.js';
import { parseAuth, signingKey } from '../sigv4.js';
import { decodeAwsChunked, type ChunkSigning } from './awsChunked.js';
import {
  algorithmOfHeader,
  createChecksum,
  type ChecksumAlgorithm,
  type ChecksumHasher,
} from './checksums.js';
import { S3Errors } from './s3Errors.js';

export interface VerifiedChecksum {
  algorithm: ChecksumAlgorithm;
  value: string;
}

export interface RequestPayload {
  data: Buffer;
  md5Hex: string;
  /** The checksum the client supplied (verified), if any. */
  checksum?: VerifiedChecksum;
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

/** `x-amz-decoded-content-length`, the payload's size inside aws-chunked framing, when declared. */
export function declaredDecodedLength(wire: WireRequest): number | undefined {
  const declared = headerValue(wire, 'x-amz-decoded-content-length');
  return declared === undefined ? undefined : Number(declared);
}

export function chunkSigning(wire: WireRequest, secret: string): ChunkSigning | undefined {
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

/** Content-MD5 as given: malformed → InvalidDigest at once, before any body byte is read. */
function contentMd5Of(wire: WireRequest): Buffer | undefined {
  const md5 = headerValue(wire, 'content-md5');
  if (md5 === undefined) return undefined;
  const given = Buffer.from(md5.trim(), 'base64');
  if (given.length !== 16 || given.toString('base64') !== md5.trim()) throw S3Errors.invalidDigest();
  return given;
}

/**
 * Everything a request's headers say its payload must match, fed the payload as it passes:
 * its MD5 (the ETag, and Content-MD5's check) and every checksum it names — in a header, as an
 * announced trailer (`x-amz-trailer`), or as the algorithm it asks S3 to compute.
 */
export class PayloadChecks {
  private readonly md5: Hash = createHash('md5');
  private readonly contentMd5: Buffer | undefined;
  private readonly hashers = new Map<ChecksumAlgorithm, ChecksumHasher>();
  private readonly headerChecksums: Array<[ChecksumAlgorithm, string]> = [];
  private readonly requested: ChecksumAlgorithm | undefined;
  size = 0;

  constructor(wire: WireRequest) {
    this.contentMd5 = contentMd5Of(wire);
    for (const [name, value] of Object.entries(wire.headers)) {
      const algorithm = typeof value === 'string' ? algorithmOfHeader(name) : undefined;
      if (algorithm) {
        this.headerChecksums.push([algorithm, value as string]);
        this.hash(algorithm);
      }
    }
    for (const name of (headerValue(wire, 'x-amz-trailer') ?? '').split(',')) {
      const algorithm = algorithmOfHeader(name.trim());
      if (algorithm) this.hash(algorithm);
    }
    const named = headerValue(wire, 'x-amz-sdk-checksum-algorithm')?.toUpperCase();
    this.requested = named ? algorithmOfHeader(`x-amz-checksum-${named}`) : undefined;
    if (this.requested) this.hash(this.requested);
  }

  private hash(algorithm: ChecksumAlgorithm): void {
    if (!this.hashers.has(algorithm)) this.hashers.set(algorithm, createChecksum(algorithm));
  }

  update(data: Buffer): void {
    this.size += data.length;
    this.md5.update(data);
    for (const h of this.hashers.values()) h.update(data);
  }

  /**
   * The payload is complete: check it against what was supplied. `recompute` gives the checksum
   * of an algorithm nobody announced (a trailer that `x-amz-trailer` did not name) from the data.
   * Returns the MD5 (hex) and the verified — or requested — checksum.
   */
  finish(
    trailers: ReadonlyMap<string, string>,
    recompute: (algorithm: ChecksumAlgorithm) => string,
  ): { md5Hex: string; checksum?: VerifiedChecksum } {
    const md5 = this.md5.digest();
    if (this.contentMd5 && !this.contentMd5.equals(md5)) throw S3Errors.badDigest();
    const digests = new Map<ChecksumAlgorithm, string>();
    for (const [algorithm, h] of this.hashers) digests.set(algorithm, h.digestBase64());
    const supplied: Array<[ChecksumAlgorithm, string]> = [];
    for (const [name, value] of trailers) {
      const algorithm = algorithmOfHeader(name);
      if (algorithm) supplied.push([algorithm, value]);
    }
    supplied.push(...this.headerChecksums);
    let checksum: VerifiedChecksum | undefined;
    for (const [algorithm, value] of supplied) {
      let actual = digests.get(algorithm);
      if (actual === undefined) {
        actual = recompute(algorithm);
        digests.set(algorithm, actual);
      }
      if (actual !== value.trim()) throw S3Errors.badChecksum(algorithm);
      checksum = { algorithm, value: actual };
    }
    // Algorithm named but value left to the server (x-amz-sdk-checksum-algorithm alone).
    if (!checksum && this.requested)
      checksum = { algorithm: this.requested, value: digests.get(this.requested)! };
    return { md5Hex: md5.toString('hex'), checksum };
  }
}

/** Decode and verify a small write request's body, read whole. `secret` verifies signed chunks. */
export function readRequestPayload(wire: WireRequest, secret: string): RequestPayload {
  const checks = new PayloadChecks(wire);
  let data = wire.body;
  let trailers = new Map<string, string>();
  if (isAwsChunked(wire)) {
    ({ data, trailers } = decodeAwsChunked(wire.body, chunkSigning(wire, secret)));
    const declared = declaredDecodedLength(wire);
    if (declared !== undefined && declared !== data.length) throw S3Errors.incompleteBody();
  }
  checks.update(data);
  const { md5Hex, checksum } = checks.finish(trailers, (algorithm) => {
    const h = createChecksum(algorithm);
    h.update(data);
    return h.digestBase64();
  });
  return { data, md5Hex, checksum };
}
