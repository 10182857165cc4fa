/**
 * Where S3 state lives. Buckets are one small document. Object metadata is split per bucket into
 * shard documents by key hash, and modified shards are written at most every METADATA_DELAY_MS, so
 * a burst of 10,000 PutObjects costs a few shard rewrites per interval, not one whole-bucket rewrite
 * per request; bodies are blobs. Buckets get a random storage id, so a
 * deleted-and-recreated name never meets its predecessor's files.
 *
 * Each bucket's keys are also kept in a sorted array (binary-search insert) for listing.
 *
 * Durability trade-off, for PutObject latency: shard documents are handed to the store at most every
 * METADATA_DELAY_MS (and at stop), and blobs are written without fsync. A blob always lands before
 * the metadata naming it, replaced blobs are removed only after the metadata stops naming them, and
 * blob names are never reused: a crash can orphan a blob or lose the last fraction of a second of
 * writes, but never leaves metadata pointing at a missing or half-written body.
 */
import { dictionary } from '../dictionary.js';
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { makePrivateDir, writePrivateFileSync } from '../../files/privateFiles.js';
import type { StateStore, PersistedDoc } from '../store.js';
import type { ChecksumAlgorithm } from './checksums.js';
import type { NotificationConfig } from './notifications.js';
import { SpareFiles } from './spareFiles.js';
import type { ReceivedUpload } from './uploadBody.js';

export interface Tag {
  Key: string;
  Value: string;
}

export interface BucketRecord {
  name: string;
  /** Storage id: names the bucket's directories. */
  id: string;
  region: string;
  /** Epoch ms. */
  created: number;
  tags?: Tag[];
  notification?: NotificationConfig;
}

export interface ObjectRecord {
  size: number;
  /** MD5 hex, unquoted. */
  etag: string;
  /** Epoch ms. */
  lastModified: number;
  blob: string;
  contentType: string;
  /** Stored representation headers: content-encoding, content-disposition, cache-control, … */
  headers?: Record<string, string>;
  /** User metadata without the `x-amz-meta-` prefix. */
  meta?: Record<string, string>;
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
  tags?: Tag[];
  storageClass?: string;
}

const SHARDS = 16;
const METADATA_DELAY_MS = 500;

function shardOf(key: string): number {
  // FNV-1a: cheap and even enough for spreading keys over shards.
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % SHARDS;
}

interface ShardData {
  objects: Record<string, ObjectRecord>;
}

