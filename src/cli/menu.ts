/**
 * `course-cli` with no command: pick a demo, then an action. Without a terminal there is nobody to
 * pick, so print the help and exit 2.
 */
import type { Command } from 'commander';
import type { CatalogEntry } from '../../demos/catalog.js';
import { CATALOG } from '../../demos/catalog.js';
import type { CliContext } from './context.js';
import { EXIT_USAGE } from './errors.js';
import { colorWanted, isInteractiveTerminal } from './terminal.js';
import type { CourseIO } from '../course/io/types.js';

/** The full help on stderr (outputHelp, unlike helpInformation, includes the "after" text). */
function helpAndFail(cmd: Command): number {
  cmd.outputHelp({ error: true });
  return EXIT_USAGE;
}

/** The same prompts the runner uses: they clear themselves, so Ctrl-C leaves no stale menu behind. */
async function terminalIO(): Promise<CourseIO> {
  const { TtyIO } = await import('../course/io/ttyIo.js');
  return new TtyIO({ color: colorWanted() });
}

export async function runMenu(ctx: CliContext): Promise<number> {
  if (!isInteractiveTerminal()) return helpAndFail(ctx.program);
  const io = await terminalIO();
  const id = await io.select({
    message: 'Which demo?',
    choices: CATALOG.map((d) => ({
      value: d.id,
      label: `${d.id} · ${d.title} — ${d.lesson}`,
      description: d.summary,
      ...(d.load ? {} : { disabled: '(not in this release)' }),
    })),
    defaultValue: CATALOG.find((d) => d.load)!.id,
  });
  return runDemoMenu(
    ctx,
    CATALOG.find((d) => d.id === id)!,
  );
}

export async function runDemoMenu(ctx: CliContext, entry: CatalogEntry): Promise<number> {
  if (!isInteractiveTerminal()) {
    const cmd = ctx.program.commands.find((c) => c.name() === entry.id);
    return helpAndFail(cmd ?? ctx.program);
  }
  const io = await terminalIO();
  const action = await io.select({
    message: `${entry.id}: what do you want to do?`,
    choices: [
      { value: 'run', label: 'Run it (resumes where you left off)' },
      { value: 'status', label: 'Show what is deployed and your progress' },
      { value: 'teardown', label: 'Tear it down' },
    ],
    defaultValue: 'run',
  });
  if (action === 'run') {
    const { runDemoCommand } = await import('./runCommand.js');
    return runDemoCommand(ctx, entry, {});
  }
  if (action === 'status') {
    const { statusCommand } = await import('./statusCommand.js');
    return statusCommand(ctx, entry, {});
  }
  const { teardownDemoCommand } = await import('./teardownCommand.js');
  return teardownDemoCommand(ctx, entry, {});
}
