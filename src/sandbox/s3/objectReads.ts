/** Object reads: GetObject and HeadObject, with Range and the conditional headers. */
import fs from 'node:fs';
import { AwsError } from '../errors.js';
import type { WireRequest, WireResponse } from '../protocols/types.js';
import { headerOfAlgorithm } from './checksums.js';
import { header, httpDate, quotedEtag, requireBucket, type S3Operation } from './context.js';
import { S3Errors } from './s3Errors.js';
import type { ObjectRecord } from './storage.js';

/** Bodies up to this size are read into memory; larger ones are streamed from disk. */
const STREAM_THRESHOLD = 1024 * 1024;

const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

function objectHeaders(rec: ObjectRecord, wire: WireRequest): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': rec.contentType,
    etag: quotedEtag(rec.etag),
    'last-modified': httpDate(rec.lastModified),
    'accept-ranges': 'bytes',
    'x-amz-server-side-encryption': 'AES256',
    ...(rec.headers ?? {}),
  };
  for (const [name, value] of Object.entries(rec.meta ?? {})) headers[`x-amz-meta-${name}`] = value;
  if (rec.tags && rec.tags.length > 0) headers['x-amz-tagging-count'] = String(rec.tags.length);
  if (rec.storageClass) headers['x-amz-storage-class'] = rec.storageClass;
  for (const [param, name] of Object.entries(RESPONSE_OVERRIDES)) {
    const v = wire.query.get(param);
    if (v !== null) headers[name] = v;
  }
  return headers;
}

/** A single satisfiable byte range, 'all' for none/ignored, or a 416. */
function byteRange(rangeHeader: string | undefined, size: number): { start: number; end: number } | 'all' {
  if (rangeHeader === undefined) return 'all';
  const m = /^bytes=(\d*)-(\d*)$/.exec(rangeHeader.trim());
  // Multiple or malformed ranges: S3 ignores the header and returns the whole object.
  if (!m || (m[1] === '' && m[2] === '')) return 'all';
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) throw S3Errors.invalidRange(rangeHeader, size);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Number(m[2]);
  if (m[2] !== '' && end < start) return 'all';
  if (start >= size) throw S3Errors.invalidRange(rangeHeader, size);
  return { start, end: Math.min(end, size - 1) };
}

function etagListMatches(list: string, etag: string): boolean {
  return list.split(',').some((t) => {
    const v = t.trim();
    return v === '*' || v.replace(/^W\//, '').replace(/"/g, '') === etag;
  });
}

/**
 * The conditional headers, in S3's order of precedence. Returns a 304 response when the client's
 * copy is current; throws 412 when a precondition fails.
 */
function conditionalResponse(wire: WireRequest, rec: ObjectRecord): WireResponse | undefined {
  const ifMatch = header(wire, 'if-match');
  const ifUnmodified = header(wire, 'if-unmodified-since');
  const ifNoneMatch = header(wire, 'if-none-match');
  const ifModified = header(wire, 'if-modified-since');
  const lastModifiedSec = Math.floor(rec.lastModified / 1000) * 1000;
  if (ifMatch !== undefined && !etagListMatches(ifMatch, rec.etag))
    throw S3Errors.preconditionFailed('If-Match');
  if (ifMatch === undefined && ifUnmodified !== undefined) {
    const t = Date.parse(ifUnmodified);
    if (!Number.isNaN(t) && lastModifiedSec > t) throw S3Errors.preconditionFailed('If-Unmodified-Since');
  }
  const notModified = (): WireResponse => ({
    status: 304,
    headers: { etag: quotedEtag(rec.etag), 'last-modified': httpDate(rec.lastModified) },
  });
  if (ifNoneMatch !== undefined) {
    if (etagListMatches(ifNoneMatch, rec.etag)) return notModified();
  } else if (ifModified !== undefined) {
    const t = Date.parse(ifModified);
    if (!Number.isNaN(t) && lastModifiedSec <= t) return notModified();
  }
  return undefined;
}

function findObject(svc: Parameters<S3Operation>[0], req: Parameters<S3Operation>[1]): ObjectRecord {
  const bucket = requireBucket(svc, req);
  const rec = svc.storage.objects(bucket).get(req.key);
  if (!rec) throw S3Errors.noSuchKey(req.key);
  return rec;
}

function read(
  svc: Parameters<S3Operation>[0],
  rec: ObjectRecord,
  start: number,
  end: number,
): WireResponse['body'] {
  const length = end - start + 1;
  if (length <= 0) return Buffer.alloc(0);
  if (rec.size > STREAM_THRESHOLD) {
    return fs.createReadStream(svc.storage.blobPath(rec.blob), { start, end });
  }
  const data = svc.storage.readBlob(rec.blob);
  if (!data) throw new AwsError('InternalError', 'We encountered an internal error. Please try again.', 500);
  return start === 0 && length === data.length ? data : data.subarray(start, end + 1);
}

function respond(
  svc: Parameters<S3Operation>[0],
  req: Parameters<S3Operation>[1],
  withBody: boolean,
): WireResponse {
  const rec = findObject(svc, req);
  const wire = req.wire;
  const conditional = conditionalResponse(wire, rec);
  if (conditional) return conditional;
  const headers = objectHeaders(rec, wire);
  const range = byteRange(header(wire, 'range'), rec.size);
  const { start, end } = range === 'all' ? { start: 0, end: rec.size - 1 } : range;
  headers['content-length'] = String(Math.max(0, end - start + 1));
  if (range !== 'all') headers['content-range'] = `bytes ${start}-${end}/${rec.size}`;
  else if (rec.checksum && header(wire, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED') {
    headers[headerOfAlgorithm(rec.checksum.algorithm)] = rec.checksum.value;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  return {
    status: range === 'all' ? 200 : 206,
    headers,
    body: withBody ? read(svc, rec, start, end) : undefined,
  };
}

export const getObject: S3Operation = (svc, req) => respond(svc, req, true);

export const headObject: S3Operation = (svc, req) => respond(svc, req, false);
