/** What every S3 operation receives: the parsed request and the service's state. */
import type { SandboxClock } from '../clock.js';
import type { WireRequest, WireResponse } from '../protocols/types.js';
import type { S3EventEmitter } from './notifications.js';
import { S3Errors } from './s3Errors.js';
import type { BucketRecord, S3Storage } from './storage.js';

export interface S3Service {
  storage: S3Storage;
  events: S3EventEmitter;
  clock: SandboxClock;
  /** The sandbox secret, for verifying signed aws-chunked bodies. */
  secret: string;
  /** Whether the request's caller may delete this key (DeleteObjects answers per key). */
  mayDelete?: (wire: WireRequest, bucket: string, key: string) => boolean;
}

export interface S3Request {
  wire: WireRequest;
  bucketName: string;
  /** Present for object operations. */
  key: string;
}

export type S3Operation = (svc: S3Service, req: S3Request) => WireResponse | Promise<WireResponse>;

export function header(wire: WireRequest, name: string): string | undefined {
  const v = wire.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/**
 * The named bucket, which must exist and be addressed in its own region (AWS rejects a request
 * signed for another region with AuthorizationHeaderMalformed).
 */
export function requireBucket(
  svc: S3Service,
  req: S3Request,
  opts: { anyRegion?: boolean } = {},
): BucketRecord {
  const bucket = svc.storage.bucket(req.bucketName);
  if (!bucket) throw S3Errors.noSuchBucket(req.bucketName);
  if (!opts.anyRegion && bucket.region !== req.wire.region) {
    throw S3Errors.wrongRegion(req.wire.region, bucket.region);
  }
  return bucket;
}

export function quotedEtag(etag: string): string {
  return `"${etag}"`;
}

/** ISO-8601 with milliseconds, as S3 XML timestamps are. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}
