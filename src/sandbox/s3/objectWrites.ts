/** Object writes: PutObject, CopyObject, DeleteObject, DeleteObjects, object tagging. */
import { dictionary } from '../dictionary.js';
import { AwsError } from '../errors.js';
import { malformedXml, parseXmlBody, xmlResponse } from '../protocols/restXml.js';
import type { WireRequest, WireResponse } from '../protocols/types.js';
import { childList, childText } from '../protocols/xml.js';
import { SANDBOX_ACCOUNT_ID } from '../credentials.js';
import { headerOfAlgorithm } from './checksums.js';
import {
  header,
  isoTime,
  quotedEtag,
  requireBucket,
  type S3Operation,
  type S3Request,
  type S3Service,
} from './context.js';
import { readRequestPayload, type RequestPayload } from './requestBody.js';
import { discardUpload, receiveUpload, type ReceivedUpload } from './uploadBody.js';
import { S3Errors } from './s3Errors.js';
import type { BucketRecord, ObjectRecord, Tag } from './storage.js';
import { parseTagging, parseTaggingHeader, taggingXml } from './tagging.js';

const STORED_HEADERS = ['content-disposition', 'content-language', 'cache-control', 'expires'];
const MAX_KEY_BYTES = 1024;
const MAX_METADATA_BYTES = 2048;
const SOURCE_IP = '127.0.0.1';

export function checkKey(key: string): void {
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw new AwsError('KeyTooLongError', 'Your key is too long', 400, {
      Size: String(Buffer.byteLength(key)),
      MaxSizeAllowed: String(MAX_KEY_BYTES),
    });
  }
}

/** Representation headers and user metadata a write sets (PutObject, CopyObject with REPLACE). */
export function describedBy(
  wire: WireRequest,
): Pick<ObjectRecord, 'contentType' | 'headers' | 'meta' | 'storageClass'> {
  const headers = dictionary<string>();
  for (const name of STORED_HEADERS) {
    const v = header(wire, name);
    if (v !== undefined) headers[name] = v;
  }
  const encoding = (header(wire, 'content-encoding') ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '' && e !== 'aws-chunked')
    .join(',');
  if (encoding) headers['content-encoding'] = encoding;
  const meta = dictionary<string>();
  let metaBytes = 0;
  for (const [name, value] of Object.entries(wire.headers)) {
    if (!name.startsWith('x-amz-meta-') || value === undefined) continue;
    const key = name.slice('x-amz-meta-'.length);
    meta[key] = Array.isArray(value) ? value.join(',') : value;
    metaBytes += Buffer.byteLength(key) + Buffer.byteLength(meta[key]);
  }
  if (metaBytes > MAX_METADATA_BYTES) {
    throw new AwsError(
      'MetadataTooLarge',
      'Your metadata headers exceed the maximum allowed metadata size',
      400,
      {
        Size: String(metaBytes),
        MaxSizeAllowed: String(MAX_METADATA_BYTES),
      },
    );
  }
  const storageClass = header(wire, 'x-amz-storage-class');
  return {
    contentType: header(wire, 'content-type') ?? 'binary/octet-stream',
    headers: Object.keys(headers).length > 0 ? headers : undefined,
    meta: Object.keys(meta).length > 0 ? meta : undefined,
    storageClass: storageClass && storageClass !== 'STANDARD' ? storageClass : undefined,
  };
}

export function tagsFromHeader(wire: WireRequest): Tag[] | undefined {
  const value = header(wire, 'x-amz-tagging');
  if (value === undefined) return undefined;
  const tags = parseTaggingHeader(value);
  return tags.length > 0 ? tags : undefined;
}

/**
 * Store a new version of `key` whose body `writeBody` puts in the given blob: blob first, then
 * metadata, then drop the old blob.
 */
function storeObject(
  svc: S3Service,
  bucket: BucketRecord,
  key: string,
  body: { size: number; etag: string; writeBody(blob: string): void },
  fields: Omit<ObjectRecord, 'size' | 'etag' | 'lastModified' | 'blob'>,
): ObjectRecord {
  const blob = svc.storage.newBlobName(bucket);
  body.writeBody(blob);
  const record: ObjectRecord = {
    size: body.size,
    etag: body.etag,
    lastModified: svc.clock.now(),
    blob,
    ...fields,
  };
  const previous = svc.storage.objects(bucket).put(key, record);
  if (previous) svc.storage.releaseBlob(previous.blob);
  return record;
}

/** S3's single-request upload limit (PutObject, and each UploadPart): 5 GiB. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024 * 1024;

/** Receive a PutObject or UploadPart payload (see uploadBody.ts) into the bucket's storage. */
export function receiveObjectBody(svc: S3Service, wire: WireRequest): Promise<ReceivedUpload> {
  return receiveUpload(wire, svc.secret, {
    maxBytes: MAX_UPLOAD_BYTES,
    tooLarge: () => S3Errors.entityTooLarge(MAX_UPLOAD_BYTES),
    tempFile: () => svc.storage.incomingFile(),
  });
}

