// demo2 as a learner's script would run it: `course-cli demo2 run --yes` on a fresh sandbox home.
// Rows: the full run's wall time (target ≤ 15 s), and the number of sequential API round trips on
// setup's critical path (see demoRun.mjs).
import { fullRunRows } from './demoRun.mjs';

export async function run() {
  return fullRunRows('demo2', 15_000);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run()) console.log(r);
}
