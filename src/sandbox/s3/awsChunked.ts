/**
 * `Content-Encoding: aws-chunked` bodies, as the SDKs send streamed uploads:
 *
 *   <hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n … 0[;chunk-signature=<sig>]\r\n
 *   [<trailer name>:<value>\r\n …]\r\n
 *
 * Decoded incrementally, in whatever pieces the socket delivers, so an upload never has to be in
 * memory whole. Decoding gives back exactly the bytes sent. With
 * `STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]` each chunk is signed, chained from the request's
 * seed signature; those signatures are checked as each chunk ends.
 */
import { createHash, createHmac, type Hash } from 'node:crypto';
import { AwsError } from '../errors.js';
import { signaturesMatch } from '../sigv4.js';
import { S3Errors } from './s3Errors.js';

export interface ChunkSigning {
  /** The Authorization header's signature, which seeds the chain. */
  seedSignature: string;
  amzDate: string;
  /** `<date>/<region>/s3/aws4_request` */
  scope: string;
  signingKey: Buffer;
  /** `…-PAYLOAD-TRAILER`: the trailer section must end with a valid `x-amz-trailer-signature`. */
  trailerSigned?: boolean;
}

export interface DecodedChunkedBody {
  data: Buffer;
  /** Trailer headers, lower-cased names (e.g. `x-amz-checksum-crc32`). */
  trailers: Map<string, string>;
}

const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');
/** A chunk header is a hex size and one signature; a trailer section a few checksum lines. */
const MAX_LINE_BYTES = 4096;
const MAX_TRAILER_BYTES = 16 * 1024;
const CR = 0x0d;
const LF = 0x0a;

const badChunkSignature = (): AwsError =>
  new AwsError(
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    403,
  );

function sign(signing: ChunkSigning, kind: 'PAYLOAD' | 'TRAILER', previous: string, hash: string): string {
  const stringToSign = [
    `AWS4-HMAC-SHA256-${kind}`,
    signing.amzDate,
    signing.scope,
    previous,
    ...(kind === 'PAYLOAD' ? [EMPTY_SHA256] : []),
    hash,
  ].join('\n');
  return createHmac('sha256', signing.signingKey).update(stringToSign).digest('hex');
}

type Phase = 'header' | 'data' | 'data-end' | 'trailer' | 'done';

/** A push decoder: feed it the raw body in pieces, take back the payload bytes each piece carried. */
export class AwsChunkedDecoder {
  readonly trailers = new Map<string, string>();
  private phase: Phase = 'header';
  private line: Buffer[] = [];
  private lineBytes = 0;
  private trailerBytes = 0;
  private remaining = 0;
  /** CRLF bytes still expected after a chunk's data. */
  private crlfLeft = 0;
  private chunkSignature = '';
  private chunkHash: Hash | undefined;
  private previous: string;
  private readonly trailerLines: string[] = [];
  private trailerSignature: string | undefined;

  constructor(private readonly signing?: ChunkSigning) {
    this.previous = signing?.seedSignature ?? '';
  }

  /** Decode the next piece of the body; the payload bytes returned are views into `piece`. */
  write(piece: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let pos = 0;
    while (pos < piece.length) {
      switch (this.phase) {
        case 'header':
        case 'trailer': {
          const { line, next } = this.takeLine(piece, pos);
          pos = next;
          if (line !== undefined) {
            if (this.phase === 'header') this.startChunk(line);
            else this.trailerLine(line);
          }
          break;
        }
        case 'data': {
          const n = Math.min(this.remaining, piece.length - pos);
          const bytes = piece.subarray(pos, pos + n);
          this.chunkHash?.update(bytes);
          out.push(bytes);
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) {
            this.verifyChunk();
            this.phase = 'data-end';
            this.crlfLeft = 2;
          }
          break;
        }
        case 'data-end': {
          const expected = this.crlfLeft === 2 ? CR : LF;
          if (piece[pos] !== expected) throw S3Errors.incompleteBody();
          pos++;
          if (--this.crlfLeft === 0) this.phase = 'header';
          break;
        }
        case 'done':
          // Whatever follows the trailer section's closing empty line is not part of the body.
          return out;
      }
    }
    return out;
  }

  /** The body has ended: check that its framing (and trailer signature) is complete. */
  end(): Map<string, string> {
    const complete = this.phase === 'done' || (this.phase === 'trailer' && this.lineBytes === 0);
    if (!complete) throw S3Errors.incompleteBody();
    // A signed seed with signed trailers: the trailer signature is part of the contract, not optional.
    if (this.signing?.trailerSigned && this.trailerSignature === undefined) throw badChunkSignature();
    if (this.signing && this.trailerSignature !== undefined) {
      const hash = createHash('sha256').update(this.trailerLines.join('')).digest('hex');
      if (!signaturesMatch(sign(this.signing, 'TRAILER', this.previous, hash), this.trailerSignature))
        throw badChunkSignature();
    }
    return this.trailers;
  }

  /** Collect a CRLF-terminated line that may span pieces; `line` is set once it is complete. */
  private takeLine(piece: Buffer, pos: number): { line?: string; next: number } {
    const lf = piece.indexOf(LF, pos);
    const end = lf < 0 ? piece.length : lf;
    this.lineBytes += end - pos;
    if (this.phase === 'trailer') this.trailerBytes += end - pos + 1;
    if (this.lineBytes > MAX_LINE_BYTES + 1 || this.trailerBytes > MAX_TRAILER_BYTES) {
      throw S3Errors.incompleteBody();
    }
    this.line.push(piece.subarray(pos, end));
    if (lf < 0) return { next: piece.length };
    const whole = Buffer.concat(this.line);
    this.line = [];
    this.lineBytes = 0;
    if (whole[whole.length - 1] !== CR) throw S3Errors.incompleteBody();
    return { line: whole.toString('latin1', 0, whole.length - 1), next: lf + 1 };
  }

  private startChunk(line: string): void {
    const semi = line.indexOf(';');
    const sizeText = (semi >= 0 ? line.slice(0, semi) : line).trim();
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) throw S3Errors.incompleteBody();
    const size = parseInt(sizeText, 16);
    if (this.signing) {
      const match = /chunk-signature=([0-9a-f]{64})/.exec(line.slice(semi + 1));
      if (semi < 0 || !match) throw badChunkSignature();
      this.chunkSignature = match[1]!;
      this.chunkHash = createHash('sha256');
    }
    if (size === 0) {
      this.verifyChunk();
      this.phase = 'trailer';
      return;
    }
    this.remaining = size;
    this.phase = 'data';
  }

  private verifyChunk(): void {
    if (!this.signing || !this.chunkHash) return;
    const expected = sign(this.signing, 'PAYLOAD', this.previous, this.chunkHash.digest('hex'));
    this.chunkHash = undefined;
    if (!signaturesMatch(expected, this.chunkSignature)) throw badChunkSignature();
    this.previous = expected;
  }

  private trailerLine(line: string): void {
    if (line === '') {
      this.phase = 'done';
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw S3Errors.incompleteBody();
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'x-amz-trailer-signature') this.trailerSignature = value;
    else {
      this.trailers.set(name, value);
      this.trailerLines.push(`${name}:${value}\n`);
    }
  }
}

/** Decode a whole aws-chunked body held in memory (small requests: tagging, DeleteObjects, …). */
export function decodeAwsChunked(body: Buffer, signing?: ChunkSigning): DecodedChunkedBody {
  const decoder = new AwsChunkedDecoder(signing);
  const parts = decoder.write(body);
  const trailers = decoder.end();
  return { data: Buffer.concat(parts), trailers };
}
