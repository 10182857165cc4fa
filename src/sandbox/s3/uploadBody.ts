/**
 * An upload's payload (PutObject, UploadPart) received as it arrives, so memory stays flat however
 * large it is: aws-chunked framing decoded and its chunk signatures checked on the way, its MD5 and
 * every checksum the request names computed incrementally, and its bytes spooled to a temp file in
 * the state directory (`s3/incoming/`) once they outgrow a small in-memory buffer. Refused with S3's
 * error as soon as the problem shows (EntityTooLarge, IncompleteBody, SignatureDoesNotMatch,
 * XAmzContentSHA256Mismatch, BadDigest); on any failure, or an aborted connection, the temp file is
 * removed before the error is answered.
 */
import fs from 'node:fs';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PRIVATE_FILE_MODE } from '../../files/privateFiles.js';
import { AwsError } from '../errors.js';
import type { WireRequest } from '../protocols/types.js';
import { AwsChunkedDecoder } from './awsChunked.js';
import { createChecksum, type ChecksumAlgorithm } from './checksums.js';
import {
  chunkSigning,
  declaredDecodedLength,
  isAwsChunked,
  PayloadChecks,
  readRequestPayload,
  type VerifiedChecksum,
} from './requestBody.js';
import { S3Errors } from './s3Errors.js';

/** Bodies up to this size are kept in memory until verified (a PutObject of a few KiB stays cheap). */
export const IN_MEMORY_BYTES = 64 * 1024;

/**
 * Whether an upload's body should reach the service as a stream: unless its declared length is
 * small enough to read whole, as every other request is (cheaper for the many small PutObjects).
 */
export function streamsUpload(wire: WireRequest): boolean {
  const declared = Number(wire.headers['content-length']);
  return !(wire.headers['content-length'] !== undefined && declared <= IN_MEMORY_BYTES);
}
const READ_BACK_BYTES = 1024 * 1024;

/** A verified upload, either in memory (small) or in a temp file (large), not yet stored. */
export interface ReceivedUpload {
  size: number;
  md5Hex: string;
  checksum?: VerifiedChecksum;
  data?: Buffer;
  tempFile?: string;
}

export interface UploadTarget {
  /** The largest payload accepted (S3: 5 GiB for a PutObject or a part). */
  maxBytes: number;
  tooLarge(): AwsError;
  /** A fresh temp file path in the state directory, for a body that outgrows memory. */
  tempFile(): string;
}

/** Collects the payload: in memory while small, then in the temp file; feeds `checks` as it goes. */
class UploadSpool extends Writable {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** The temp file, once opened (the promise is kept so a failure can wait for an open in flight). */
  private file: Promise<fs.promises.FileHandle> | undefined;
  path: string | undefined;

  constructor(
    private readonly checks: PayloadChecks,
    private readonly target: UploadTarget,
  ) {
    super({ highWaterMark: IN_MEMORY_BYTES });
  }

  get data(): Buffer | undefined {
    return this.path === undefined ? Buffer.concat(this.chunks, this.buffered) : undefined;
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, callback: (err?: Error | null) => void): void {
    this.checks.update(chunk);
    if (this.checks.size > this.target.maxBytes) {
      callback(this.target.tooLarge());
      return;
    }
    if (this.path === undefined && this.buffered + chunk.length <= IN_MEMORY_BYTES) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      callback();
      return;
    }
    this.toFile(chunk).then(() => callback(), callback);
  }

  private async toFile(chunk: Buffer): Promise<void> {
    if (!this.file) {
      this.path = this.target.tempFile();
      this.file = fs.promises.open(this.path, 'w', PRIVATE_FILE_MODE);
      const file = await this.file;
      const held = this.chunks;
      this.chunks = [];
      this.buffered = 0;
      for (const c of held) await writeAll(file, c);
    }
    await writeAll(await this.file, chunk);
  }

  override _final(callback: (err?: Error | null) => void): void {
    this.close().then(() => callback(), callback);
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    this.close().then(
      () => callback(err),
      () => callback(err),
    );
  }

  private async close(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    if (file) await (await file).close();
  }

  /** Remove whatever was spooled (after a failure). */
  async discard(): Promise<void> {
    this.chunks = [];
    await this.close().catch(() => undefined);
    if (this.path !== undefined) await fs.promises.rm(this.path, { force: true });
  }
}

