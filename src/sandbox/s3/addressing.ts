/**
 * Which bucket and key a request names. Path style (`/bucket/key`) is the default; virtual-hosted
 * style is used when the Host header carries the bucket as its first label, e.g.
 * `my-bucket.localhost:4566` or `my-bucket.s3.us-east-1.amazonaws.com`.
 */
import type { WireRequest } from '../protocols/types.js';

export interface S3Address {
  bucket?: string;
  /** Object key, undefined for bucket-level and service-level requests. */
  key?: string;
}

function bucketFromHost(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  const host = hostHeader.replace(/:\d+$/, '').toLowerCase();
  if (host === 'localhost' || /^[\d.]+$/.test(host) || host.startsWith('[')) return undefined;
  if (host.endsWith('.localhost')) {
    const label = host.slice(0, -'.localhost'.length).replace(/\.s3$/, '');
    return label === 's3' || label === '' ? undefined : label;
  }
  const s3 = host.search(/\.s3[.-]/);
  if (s3 > 0) return host.slice(0, s3);
  return undefined;
}

export function addressOf(req: WireRequest): S3Address {
  const path = req.path;
  const hosted = bucketFromHost(req.headers.host);
  if (hosted) {
    const key = path.length > 1 ? path.slice(1) : undefined;
    return { bucket: hosted, key };
  }
  const rest = path.startsWith('/') ? path.slice(1) : path;
  if (rest === '') return {};
  const slash = rest.indexOf('/');
  if (slash < 0) return { bucket: rest };
  const key = rest.slice(slash + 1);
  return { bucket: rest.slice(0, slash), key: key === '' ? undefined : key };
}