/**
 * The bucket still exists as it was when the upload began (it may have been deleted, or deleted
 * and created again, while the body arrived).
 */
export function requireSameBucket(svc: S3Service, req: S3Request, bucket: BucketRecord): void {
  if (svc.storage.bucket(req.bucketName) !== bucket) throw S3Errors.noSuchBucket(req.bucketName);
}

export function eventFacts(
  svc: S3Service,
  wire: WireRequest,
  key: string,
  reason: string,
  rec?: ObjectRecord,
) {
  return {
    key,
    size: rec?.size,
    etag: rec?.etag,
    reason,
    requestId: wire.requestId,
    requester: SANDBOX_ACCOUNT_ID,
    sourceIp: SOURCE_IP,
    now: svc.clock.now(),
  };
}

function checksumHeaders(checksum: RequestPayload['checksum']): Record<string, string> {
  if (!checksum) return {};
  return { [headerOfAlgorithm(checksum.algorithm)]: checksum.value, 'x-amz-checksum-type': 'FULL_OBJECT' };
}

/** Conditional writes: `If-None-Match: *` (must not exist) and `If-Match: <etag>` (must match). */
function checkWriteConditions(wire: WireRequest, existing: ObjectRecord | undefined, key: string): void {
  const noneMatch = header(wire, 'if-none-match');
  if (
    noneMatch !== undefined &&
    existing &&
    (noneMatch.trim() === '*' || noneMatch.includes(existing.etag))
  ) {
    throw S3Errors.preconditionFailed('If-None-Match');
  }
  const match = header(wire, 'if-match');
  if (match !== undefined) {
    if (!existing) throw S3Errors.noSuchKey(key);
    if (match.trim() !== '*' && !match.includes(existing.etag)) throw S3Errors.preconditionFailed('If-Match');
  }
}

export const putObject: S3Operation = async (svc, req) => {
  const bucket = requireBucket(svc, req);
  checkKey(req.key);
  const described = describedBy(req.wire);
  const tags = tagsFromHeader(req.wire);
  const payload = await receiveObjectBody(svc, req.wire);
  let record: ObjectRecord;
  try {
    requireSameBucket(svc, req, bucket);
    checkWriteConditions(req.wire, svc.storage.objects(bucket).get(req.key), req.key);
    record = storeObject(
      svc,
      bucket,
      req.key,
      {
        size: payload.size,
        etag: payload.md5Hex,
        writeBody: (blob) => svc.storage.writeReceived(blob, payload),
      },
      { ...described, checksum: payload.checksum, tags },
    );
  } catch (err) {
    await discardUpload(payload);
    throw err;
  }
  svc.events.objectCreated(bucket, eventFacts(svc, req.wire, req.key, 'PutObject', record));
  return {
    status: 200,
    headers: {
      etag: quotedEtag(record.etag),
      'x-amz-server-side-encryption': 'AES256',
      ...checksumHeaders(payload.checksum),
    },
  };
};

function parseCopySource(value: string): { bucket: string; key: string } {
  let decoded: string;
  try {
    decoded = decodeURIComponent(value.split('?')[0]!);
  } catch {
    decoded = value;
  }
  const path = decoded.startsWith('/') ? decoded.slice(1) : decoded;
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) {
    throw S3Errors.invalidArgument(
      'Copy Source must mention the source bucket and key: sourcebucket/sourcekey',
      'x-amz-copy-source',
      value,
    );
  }
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}

function directive(wire: WireRequest, name: string): 'COPY' | 'REPLACE' {
  const value = header(wire, name) ?? 'COPY';
  if (value !== 'COPY' && value !== 'REPLACE') {
    throw S3Errors.invalidArgument(
      `Unknown ${name.includes('tagging') ? 'tagging' : 'metadata'} directive.`,
      name,
      value,
    );
  }
  return value;
}

