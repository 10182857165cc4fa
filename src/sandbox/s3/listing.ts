/**
 * ListObjectsV2 and ListObjects (v1). Walks the bucket's sorted key array from a binary-searched
 * start, rolling keys up into CommonPrefixes and jumping past each rolled-up run, so a page costs
 * O(page + log n) whatever the bucket size.
 */
import { xmlResponse } from '../protocols/restXml.js';
import type { WireRequest } from '../protocols/types.js';
import type { XmlChildren } from '../protocols/xml.js';
import { uriEncode } from '../sigv4.js';
import { isoTime, quotedEtag, requireBucket, type S3Operation } from './context.js';
import { S3Errors } from './s3Errors.js';
import { endOfPrefix, lowerBound, upperBound, type BucketObjects, type ObjectRecord } from './storage.js';

const MAX_KEYS = 1000;

interface ListPage {
  keys: string[];
  prefixes: string[];
  truncated: boolean;
  /** The last key or common prefix returned, to resume after. */
  last?: { kind: 'key' | 'prefix'; value: string };
}

interface ListParams {
  prefix: string;
  delimiter: string;
  maxKeys: number;
  /** Resume strictly after this key (StartAfter, marker, or a token's key). */
  after?: string;
  /** Resume past every key under this common prefix (a token that ended on a prefix). */
  afterPrefix?: string;
}

export function listPage(objects: BucketObjects, p: ListParams): ListPage {
  const keys = objects.keys;
  let i = lowerBound(keys, p.prefix);
  if (p.after !== undefined) i = Math.max(i, upperBound(keys, p.after));
  if (p.afterPrefix !== undefined) i = Math.max(i, endOfPrefix(keys, p.afterPrefix));
  const page: ListPage = { keys: [], prefixes: [], truncated: false };
  while (i < keys.length) {
    const key = keys[i]!;
    if (!key.startsWith(p.prefix)) break;
    if (page.keys.length + page.prefixes.length >= p.maxKeys) {
      page.truncated = true;
      break;
    }
    const cut = p.delimiter ? key.indexOf(p.delimiter, p.prefix.length) : -1;
    if (cut >= 0) {
      const common = key.slice(0, cut + p.delimiter.length);
      page.prefixes.push(common);
      page.last = { kind: 'prefix', value: common };
      i = endOfPrefix(keys, common);
    } else {
      page.keys.push(key);
      page.last = { kind: 'key', value: key };
      i++;
    }
  }
  return page;
}

function maxKeysOf(wire: WireRequest): number {
  const raw = wire.query.get('max-keys');
  if (raw === null) return MAX_KEYS;
  if (!/^\d+$/.test(raw) || Number(raw) > 2147483647) {
    throw S3Errors.invalidArgument(
      'Provided max-keys not an integer or within integer range',
      'max-keys',
      raw,
    );
  }
  return Math.min(Number(raw), MAX_KEYS);
}

function encodingOf(wire: WireRequest): ((s: string) => string) | undefined {
  const type = wire.query.get('encoding-type');
  if (type === null) return undefined;
  if (type !== 'url')
    throw S3Errors.invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', type);
  // S3 keeps '/' readable in url-encoded listings.
  return (s) => uriEncode(s).replace(/%2F/g, '/');
}

/** Listings format the same records again and again; records are replaced, never mutated, on write. */
const isoByRecord = new WeakMap<ObjectRecord, string>();

function lastModifiedIso(rec: ObjectRecord): string {
  let iso = isoByRecord.get(rec);
  if (iso === undefined) {
    iso = isoTime(rec.lastModified);
    isoByRecord.set(rec, iso);
  }
  return iso;
}

function contents(objects: BucketObjects, keys: string[], encode: (s: string) => string): XmlChildren[] {
  return keys.map((key) => {
    const rec = objects.get(key)!;
    return {
      Key: encode(key),
      LastModified: lastModifiedIso(rec),
      ETag: quotedEtag(rec.etag),
      ChecksumAlgorithm: rec.checksum?.algorithm,
      ChecksumType: rec.checksum ? 'FULL_OBJECT' : undefined,
      Size: rec.size,
      StorageClass: rec.storageClass ?? 'STANDARD',
    };
  });
}

function encodeToken(last: NonNullable<ListPage['last']>): string {
  return Buffer.from(`${last.kind === 'key' ? 'K' : 'P'}${last.value}`, 'utf8').toString('base64');
}

function decodeToken(token: string): Pick<ListParams, 'after' | 'afterPrefix'> {
  const text = /^[A-Za-z0-9+/=_-]+$/.test(token) ? Buffer.from(token, 'base64').toString('utf8') : '';
  if (text.startsWith('K')) return { after: text.slice(1) };
  if (text.startsWith('P') && text.length > 1) return { afterPrefix: text.slice(1) };
  throw S3Errors.invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
}

export const listObjectsV2: S3Operation = (svc, req) => {
  const bucket = requireBucket(svc, req);
  const q = req.wire.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const maxKeys = maxKeysOf(req.wire);
  const encode = encodingOf(req.wire);
  const token = q.get('continuation-token');
  const startAfter = q.get('start-after');
  const resume = token !== null ? decodeToken(token) : startAfter ? { after: startAfter } : {};
  const objects = svc.storage.objects(bucket);
  const page = listPage(objects, { prefix, delimiter, maxKeys, ...resume });
  const e = encode ?? ((s: string) => s);
  return xmlResponse('ListBucketResult', {
    Name: bucket.name,
    Prefix: e(prefix),
    Delimiter: delimiter ? e(delimiter) : undefined,
    MaxKeys: maxKeys,
    KeyCount: page.keys.length + page.prefixes.length,
    IsTruncated: page.truncated,
    EncodingType: encode ? 'url' : undefined,
    ContinuationToken: token ?? undefined,
    NextContinuationToken: page.truncated && page.last ? encodeToken(page.last) : undefined,
    StartAfter: startAfter !== null ? e(startAfter) : undefined,
    Contents: contents(objects, page.keys, e),
    CommonPrefixes: page.prefixes.map((p) => ({ Prefix: e(p) })),
  });
};

export const listObjectsV1: S3Operation = (svc, req) => {
  const bucket = requireBucket(svc, req);
  const q = req.wire.query;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const marker = q.get('marker') ?? '';
  const maxKeys = maxKeysOf(req.wire);
  const encode = encodingOf(req.wire);
  const objects = svc.storage.objects(bucket);
  // A NextMarker that was a common prefix resumes past that whole prefix.
  const markerIsPrefix =
    delimiter !== '' &&
    marker.startsWith(prefix) &&
    marker.endsWith(delimiter) &&
    marker.indexOf(delimiter, prefix.length) === marker.length - delimiter.length;
  const resume = markerIsPrefix ? { afterPrefix: marker } : { after: marker || undefined };
  const page = listPage(objects, { prefix, delimiter, maxKeys, ...resume });
  const e = encode ?? ((s: string) => s);
  return xmlResponse('ListBucketResult', {
    Name: bucket.name,
    Prefix: e(prefix),
    Marker: e(marker),
    // S3 returns NextMarker only when a delimiter was given; clients otherwise use the last key.
    NextMarker: page.truncated && delimiter && page.last ? e(page.last.value) : undefined,
    MaxKeys: maxKeys,
    Delimiter: delimiter ? e(delimiter) : undefined,
    IsTruncated: page.truncated,
    EncodingType: encode ? 'url' : undefined,
    Contents: contents(objects, page.keys, e),
    CommonPrefixes: page.prefixes.map((p) => ({ Prefix: e(p) })),
  });
};
