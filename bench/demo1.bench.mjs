// demo1 as a learner's script would run it: `course-cli demo1 run --yes` on a fresh sandbox home.
// Rows: the full run's wall time (target ≤ 10 s), and the number of sequential API round trips on
// setup's critical path (the runner runs steps one after another, so it is the sum of the calls
// the setup steps' actions make; checks are not counted).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'course-cli.js');
const RUNS = 3;

function runOnce() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'course-cli-bench-demo1-'));
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, 'demo1', 'run', '--yes', '--home', home], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  fs.rmSync(home, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`demo1 run exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return { ms, output: r.stdout };
}

function setupCalls(output) {
  const setup = output.split(/━━ Phase 2\/5/)[0] ?? '';
  let calls = 0;
  for (const m of setup.matchAll(/^\s+(\d+) calls?:/gm)) calls += Number(m[1]);
  return calls;
}

export async function run() {
  const samples = [];
  let calls = 0;
  for (let i = 0; i < RUNS; i++) {
    const { ms, output } = runOnce();
    samples.push(ms);
    calls = setupCalls(output);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)];
  return [
    {
      area: 'demo1',
      metric: `full run --yes on the sandbox, median of ${RUNS}`,
      target: '≤ 10 s',
      measured: `${(median / 1000).toFixed(2)} s`,
      ok: median <= 10_000,
    },
    {
      area: 'demo1',
      metric: "sequential API round trips on setup's critical path",
      target: 'report',
      measured: String(calls),
      ok: null,
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run()) console.log(r);
}
