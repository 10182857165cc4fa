/**
 * `Content-Encoding: aws-chunked` bodies, as the SDKs send streamed uploads:
 *
 *   <hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n … 0[;chunk-signature=<sig>]\r\n
 *   [<trailer name>:<value>\r\n …]\r\n
 *
 * Decoding must give back exactly the bytes sent. With `STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`
 * each chunk is signed, chained from the request's seed signature; those signatures are checked.
 */
import { createHash, createHmac } from 'node:crypto';
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

const CRLF = Buffer.from('\r\n');
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

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

function readLine(body: Buffer, pos: number): { line: string; next: number } {
  const end = body.indexOf(CRLF, pos);
  if (end < 0) throw S3Errors.incompleteBody();
  return { line: body.toString('latin1', pos, end), next: end + 2 };
}

export function decodeAwsChunked(body: Buffer, signing?: ChunkSigning): DecodedChunkedBody {
  const parts: Buffer[] = [];
  const trailers = new Map<string, string>();
  let pos = 0;
  let total = 0;
  let previous = signing?.seedSignature ?? '';
  for (;;) {
    const { line, next } = readLine(body, pos);
    pos = next;
    const semi = line.indexOf(';');
    const sizeText = (semi >= 0 ? line.slice(0, semi) : line).trim();
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) throw S3Errors.incompleteBody();
    const size = parseInt(sizeText, 16);
    if (pos + size > body.length) throw S3Errors.incompleteBody();
    const chunk = body.subarray(pos, pos + size);
    if (signing) {
      const match = /chunk-signature=([0-9a-f]{64})/.exec(line.slice(semi + 1));
      if (semi < 0 || !match) throw badChunkSignature();
      const expected = sign(signing, 'PAYLOAD', previous, createHash('sha256').update(chunk).digest('hex'));
      if (!signaturesMatch(expected, match[1]!)) throw badChunkSignature();
      previous = expected;
    }
    if (size === 0) break;
    parts.push(chunk);
    total += size;
    pos += size;
    if (!body.subarray(pos, pos + 2).equals(CRLF)) throw S3Errors.incompleteBody();
    pos += 2;
  }
  // Trailer section: header lines up to an empty line (or the end of the body).
  const trailerLines: string[] = [];
  let trailerSignature: string | undefined;
  while (pos < body.length) {
    const { line, next } = readLine(body, pos);
    pos = next;
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon <= 0) throw S3Errors.incompleteBody();
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'x-amz-trailer-signature') trailerSignature = value;
    else {
      trailers.set(name, value);
      trailerLines.push(`${name}:${value}\n`);
    }
  }
  // A signed seed with signed trailers: the trailer signature is part of the contract, not optional.
  if (signing?.trailerSigned && trailerSignature === undefined) throw badChunkSignature();
  if (signing && trailerSignature !== undefined) {
    const hash = createHash('sha256').update(trailerLines.join('')).digest('hex');
    if (!signaturesMatch(sign(signing, 'TRAILER', previous, hash), trailerSignature))
      throw badChunkSignature();
  }
  return { data: Buffer.concat(parts, total), trailers };
}
