/**
 * Build a Lambda deployment package in memory from the project's own handler files. The zip is
 * deterministic (fixed timestamps, sorted entries), so the same sources give the same CodeSha256
 * and a redeploy of unchanged code is recognisably a no-op.
 */
import fs from 'node:fs';
import path from 'node:path';
import { zipSync, type Zippable } from 'fflate';

export class LambdaSourceMissingError extends Error {
  override readonly name = 'LambdaSourceMissingError';
}

/** 1980-01-01, the earliest time a zip entry can carry: stable across machines and checkouts. */
const ZIP_EPOCH = new Date(Date.UTC(1980, 0, 1, 12));

export interface LambdaZip {
  bytes: Uint8Array;
  /** Entry names, sorted, as they appear in the zip. */
  entries: string[];
}

/**
 * Zip the given files (paths relative to `sourceDir`) at the root of the archive, as the Lambda
 * runtime expects them (`index.mjs` + its imports next to it).
 */
export function buildLambdaZip(sourceDir: string, files: string[]): LambdaZip {
  const entries = [...new Set(files)].sort();
  const tree: Zippable = {};
  for (const name of entries) {
    const file = path.join(sourceDir, name);
    if (!fs.existsSync(file)) throw new LambdaSourceMissingError(`Lambda source ${file} does not exist`);
    tree[name.split(path.sep).join('/')] = [new Uint8Array(fs.readFileSync(file)), { mtime: ZIP_EPOCH }];
  }
  return { bytes: zipSync(tree, { level: 9 }), entries };
}
