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
import { unzipSync } from 'fflate';
import { makePrivateDir, writePrivateFileSync } from '../../files/privateFiles.js';
import { AwsError } from '../errors.js';
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
    const relBase = path.join('lambda', 'code', region, name);
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
    this.store.removeTree(path.join('lambda', 'code', region, name));
  }

  private unzip(zip: Buffer): Record<string, Uint8Array> {
    let files: Record<string, Uint8Array>;
    try {
      files = unzipSync(new Uint8Array(zip.buffer, zip.byteOffset, zip.length));
    } catch {
      throw invalidZip();
    }
    let total = 0;
    for (const data of Object.values(files)) total += data.length;
    if (total > MAX_UNZIPPED_BYTES) {
      throw new AwsError(
        'InvalidParameterValueException',
        `Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`,
        400,
      );
    }
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
