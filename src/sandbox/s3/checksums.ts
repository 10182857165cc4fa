/**
 * The checksums S3 accepts for object data (x-amz-checksum-*), computed incrementally so an upload
 * is verified as it streams past. CRC-32 uses zlib's where Node has it (20.15+); CRC-32C and
 * CRC-64/NVME are table-driven here. Values are base64 of the big-endian digest, as S3 sends them.
 */
import { createHash, type Hash } from 'node:crypto';
import zlib from 'node:zlib';

export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';

export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = [
  'CRC32',
  'CRC32C',
  'CRC64NVME',
  'SHA1',
  'SHA256',
];

/** A checksum fed piece by piece; `digestBase64` once, at the end. */
export interface ChecksumHasher {
  update(data: Uint8Array): void;
  digestBase64(): string;
}

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
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** Continue a reflected CRC-32 over `data` from the running (pre-inversion) register `crc`. */
function crc32Step(table: Uint32Array, crc: number, data: Uint8Array): number {
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return crc;
}

class Crc32Hasher implements ChecksumHasher {
  private value = 0;
  private register = 0xffffffff;
  constructor(private readonly table: Uint32Array | undefined) {}
  update(data: Uint8Array): void {
    if (this.table) this.register = crc32Step(this.table, this.register, data);
    else this.value = nativeCrc32!(data, this.value);
  }
  result(): number {
    return this.table ? (this.register ^ 0xffffffff) >>> 0 : this.value >>> 0;
  }
  digestBase64(): string {
    const buf = Buffer.alloc(4);
    buf.writeUInt32BE(this.result());
    return buf.toString('base64');
  }
}

// CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5), its 64-bit register kept as two 32-bit
// halves: a BigInt per byte would take tens of seconds over a 200 MB upload.
let crc64Tables: { hi: Uint32Array; lo: Uint32Array } | undefined;

function crc64TablesOnce(): { hi: Uint32Array; lo: Uint32Array } {
  if (!crc64Tables) {
    const hi = new Uint32Array(256);
    const lo = new Uint32Array(256);
    const poly = 0x9a6c9329ac4bc9b5n;
    for (let n = 0; n < 256; n++) {
      let c = BigInt(n);
      for (let k = 0; k < 8; k++) c = c & 1n ? poly ^ (c >> 1n) : c >> 1n;
      hi[n] = Number(c >> 32n);
      lo[n] = Number(c & 0xffffffffn);
    }
    crc64Tables = { hi, lo };
  }
  return crc64Tables;
}

class Crc64NvmeHasher implements ChecksumHasher {
  private hi = 0xffffffff;
  private lo = 0xffffffff;
  update(data: Uint8Array): void {
    const t = crc64TablesOnce();
    let hi = this.hi;
    let lo = this.lo;
    for (let i = 0; i < data.length; i++) {
      const index = (lo ^ data[i]!) & 0xff;
      lo = (((lo >>> 8) | (hi << 24)) ^ t.lo[index]!) >>> 0;
      hi = ((hi >>> 8) ^ t.hi[index]!) >>> 0;
    }
    this.hi = hi;
    this.lo = lo;
  }
  result(): bigint {
    return (BigInt((this.hi ^ 0xffffffff) >>> 0) << 32n) | BigInt((this.lo ^ 0xffffffff) >>> 0);
  }
  digestBase64(): string {
    const buf = Buffer.alloc(8);
    buf.writeBigUInt64BE(this.result());
    return buf.toString('base64');
  }
}

class DigestHasher implements ChecksumHasher {
  private readonly hash: Hash;
  constructor(name: 'sha1' | 'sha256') {
    this.hash = createHash(name);
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  digestBase64(): string {
    return this.hash.digest('base64');
  }
}

export function createChecksum(algorithm: ChecksumAlgorithm): ChecksumHasher {
  switch (algorithm) {
    case 'CRC32':
      return new Crc32Hasher(nativeCrc32 ? undefined : CRC32_TABLE);
    case 'CRC32C':
      return new Crc32Hasher(CRC32C_TABLE);
    case 'CRC64NVME':
      return new Crc64NvmeHasher();
    case 'SHA1':
      return new DigestHasher('sha1');
    case 'SHA256':
      return new DigestHasher('sha256');
  }
}

export function crc32(data: Uint8Array): number {
  const h = new Crc32Hasher(nativeCrc32 ? undefined : CRC32_TABLE);
  h.update(data);
  return h.result();
}

export function crc32c(data: Uint8Array): number {
  const h = new Crc32Hasher(CRC32C_TABLE);
  h.update(data);
  return h.result();
}

export function crc64nvme(data: Uint8Array): bigint {
  const h = new Crc64NvmeHasher();
  h.update(data);
  return h.result();
}

/** Base64 checksum of `data` as S3 reports it for `algorithm`. */
export function checksumBase64(algorithm: ChecksumAlgorithm, data: Uint8Array): string {
  const h = createChecksum(algorithm);
  h.update(data);
  return h.digestBase64();
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
