// demo2 as a learner's script would run it: `course-cli demo2 run --yes` on a fresh sandbox home.
// Rows: the full run's wall time (target ≤ 15 s), and the number of sequential API round trips on
// setup's critical path.
import { runDemoOnce, setupCalls } from './demoRun.mjs';

const RUNS = 3;

export async function run() {
  const samples = [];
  let calls = 0;
  for (let i = 0; i < RUNS; i++) {
    const { ms, output } = runDemoOnce('demo2');
    samples.push(ms);
    calls = setupCalls(output);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)];
  return [
    {
      area: 'demo2',
      metric: `full run --yes on the sandbox, median of ${RUNS}`,
      target: '≤ 15 s',
      measured: `${(median / 1000).toFixed(2)} s`,
      ok: median <= 15_000,
    },
    {
      area: 'demo2',
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
