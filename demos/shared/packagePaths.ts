/**
 * Where the package's own files are at run time. Demos run from `demos/` under vitest and from
 * `dist/demos/` once built; their Lambda sources (`.mjs`, not compiled) only exist under `demos/`,
 * so paths are resolved from the package root (one implementation, in the runner's layer).
 */
export { PackageRootNotFoundError, fromPackageRoot, packageRoot } from '../../src/course/packageFiles.js';
