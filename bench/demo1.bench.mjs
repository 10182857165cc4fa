// demo1 as a learner's script would run it: `course-cli demo1 run --yes` on a fresh sandbox home.
// Rows: the full run's wall time (target ≤ 10 s), and the number of sequential API round trips on
// setup's critical path (see demoRun.mjs).
import { fullRunRows } from './demoRun.mjs';

export async function run() {
  return fullRunRows('demo1', 10_000);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run()) console.log(r);
}
