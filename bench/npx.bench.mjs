// "The first command is fast": a learner clones the project, runs `npm install`, then
// `npx course-cli demo1 run`. npx installs the package directory into its own cache the first time
// and runs `prepare` there, which used to rebuild all the TypeScript (20–25 s of bare spinner).
// Measured here exactly so: a fresh copy of the working tree, `npm ci` (offline when the npm cache
// has everything), then the first and second `npx course-cli --version`, next to `node -e 0`.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './benchSupport.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TARGET_MS = 2000;

/** The files of the working tree git knows about (tracked and new, not ignored), copied to `dir`. */
function copyWorkingTree(dir) {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean);
  for (const rel of files) {
    const from = path.join(root, rel);
    if (!fs.existsSync(from)) continue; // deleted but not yet committed
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.copyFileSync(from, path.join(dir, rel));
  }
}

/** CPU ms used by this process's finished children (Linux: cutime + cstime of /proc/self/stat). */
function childrenCpuMs() {
  try {
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    // After "pid (comm) ", field 3 is index 0: cutime and cstime are fields 16 and 17.
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

/** Wall-clock ms of a command, and the CPU ms it and its children used (load-independent). */
function measured(cmd, args, cwd) {
  const cpu0 = childrenCpuMs();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, cpu: childrenCpuMs() - cpu0 };
}

const timed = (cmd, args, cwd) => measured(cmd, args, cwd).ms;

/** npx keeps one cache directory per package path; remove the one this bench created. */
function removeNpxCacheFor(dir) {
  const npxRoot = path.join(os.homedir(), '.npm', '_npx');
  if (!fs.existsSync(npxRoot)) return;
  for (const entry of fs.readdirSync(npxRoot)) {
    const manifest = path.join(npxRoot, entry, 'package.json');
    try {
      if (fs.readFileSync(manifest, 'utf8').includes(dir))
        fs.rmSync(path.join(npxRoot, entry), { recursive: true });
    } catch {
      // not an npx cache entry of ours
    }
  }
}

export async function run() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-cli-fresh-clone-'));
  try {
    copyWorkingTree(dir);
    const install = timed('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], dir);
    const first = measured('npx', ['course-cli', '--version'], dir);
    const second = measured('npx', ['course-cli', '--version'], dir);
    const node = median([0, 1, 2, 3, 4].map(() => timed(process.execPath, ['-e', '0'], dir)));
    const cpu = (m) => (Number.isNaN(m.cpu) ? '' : `, ${m.cpu.toFixed(0)} ms CPU`);
    return [
      {
        area: 'cli',
        metric: 'first npx run after npm install on a fresh clone',
        target: `≤ ${TARGET_MS} ms`,
        measured: `${first.ms.toFixed(0)} ms${cpu(first)} (node -e 0: ${node.toFixed(0)} ms, ${(first.ms / node).toFixed(1)}×)`,
        ok: first.ms <= TARGET_MS,
      },
      {
        area: 'cli',
        metric: '  second npx run (npx cache warm: npx itself)',
        target: '–',
        measured: `${second.ms.toFixed(0)} ms${cpu(second)}`,
        ok: null,
      },
      {
        area: 'cli',
        metric: '  npm ci (incl. prepare: the one real build)',
        target: '–',
        measured: `${(install / 1000).toFixed(1)} s`,
        ok: null,
      },
    ];
  } finally {
    removeNpxCacheFor(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run()) console.log(r);
}