async function writeAll(file: fs.promises.FileHandle, data: Buffer): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await file.write(data, offset, data.length - offset);
    offset += bytesWritten;
  }
}

/** aws-chunked framing → payload bytes, held to the declared decoded length and the size limit. */
function chunkedDecoding(
  wire: WireRequest,
  secret: string,
  target: UploadTarget,
): Transform & { trailers: ReadonlyMap<string, string> } {
  const decoder = new AwsChunkedDecoder(chunkSigning(wire, secret));
  const declared = declaredDecodedLength(wire);
  let decoded = 0;
  const transform = new Transform({
    transform(piece: Buffer, _enc, callback) {
      try {
        for (const bytes of decoder.write(piece)) {
          decoded += bytes.length;
          if (declared !== undefined && decoded > declared) throw S3Errors.incompleteBody();
          if (decoded > target.maxBytes) throw target.tooLarge();
          this.push(bytes);
        }
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
    flush(callback) {
      try {
        decoder.end();
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
  });
  return Object.assign(transform, { trailers: decoder.trailers });
}

/** The checksum of a spooled file, read back in slices (an algorithm nobody announced). */
function checksumOfFile(file: string, algorithm: ChecksumAlgorithm): string {
  const h = createChecksum(algorithm);
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(READ_BACK_BYTES);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  return h.digestBase64();
}

/** Receive and verify an upload's payload; see the module comment. */
export async function receiveUpload(
  wire: WireRequest,
  secret: string,
  target: UploadTarget,
): Promise<ReceivedUpload> {
  const checks = new PayloadChecks(wire);
  const chunked = isAwsChunked(wire);
  const declared = chunked ? declaredDecodedLength(wire) : Number(wire.headers['content-length'] ?? 0);
  if (declared !== undefined && declared > target.maxBytes) throw target.tooLarge();
  // The SDKs send aws-chunked uploads with HTTP chunking, sized by x-amz-decoded-content-length.
  const sized = wire.headers['content-length'] !== undefined || (chunked && declared !== undefined);
  if (wire.headers['transfer-encoding'] !== undefined && !sized) throw S3Errors.missingContentLength();
  if (!wire.bodyStream) {
    // Small enough to have been read whole (see `streamsUpload`).
    const payload = readRequestPayload(wire, secret);
    if (payload.data.length > target.maxBytes) throw target.tooLarge();
    return {
      size: payload.data.length,
      md5Hex: payload.md5Hex,
      checksum: payload.checksum,
      data: payload.data,
    };
  }
  const source = wire.bodyStream;
  const decoding = chunked ? chunkedDecoding(wire, secret, target) : undefined;
  const spool = new UploadSpool(checks, target);
  try {
    try {
      if (decoding) await pipeline(source, decoding, spool);
      else await pipeline(source, spool);
    } catch (err) {
      // A broken or abandoned connection is a body that never arrived whole.
      throw err instanceof AwsError ? err : S3Errors.incompleteBody();
    }
    if (chunked && declared !== undefined && declared !== checks.size) throw S3Errors.incompleteBody();
    const data = spool.data;
    const { md5Hex, checksum } = checks.finish(decoding?.trailers ?? new Map(), (algorithm) => {
      if (data) {
        const h = createChecksum(algorithm);
        h.update(data);
        return h.digestBase64();
      }
      return checksumOfFile(spool.path!, algorithm);
    });
    return { size: checks.size, md5Hex, checksum, data, tempFile: spool.path };
  } catch (err) {
    await spool.discard();
    throw err;
  }
}

/** Forget an upload that was received but will not be stored (a condition failed meanwhile). */
export async function discardUpload(upload: ReceivedUpload): Promise<void> {
  if (upload.tempFile !== undefined) await fs.promises.rm(upload.tempFile, { force: true });
}
