// Cold start of the built CLI next to a bare `node -e 0`: `--help` and `list` must stay within 3×
// because they never load the AWS SDK, inquirer or ora.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'course-cli.js');
const RUNS = 15;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(args) {
  const samples = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
    if (i >= 2) samples.push(ms); // the first runs warm the OS file cache, not Node's
  }
  return median(samples);
}

export async function run() {
  // Interleave so machine load affects both sides alike.
  const base = time(['-e', '0']);
  const help = time([bin, '--help']);
  const list = time([bin, 'list']);
  const base2 = time(['-e', '0']);
  const node = Math.min(base, base2);
  const row = (metric, ms) => ({
    area: 'cli',
    metric,
    target: `≤ 3× node -e 0 (${node.toFixed(0)} ms)`,
    measured: `${ms.toFixed(0)} ms (${(ms / node).toFixed(2)}×)`,
    ok: ms <= 3 * node,
  });
  return [row('cold --help', help), row('cold list', list)];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run()) console.log(r);
}
