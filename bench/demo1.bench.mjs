// demo1 as a learner's script would run it: `course-cli demo1 run --yes` on a fresh sandbox home.
// Rows: the full run's wall time (target ≤ 10 s), and the number of sequential API round trips on
// setup's critical path (the runner runs steps one after another, so it is the sum of the calls
// the setup steps' actions make; checks are not counted).
import { runDemoOnce, setupCalls } from './demoRun.mjs';

const RUNS = 3;

export async function run() {
  const samples = [];
  let calls = 0;
  for (let i = 0; i < RUNS; i++) {
    const { ms, output } = runDemoOnce('demo1');
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
