/**
 * Multipart uploads (what `aws s3 cp` uses above 8 MB): Create, UploadPart, Complete, Abort.
 * Parts are blobs under the upload's directory; completing concatenates them into one object blob,
 * with S3's multipart ETag (MD5 of the parts' binary MD5s, then `-<part count>`).
 */
import { dictionary } from '../dictionary.js';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { PRIVATE_FILE_MODE } from '../../files/privateFiles.js';
import { AwsError } from '../errors.js';
import { malformedXml, parseXmlBody, xmlResponse } from '../protocols/restXml.js';
import { childList, childText } from '../protocols/xml.js';
import { headerOfAlgorithm } from './checksums.js';
import { header, quotedEtag, requireBucket, type S3Operation, type S3Service } from './context.js';
import { checkKey, describedBy, eventFacts, receiveObjectBody, tagsFromHeader } from './objectWrites.js';
import { readRequestPayload } from './requestBody.js';
import { discardUpload } from './uploadBody.js';
import { S3Errors } from './s3Errors.js';
import type { ObjectRecord } from './storage.js';

const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_PART_NUMBER = 10_000;

interface PartRecord {
  etag: string;
  size: number;
  blob: string;
}

interface UploadRecord {
  bucket: string;
  key: string;
  initiated: number;
  described: Pick<ObjectRecord, 'contentType' | 'headers' | 'meta' | 'storageClass' | 'tags'>;
  parts: Record<string, PartRecord>;
}

interface UploadsData {
  uploads: Record<string, UploadRecord>;
}

function uploadsDoc(svc: S3Service) {
  const doc = svc.storage.store.doc<UploadsData>('s3/uploads.json', () => ({ uploads: dictionary() }));
  if (Object.getPrototypeOf(doc.data.uploads) !== null) doc.data.uploads = dictionary(doc.data.uploads);
  return doc;
}

function requireUpload(svc: S3Service, uploadId: string, bucket: string, key: string): UploadRecord {
  const all = uploadsDoc(svc).data.uploads;
  const upload = Object.hasOwn(all, uploadId) ? all[uploadId] : undefined;
  if (!upload || upload.bucket !== bucket || upload.key !== key) {
    throw new AwsError(
      'NoSuchUpload',
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      404,
      { UploadId: uploadId },
    );
  }
  return upload;
}

export const createMultipartUpload: S3Operation = (svc, req) => {
  const bucket = requireBucket(svc, req);
  checkKey(req.key);
  const uploadId = randomBytes(24).toString('base64url');
  const doc = uploadsDoc(svc);
  doc.data.uploads[uploadId] = {
    bucket: bucket.name,
    key: req.key,
    initiated: svc.clock.now(),
    described: { ...describedBy(req.wire), tags: tagsFromHeader(req.wire) },
    parts: {},
  };
  doc.changed();
  return xmlResponse('InitiateMultipartUploadResult', {
    Bucket: bucket.name,
    Key: req.key,
    UploadId: uploadId,
  });
};

function partNumberOf(raw: string | null): number {
  const n = Number(raw);
  if (raw === null || !/^\d+$/.test(raw) || n < 1 || n > MAX_PART_NUMBER) {
    throw S3Errors.invalidArgument(
      'Part number must be an integer between 1 and 10000, inclusive',
      'partNumber',
      raw ?? '',
    );
  }
  return n;
}

export const uploadPart: S3Operation = async (svc, req) => {
  requireBucket(svc, req);
  if (header(req.wire, 'x-amz-copy-source') !== undefined) throw S3Errors.notImplemented();
  const uploadId = req.wire.query.get('uploadId') ?? '';
  requireUpload(svc, uploadId, req.bucketName, req.key);
  const partNumber = partNumberOf(req.wire.query.get('partNumber'));
  const payload = await receiveObjectBody(svc, req.wire);
  let upload: UploadRecord;
  const blob = `s3/uploads/${uploadId}/${partNumber}-${randomBytes(6).toString('hex')}`;
  try {
    // Completed or aborted while the part was arriving: there is nothing to add it to.
    upload = requireUpload(svc, uploadId, req.bucketName, req.key);
    svc.storage.writeReceived(blob, payload);
  } catch (err) {
    await discardUpload(payload);
    throw err;
  }
  const previous = upload.parts[partNumber];
  upload.parts[partNumber] = { etag: payload.md5Hex, size: payload.size, blob };
  if (previous) svc.storage.store.deleteBlob(previous.blob);
  uploadsDoc(svc).changed();
  const headers: Record<string, string> = { etag: quotedEtag(upload.parts[partNumber]!.etag) };
  if (payload.checksum) headers[headerOfAlgorithm(payload.checksum.algorithm)] = payload.checksum.value;
  return { status: 200, headers };
};

