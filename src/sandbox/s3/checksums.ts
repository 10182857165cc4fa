/**
 * The checksums S3 accepts for object data (x-amz-checksum-*), computed here because Node 20's
 * zlib has no crc32. Values are base64 of the big-endian digest, as S3 sends them.
 */
import { createHash } from 'node:crypto';

export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';

export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = [
  'CRC32',
  'CRC32C',
  'CRC64NVME',
  'SHA1',
  'SHA256',
];

function crc32Table(poly: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? poly ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

const CRC32_TABLE = crc32Table(0xedb88320);
const CRC32C_TABLE = crc32Table(0x82f63b78);

function crc32With(table: Uint32Array, data: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function crc32(data: Uint8Array): number {
  return crc32With(CRC32_TABLE, data);
}

export function crc32c(data: Uint8Array): number {
  return crc32With(CRC32C_TABLE, data);
}

let crc64Table: BigUint64Array | undefined;

/** CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5). Built lazily; rarely used. */
export function crc64nvme(data: Uint8Array): bigint {
  if (!crc64Table) {
    crc64Table = new BigUint64Array(256);
    const poly = 0x9a6c9329ac4bc9b5n;
    for (let n = 0; n < 256; n++) {
      let c = BigInt(n);
      for (let k = 0; k < 8; k++) c = c & 1n ? poly ^ (c >> 1n) : c >> 1n;
      crc64Table[n] = c;
    }
  }
  const mask = 0xffffffffffffffffn;
  let crc = mask;
  for (let i = 0; i < data.length; i++) {
    crc = crc64Table[Number((crc ^ BigInt(data[i]!)) & 0xffn)]! ^ (crc >> 8n);
  }
  return (crc ^ mask) & mask;
}

/** Base64 checksum of `data` as S3 reports it for `algorithm`. */
export function checksumBase64(algorithm: ChecksumAlgorithm, data: Uint8Array): string {
  switch (algorithm) {
    case 'CRC32':
    case 'CRC32C': {
      const buf = Buffer.alloc(4);
      buf.writeUInt32BE(algorithm === 'CRC32' ? crc32(data) : crc32c(data));
      return buf.toString('base64');
    }
    case 'CRC64NVME': {
      const buf = Buffer.alloc(8);
      buf.writeBigUInt64BE(crc64nvme(data));
      return buf.toString('base64');
    }
    case 'SHA1':
      return createHash('sha1').update(data).digest('base64');
    case 'SHA256':
      return createHash('sha256').update(data).digest('base64');
  }
}

/** `x-amz-checksum-crc32` → `CRC32`; undefined for anything else. */
export function algorithmOfHeader(name: string): ChecksumAlgorithm | undefined {
  const lower = name.toLowerCase();
  if (!lower.startsWith('x-amz-checksum-')) return undefined;
  const alg = lower.slice('x-amz-checksum-'.length).toUpperCase();
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(alg) ? (alg as ChecksumAlgorithm) : undefined;
}

export function headerOfAlgorithm(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}