export const copyObject: S3Operation = (svc, req) => {
  const bucket = requireBucket(svc, req);
  checkKey(req.key);
  const source = parseCopySource(header(req.wire, 'x-amz-copy-source')!);
  const sourceBucket = svc.storage.bucket(source.bucket);
  if (!sourceBucket) throw S3Errors.noSuchBucket(source.bucket);
  const from = svc.storage.objects(sourceBucket).get(source.key);
  if (!from) throw S3Errors.noSuchKey(source.key);
  const ifMatch = header(req.wire, 'x-amz-copy-source-if-match');
  if (ifMatch !== undefined && !ifMatch.includes(from.etag)) {
    throw S3Errors.preconditionFailed('x-amz-copy-source-If-Match');
  }
  const ifNoneMatch = header(req.wire, 'x-amz-copy-source-if-none-match');
  if (ifNoneMatch !== undefined && ifNoneMatch.includes(from.etag)) {
    throw S3Errors.preconditionFailed('x-amz-copy-source-If-None-Match');
  }
  const metadata = directive(req.wire, 'x-amz-metadata-directive');
  const tagging = directive(req.wire, 'x-amz-tagging-directive');
  const changesSomething = metadata === 'REPLACE' || header(req.wire, 'x-amz-storage-class') !== undefined;
  if (sourceBucket === bucket && source.key === req.key && !changesSomething) {
    throw S3Errors.invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  const described =
    metadata === 'REPLACE'
      ? describedBy(req.wire)
      : {
          contentType: from.contentType,
          headers: from.headers,
          meta: from.meta,
          storageClass: from.storageClass,
        };
  // The copy's ETag is its MD5: the source's own unless that is a multipart ETag.
  const etag = from.etag.includes('-') ? svc.storage.md5OfBlob(from.blob) : from.etag;
  const body = { size: from.size, etag, writeBody: (blob: string) => svc.storage.copyBlob(from.blob, blob) };
  const record = storeObject(svc, bucket, req.key, body, {
    ...described,
    checksum: from.checksum,
    tags: tagging === 'REPLACE' ? tagsFromHeader(req.wire) : from.tags,
  });
  svc.events.objectCreated(bucket, eventFacts(svc, req.wire, req.key, 'CopyObject', record));
  const result: Record<string, string> = {
    ETag: quotedEtag(record.etag),
    LastModified: isoTime(record.lastModified),
  };
  if (record.checksum) {
    result.ChecksumType = 'FULL_OBJECT';
    result[`Checksum${record.checksum.algorithm}`] = record.checksum.value;
  }
  return xmlResponse('CopyObjectResult', result, { headers: { 'x-amz-server-side-encryption': 'AES256' } });
};

/** Remove one key; true when something was there. */
function removeObject(svc: S3Service, bucket: BucketRecord, key: string): ObjectRecord | undefined {
  const previous = svc.storage.objects(bucket).delete(key);
  if (previous) svc.storage.releaseBlob(previous.blob);
  return previous;
}

export const deleteObject: S3Operation = (svc, req) => {
  const bucket = requireBucket(svc, req);
  if (removeObject(svc, bucket, req.key)) {
    svc.events.objectDeleted(bucket, eventFacts(svc, req.wire, req.key, 'DeleteObject'));
  }
  return { status: 204 };
};

const MAX_DELETE_KEYS = 1000;

export const deleteObjects: S3Operation = (svc, req): WireResponse => {
  const bucket = requireBucket(svc, req);
  const wire = req.wire;
  const hasIntegrityHeader =
    header(wire, 'content-md5') !== undefined ||
    Object.keys(wire.headers).some((h) =>
      /^x-amz-(checksum-(crc|sha)|sdk-checksum-algorithm|trailer)/.test(h),
    );
  if (!hasIntegrityHeader) {
    throw S3Errors.invalidRequest('Missing required header for this request: Content-MD5');
  }
  const payload = readRequestPayload(wire, svc.secret);
  const root = parseXmlBody(payload.data, 'Delete');
  const objects = childList(root, 'Object');
  if (objects.length === 0 || objects.length > MAX_DELETE_KEYS) throw malformedXml();
  const quiet = childText(root, 'Quiet')?.trim().toLowerCase() === 'true';
  const deleted: Array<Record<string, string>> = [];
  const errors: Array<Record<string, string>> = [];
  for (const obj of objects) {
    const key = childText(obj, 'Key');
    if (key === undefined || key === '') throw malformedXml();
    if (svc.mayDelete && !svc.mayDelete(wire, bucket.name, key)) {
      errors.push({ Key: key, Code: 'AccessDenied', Message: 'Access Denied' });
      continue;
    }
    if (removeObject(svc, bucket, key)) {
      svc.events.objectDeleted(bucket, eventFacts(svc, wire, key, 'DeleteObjects'));
    }
    if (!quiet) deleted.push({ Key: key });
  }
  return xmlResponse(
    'DeleteResult',
    errors.length > 0 ? { Deleted: deleted, Error: errors } : { Deleted: deleted },
  );
};

// ---- object tagging ------------------------------------------------------------------------

function requireObject(svc: S3Service, bucket: BucketRecord, key: string): ObjectRecord {
  const rec = svc.storage.objects(bucket).get(key);
  if (!rec) throw S3Errors.noSuchKey(key);
  return rec;
}

export const getObjectTagging: S3Operation = (svc, req) => {
  const rec = requireObject(svc, requireBucket(svc, req), req.key);
  return xmlResponse('Tagging', taggingXml(rec.tags ?? []));
};

export const putObjectTagging: S3Operation = (svc, req) => {
  const bucket = requireBucket(svc, req);
  const rec = requireObject(svc, bucket, req.key);
  const tags = parseTagging(parseXmlBody(readRequestPayload(req.wire, svc.secret).data, 'Tagging'), 'object');
  svc.storage.objects(bucket).put(req.key, { ...rec, tags: tags.length > 0 ? tags : undefined });
  return { status: 200 };
};

export const deleteObjectTagging: S3Operation = (svc, req) => {
  const bucket = requireBucket(svc, req);
  const rec = requireObject(svc, bucket, req.key);
  svc.storage.objects(bucket).put(req.key, { ...rec, tags: undefined });
  return { status: 204 };
};