const COPY_SLICE_BYTES = 1024 * 1024;

/** Append the file at `from` to the open file `out` through `slice`; returns the bytes copied. */
function appendFile(out: number, from: string, slice: Buffer): number {
  const fd = fs.openSync(from, 'r');
  let copied = 0;
  try {
    for (let n = fs.readSync(fd, slice); n > 0; n = fs.readSync(fd, slice)) {
      for (let off = 0; off < n;) off += fs.writeSync(out, slice, off, n - off);
      copied += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  return copied;
}

const invalidPart = (): AwsError =>
  new AwsError(
    'InvalidPart',
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    400,
  );

export const completeMultipartUpload: S3Operation = (svc, req) => {
  const bucket = requireBucket(svc, req);
  const uploadId = req.wire.query.get('uploadId') ?? '';
  const upload = requireUpload(svc, uploadId, bucket.name, req.key);
  const root = parseXmlBody(readRequestPayload(req.wire, svc.secret).data, 'CompleteMultipartUpload');
  const listed = childList(root, 'Part').map((p) => ({
    number: Number(childText(p, 'PartNumber')),
    etag: (childText(p, 'ETag') ?? '').replace(/"/g, '').trim(),
  }));
  if (listed.length === 0) throw malformedXml();
  listed.forEach((p, i) => {
    if (i > 0 && p.number <= listed[i - 1]!.number) {
      throw new AwsError(
        'InvalidPartOrder',
        'The list of parts was not in ascending order. Parts must be ordered by part number.',
        400,
        { UploadId: uploadId },
      );
    }
  });
  const parts: PartRecord[] = [];
  listed.forEach((p, i) => {
    const stored = upload.parts[p.number];
    if (!stored || stored.etag !== p.etag) throw invalidPart();
    if (i < listed.length - 1 && stored.size < MIN_PART_BYTES) {
      throw new AwsError(
        'EntityTooSmall',
        'Your proposed upload is smaller than the minimum allowed size',
        400,
        {
          ProposedSize: String(stored.size),
          MinSizeAllowed: String(MIN_PART_BYTES),
          PartNumber: String(p.number),
          ETag: stored.etag,
        },
      );
    }
    parts.push(stored);
  });

  // Concatenate slice by slice, so neither the object nor a part is ever in memory whole.
  const blob = svc.storage.newBlobName(bucket);
  svc.storage.writeBlob(blob, new Uint8Array(0));
  const md5s: Buffer[] = [];
  let size = 0;
  const out = fs.openSync(svc.storage.blobPath(blob), 'a', PRIVATE_FILE_MODE);
  try {
    const slice = Buffer.allocUnsafe(COPY_SLICE_BYTES);
    for (const part of parts) {
      size += appendFile(out, svc.storage.blobPath(part.blob), slice);
      md5s.push(Buffer.from(part.etag, 'hex'));
    }
  } catch (err) {
    fs.closeSync(out);
    svc.storage.store.deleteBlob(blob);
    throw (err as NodeJS.ErrnoException).code === 'ENOENT' ? invalidPart() : err;
  }
  fs.closeSync(out);
  const etag = `${createHash('md5').update(Buffer.concat(md5s)).digest('hex')}-${parts.length}`;
  const record: ObjectRecord = {
    size,
    etag,
    lastModified: svc.clock.now(),
    blob,
    ...upload.described,
  };
  const previous = svc.storage.objects(bucket).put(req.key, record);
  if (previous) svc.storage.releaseBlob(previous.blob);
  discard(svc, uploadId);
  svc.events.objectCreated(bucket, eventFacts(svc, req.wire, req.key, 'CompleteMultipartUpload', record));
  return xmlResponse(
    'CompleteMultipartUploadResult',
    {
      Location: `${req.wire.endpoint}/${bucket.name}/${encodeURIComponent(req.key).replace(/%2F/g, '/')}`,
      Bucket: bucket.name,
      Key: req.key,
      ETag: quotedEtag(etag),
    },
    { headers: { 'x-amz-server-side-encryption': 'AES256' } },
  );
};

function discard(svc: S3Service, uploadId: string): void {
  const doc = uploadsDoc(svc);
  delete doc.data.uploads[uploadId];
  doc.changed();
  svc.storage.store.removeTree(`s3/uploads/${uploadId}`);
}

export const abortMultipartUpload: S3Operation = (svc, req) => {
  requireBucket(svc, req);
  const uploadId = req.wire.query.get('uploadId') ?? '';
  requireUpload(svc, uploadId, req.bucketName, req.key);
  discard(svc, uploadId);
  return { status: 204 };
};
