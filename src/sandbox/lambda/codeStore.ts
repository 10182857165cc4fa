/**
 * Function code on disk: the uploaded zip is kept as a blob and extracted to its own folder per
 * revision under `<state>/lambda/code/`. Handlers import the AWS SDK as on Lambda, where the runtime
 * provides it: a `node_modules` symlink in `<state>/lambda/` points at this package's dependencies,
 * so Node's resolution (CommonJS and ESM alike) walks up from the extracted code and finds it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { Unzip, UnzipInflate, unzipSync } from 'fflate';
import { dictionary } from '../dictionary.js';
import { AwsError, StatePathEscapeError } from '../errors.js';
import { isAwsRegionName } from '../regions.js';
import { makePrivateDir, writePrivateFileSync } from '../../files/privateFiles.js';
import type { StateStore } from '../store.js';

/** Lambda's limits for direct uploads. */
export const MAX_ZIP_BYTES = 50 * 1024 * 1024;
export const MAX_UNZIPPED_BYTES = 262_144_000;

export interface StoredCode {
  codeSha256: string;
  codeSize: number;
  codeBlob: string;
  codeDir: string;
}

/** Compressed bytes handed to the inflater at a time: bounds the work done before a check. */
const UNZIP_SLICE_BYTES = 64 * 1024;

const unzippedTooLarge = (): AwsError =>
  new AwsError(
    'InvalidParameterValueException',
    `Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`,
    400,
  );

function concatChunks(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const invalidZip = (): AwsError =>
  new AwsError(
    'InvalidParameterValueException',
    'Could not unzip uploaded file. Please check your file, then try to upload again.',
    400,
  );

/** The folder whose packages handlers may import (the one that holds `@aws-sdk/client-s3`). */
export function sdkNodeModulesDir(): string | undefined {
  try {
    const req = createRequire(import.meta.url);
    const pkgJson = req.resolve('@aws-sdk/client-s3/package.json');
    // …/node_modules/@aws-sdk/client-s3/package.json → …/node_modules
    return path.resolve(path.dirname(pkgJson), '..', '..');
  } catch {
    return undefined;
  }
}

/**
 * A function's code folder. Region and name were validated by AWS's rules long before; checked
 * again here because `lambda/` also holds the `node_modules` link into this package, and one
 * `..` would write through it.
 */
function codeFolder(region: string, name: string): string {
  if (!isAwsRegionName(region) || !/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
    throw new StatePathEscapeError('lambda/code', `${region}/${name}`);
  }
  return path.join('lambda', 'code', region, name);
}

export class CodeStore {
  constructor(private readonly store: StateStore) {}

  /** Make the SDK resolvable from extracted code; idempotent, repairs a stale link. */
  linkNodeModules(): void {
    const target = sdkNodeModulesDir();
    if (!target) return;
    const link = this.store.pathOf('lambda', 'node_modules');
    makePrivateDir(path.dirname(link));
    try {
      if (fs.readlinkSync(link) === target) return;
      fs.rmSync(link, { force: true });
    } catch {
      // not a link yet
    }
    try {
      fs.symlinkSync(target, link, 'dir');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }

  /** Validate, store and extract a zip; returns where it went. Throws InvalidParameterValueException. */
  save(region: string, name: string, revisionId: string, zip: Buffer): StoredCode {
    if (zip.length > MAX_ZIP_BYTES) {
      throw new AwsError(
        'RequestEntityTooLargeException',
        `Request must be smaller than ${MAX_ZIP_BYTES} bytes for the CreateFunction operation`,
        413,
      );
    }
    const files = this.unzip(zip);
    const codeSha256 = createHash('sha256').update(zip).digest('base64');
    const relBase = codeFolder(region, name);
    const codeBlob = path.join(relBase, `${revisionId}.zip`);
    const codeDir = path.join(relBase, revisionId);
    this.store.writeBlob(codeBlob, zip);
    this.extractTo(this.store.pathOf(codeDir), files);
    return { codeSha256, codeSize: zip.length, codeBlob, codeDir };
  }

  /** Re-extract if the folder vanished (state dir copied without it, manual cleanup). */
  ensureExtracted(codeBlob: string, codeDir: string): void {
    const abs = this.store.pathOf(codeDir);
    if (fs.existsSync(abs)) return;
    const zip = this.store.readBlob(codeBlob);
    if (!zip) return;
    this.extractTo(abs, this.unzip(zip));
  }

  absolute(codeDir: string): string {
    return this.store.pathOf(codeDir);
  }

  remove(codeBlob: string, codeDir: string): void {
    this.store.deleteBlob(codeBlob);
    this.store.removeTree(codeDir);
  }

  removeFunction(region: string, name: string): void {
    this.store.removeTree(codeFolder(region, name));
  }

  /**
   * Inflate a zip without letting it inflate us: the sizes its central directory declares are
   * summed first (nothing inflated, so an honest bomb is refused at once), then entries are inflated
   * from 64 KiB slices of the zip, stopping as soon as the running total passes Lambda's unzipped
   * limit or an entry grows past the size it declared (a lying bomb: not a valid zip).
   */
  private unzip(zip: Buffer): Record<string, Uint8Array> {
    const data = new Uint8Array(zip.buffer, zip.byteOffset, zip.length);
    let declared = 0;
    try {
      unzipSync(data, {
        filter: (f) => {
          declared += f.originalSize;
          return false;
        },
      });
    } catch {
      throw invalidZip();
    }
    if (declared > MAX_UNZIPPED_BYTES) throw unzippedTooLarge();

    const files = dictionary<Uint8Array>();
    let total = 0;
    let failure: AwsError | undefined;
    const unzipper = new Unzip((file) => {
      const chunks: Uint8Array[] = [];
      let size = 0;
      file.ondata = (err, chunk, final) => {
        if (failure) return;
        if (err) {
          failure = invalidZip();
          return;
        }
        size += chunk.length;
        total += chunk.length;
        if (total > MAX_UNZIPPED_BYTES) failure = unzippedTooLarge();
        else if (file.originalSize !== undefined && size > file.originalSize) failure = invalidZip();
        if (failure) {
          file.terminate();
          return;
        }
        chunks.push(chunk);
        if (final) files[file.name] = concatChunks(chunks, size);
      };
      file.start();
    });
    unzipper.register(UnzipInflate);
    try {
      for (let at = 0; at < data.length && !failure; at += UNZIP_SLICE_BYTES) {
        unzipper.push(data.subarray(at, at + UNZIP_SLICE_BYTES), at + UNZIP_SLICE_BYTES >= data.length);
      }
    } catch {
      failure ??= invalidZip();
    }
    if (failure) throw failure;
    return files;
  }

  private extractTo(dir: string, files: Record<string, Uint8Array>): void {
    fs.rmSync(dir, { recursive: true, force: true });
    makePrivateDir(dir);
    for (const [entry, data] of Object.entries(files)) {
      const target = path.resolve(dir, entry);
      // Entries escaping the folder (`../x`, absolute paths) are skipped rather than trusted.
      if (target !== dir && !target.startsWith(dir + path.sep)) continue;
      if (entry.endsWith('/')) {
        makePrivateDir(target);
        continue;
      }
      makePrivateDir(path.dirname(target));
      writePrivateFileSync(target, data);
    }
  }
}