/** Index of the first element of `keys` that is >= `target`. */
export function lowerBound(keys: readonly string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element of `keys` that is > `target`. */
export function upperBound(keys: readonly string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index just past the run of keys that start with `prefix` (keys sharing a prefix are contiguous). */
export function endOfPrefix(keys: readonly string[], prefix: string): number {
  let lo = lowerBound(keys, prefix);
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]!.startsWith(prefix)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class BucketObjects {
  /** All keys, sorted. */
  readonly keys: string[];

  constructor(
    private readonly shards: PersistedDoc<ShardData>[],
    private readonly onChange: (shard: PersistedDoc<ShardData>) => void,
  ) {
    const keys: string[] = [];
    for (const s of shards) for (const k of Object.keys(s.data.objects)) keys.push(k);
    keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.keys = keys;
  }

  get count(): number {
    return this.keys.length;
  }

  get(key: string): ObjectRecord | undefined {
    const objects = this.shards[shardOf(key)]!.data.objects;
    return Object.hasOwn(objects, key) ? objects[key] : undefined;
  }

  /** Store a record; returns the one it replaced. */
  put(key: string, record: ObjectRecord): ObjectRecord | undefined {
    const shard = this.shards[shardOf(key)]!;
    const previous = Object.hasOwn(shard.data.objects, key) ? shard.data.objects[key] : undefined;
    shard.data.objects[key] = record;
    this.onChange(shard);
    if (!previous) this.keys.splice(lowerBound(this.keys, key), 0, key);
    return previous;
  }

  /** Remove a record; returns it if it existed. */
  delete(key: string): ObjectRecord | undefined {
    const shard = this.shards[shardOf(key)]!;
    if (!Object.hasOwn(shard.data.objects, key)) return undefined;
    const previous = shard.data.objects[key];
    delete shard.data.objects[key];
    this.onChange(shard);
    const at = lowerBound(this.keys, key);
    if (this.keys[at] === key) this.keys.splice(at, 1);
    return previous;
  }
}

interface BucketsData {
  buckets: Record<string, BucketRecord>;
}

export class S3Storage {
  private readonly bucketsDoc: PersistedDoc<BucketsData>;
  private readonly objectsByBucket = new Map<string, BucketObjects>();
  private readonly dirtyShards = new Set<PersistedDoc<ShardData>>();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly blobDirs = new Set<string>();
  /** Blobs no longer referenced in memory, deleted once the metadata on disk agrees. */
  private obsoleteBlobs: string[] = [];

  private readonly spares: SpareFiles;

  constructor(readonly store: StateStore) {
    // Uploads in flight when the last process ended will never complete.
    store.removeTree('s3/incoming');
    this.spares = new SpareFiles(store.pathOf('s3', 'spare'));
    this.bucketsDoc = store.doc<BucketsData>('s3/buckets.json', () => ({ buckets: dictionary() }));
    this.bucketsDoc.data.buckets = dictionary(this.bucketsDoc.data.buckets);
  }

  bucket(name: string): BucketRecord | undefined {
    const all = this.bucketsDoc.data.buckets;
    return Object.hasOwn(all, name) ? all[name] : undefined;
  }

  allBuckets(): BucketRecord[] {
    return Object.values(this.bucketsDoc.data.buckets).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  createBucket(name: string, region: string, created: number): BucketRecord {
    const record: BucketRecord = { name, id: randomBytes(8).toString('hex'), region, created };
    this.bucketsDoc.data.buckets[name] = record;
    this.bucketsDoc.changed();
    return record;
  }

  /** Persist a change made to a bucket record (tags, notification configuration). */
  bucketChanged(): void {
    this.bucketsDoc.changed();
  }

  deleteBucket(bucket: BucketRecord): void {
    delete this.bucketsDoc.data.buckets[bucket.name];
    this.bucketsDoc.changed();
    this.objectsByBucket.delete(bucket.id);
    // Pending shard writes must not land after their directory goes, or they would recreate it.
    for (const shard of this.dirtyShards) if (shard.file.includes(bucket.id)) this.dirtyShards.delete(shard);
    this.store.flushAll();
    this.blobDirs.delete(this.store.pathOf(`s3/blobs/${bucket.id}`));
    this.store.removeTree(`s3/objects/${bucket.id}`);
    this.store.removeTree(`s3/blobs/${bucket.id}`);
  }

  /** The bucket's object index, loaded on first use. */
  objects(bucket: BucketRecord): BucketObjects {
    let objects = this.objectsByBucket.get(bucket.id);
    if (!objects) {
      const shards: PersistedDoc<ShardData>[] = [];
      for (let i = 0; i < SHARDS; i++) {
        const shard = this.store.doc<ShardData>(`s3/objects/${bucket.id}/${i}.json`, () => ({
          objects: dictionary(),
        }));
        // Object keys are the client's (`__proto__` is a fine key): no prototype may answer for them.
        shard.data.objects = dictionary(shard.data.objects);
        for (const rec of Object.values(shard.data.objects)) {
          if (rec.meta) rec.meta = dictionary(rec.meta);
          if (rec.headers) rec.headers = dictionary(rec.headers);
        }
        shards.push(shard);
      }
      objects = new BucketObjects(shards, (shard) => this.markDirty(shard));
      this.objectsByBucket.set(bucket.id, objects);
    }
    return objects;
  }

  newBlobName(bucket: BucketRecord): string {
    return `s3/blobs/${bucket.id}/${randomBytes(12).toString('hex')}`;
  }

  /** Write a new blob; names are unique, so no temp-file dance is needed (see the header note). */
  writeBlob(name: string, data: Uint8Array): void {
    const file = this.store.pathOf(name);
    this.ensureDir(path.dirname(file));
    this.spares.claim(file);
    writePrivateFileSync(file, data);
  }

  /** A fresh path in `s3/incoming/` for an upload too large to hold in memory while it arrives. */
  incomingFile(): string {
    const file = this.store.pathOf('s3', 'incoming', randomBytes(12).toString('hex'));
    this.ensureDir(path.dirname(file));
    return file;
  }

  /** Store a received, verified upload as a new blob: written if small, its temp file moved if not. */
  writeReceived(name: string, upload: ReceivedUpload): void {
    if (upload.tempFile === undefined) {
      this.writeBlob(name, upload.data ?? new Uint8Array(0));
      return;
    }
    const file = this.store.pathOf(name);
    this.ensureDir(path.dirname(file));
    fs.renameSync(upload.tempFile, file);
  }

  /** Copy a blob to a new one without holding it in memory. */
  copyBlob(from: string, to: string): void {
    const file = this.store.pathOf(to);
    this.ensureDir(path.dirname(file));
    fs.copyFileSync(this.store.pathOf(from), file);
  }

  /** MD5 (hex) of a blob, read in slices. */
  md5OfBlob(name: string): string {
    const hash = createHash('md5');
    const fd = fs.openSync(this.store.pathOf(name), 'r');
    try {
      const buf = Buffer.allocUnsafe(1024 * 1024);
      for (let n = fs.readSync(fd, buf); n > 0; n = fs.readSync(fd, buf)) hash.update(buf.subarray(0, n));
    } finally {
      fs.closeSync(fd);
    }
    return hash.digest('hex');
  }

  private ensureDir(dir: string): void {
    if (!this.blobDirs.has(dir)) {
      makePrivateDir(dir);
      this.blobDirs.add(dir);
    }
  }

  readBlob(name: string): Buffer | undefined {
    return this.store.readBlob(name);
  }

  blobPath(name: string): string {
    return this.store.pathOf(name);
  }

  /** Forget a replaced or deleted object's blob (removed after the next metadata flush). */
  releaseBlob(name: string): void {
    this.obsoleteBlobs.push(name);
  }

  private markDirty(shard: PersistedDoc<ShardData>): void {
    this.dirtyShards.add(shard);
    if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => this.flushMetadata(), METADATA_DELAY_MS);
      this.flushTimer.unref();
    }
  }

  /**
   * Hand modified shard documents to the store, then delete blobs they no longer name: after the
   * store's next-tick write, or at once when `now` (at stop) forces the write.
   */
  flushMetadata(now = false): void {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
    for (const shard of this.dirtyShards) shard.changed();
    this.dirtyShards.clear();
    const obsolete = this.obsoleteBlobs;
    this.obsoleteBlobs = [];
    if (now) {
      this.spares.stop();
      this.store.flushAll();
      for (const blob of obsolete) this.store.deleteBlob(blob);
    } else {
      // Immediates run in order, so this follows the store's own flush scheduled just above; the
      // unlinks themselves run on the thread pool, off the request path.
      setImmediate(() => {
        // A failed write leaves the old metadata on disk, still naming these blobs: they wait.
        if (this.store.writesFailing) {
          this.obsoleteBlobs.push(...obsolete);
          return;
        }
        for (const blob of obsolete)
          fs.promises.rm(this.store.pathOf(blob), { force: true }).catch(() => undefined);
      });
    }
  }
}
