// Compile TypeScript to dist/ — or, with --if-stale, only when the sources changed since the last
// build. `npm install` runs `prepare`, and so does `npx course-cli` the first time (npx installs the
// package directory into its own cache): without this check that first run rebuilt everything and
// showed a bare spinner for 20–25 s. The stamp is a hash of every compiler input, not file times,
// which a fresh clone or a copy would not keep.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = path.join(root, 'dist', '.build-inputs');
const OUTPUT = path.join(root, 'dist', 'src', 'cli.js');

/** Every file the compiler reads for the build, relative to the package root, sorted. */
function inputFiles() {
  const files = [
    'tsconfig.json',
    'tsconfig.build.json',
    'node_modules/typescript/package.json',
    // The precompiled States Language schema is asl-validator's.
    'node_modules/asl-validator/package.json',
  ];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.ts')) files.push(rel);
    }
  };
  walk('src');
  walk('demos');
  return files.sort();
}

export function inputsHash() {
  const hash = createHash('sha256');
  for (const rel of inputFiles()) {
    hash.update(`${rel}\0`);
    try {
      hash.update(fs.readFileSync(path.join(root, rel)));
    } catch {
      hash.update('(missing)');
    }
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * The sandbox's States Language schema as standalone code (src/sandbox/stepfunctions/
 * aslSchemaValidator.ts): loaded in milliseconds instead of compiled on the first validation.
 */
async function precompileAslSchema() {
  const dir = path.join(root, 'dist', 'src', 'sandbox', 'stepfunctions');
  const { writePrecompiledAslSchema } = await import(path.join(dir, 'aslSchemaValidator.js'));
  writePrecompiledAslSchema(dir);
}

function isCurrent(hash) {
  try {
    return fs.existsSync(OUTPUT) && fs.readFileSync(STAMP, 'utf8').trim() === hash;
  } catch {
    return false;
  }
}

async function main() {
  const ifStale = process.argv.includes('--if-stale');
  const hash = inputsHash();
  if (ifStale && isCurrent(hash)) return 0;
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!fs.existsSync(tsc)) {
    // Installed without dev dependencies (e.g. from a registry tarball, which ships dist/): nothing to do.
    if (fs.existsSync(OUTPUT)) return 0;
    process.stderr.write(
      'course-cli: TypeScript is not installed, so dist/ cannot be built; run npm install.\n',
    );
    return 1;
  }
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) return r.status ?? 1;
  await precompileAslSchema();
  fs.writeFileSync(STAMP, `${hash}\n`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main();
