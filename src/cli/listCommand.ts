/** `course-cli list [--json]`: the demos in this course and which are in this release. */
import { CATALOG } from '../../demos/catalog.js';
import { optionFlag } from '../course/demoOptions.js';
import { cliCommand } from './invocation.js';

export async function listDemos(opts: { json?: boolean }): Promise<number> {
  if (opts.json) {
    const demos = CATALOG.map((d) => ({
      id: d.id,
      slug: d.slug,
      title: d.title,
      lesson: d.lesson,
      summary: d.summary,
      available: d.load !== undefined,
      options: (d.options ?? []).map((o) => ({
        flag: optionFlag(o),
        description: o.description,
        default: o.defaultValue,
      })),
    }));
    process.stdout.write(`${JSON.stringify({ demos }, null, 2)}\n`);
    return 0;
  }
  for (const d of CATALOG) {
    const status = d.load ? '' : '  (not in this release)';
    process.stdout.write(`${d.id}  ${d.slug.padEnd(28)} ${d.title} — ${d.lesson}${status}\n`);
    process.stdout.write(`       ${d.summary}\n`);
    const options = (d.options ?? []).map(optionFlag);
    if (options.length > 0) process.stdout.write(`       options of run: ${options.join(', ')}\n`);
  }
  process.stdout.write(`\nRun one with: ${cliCommand()} demo1 run\n`);
  return 0;
}
