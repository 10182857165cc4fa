/**
 * Where the package's own files are at run time (the runner names the SVG diagrams; demos load
 * their Lambda sources). Code runs from `src/`/`demos/` under vitest and from `dist/` once built,
 * so paths are resolved from the package root, found by walking up to course-cli's package.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export class PackageRootNotFoundError extends Error {
  override readonly name = 'PackageRootNotFoundError';
}

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const { name } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string };
      if (name === 'course-cli') return (cached = dir);
    }
    const up = path.dirname(dir);
    if (up === dir) throw new PackageRootNotFoundError('cannot find the course-cli package root');
    dir = up;
  }
}

/** Absolute path of a file given relative to the package root (e.g. `assets/demo1-….svg`). */
export function fromPackageRoot(...parts: string[]): string {
  return path.join(packageRoot(), ...parts);
}
