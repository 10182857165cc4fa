/**
 * `course-cli` with no command: pick a demo, then an action. Without a terminal there is nobody to
 * pick, so print the help and exit 2.
 */
import type { Command } from 'commander';
import type { CatalogEntry } from '../../demos/catalog.js';
import { CATALOG } from '../../demos/catalog.js';
import type { CliContext } from './context.js';
import { EXIT_USAGE } from './errors.js';
import { isInteractiveTerminal } from './terminal.js';

/** The full help on stderr (outputHelp, unlike helpInformation, includes the "after" text). */
function helpAndFail(cmd: Command): number {
  cmd.outputHelp({ error: true });
  return EXIT_USAGE;
}

export async function runMenu(ctx: CliContext): Promise<number> {
  if (!isInteractiveTerminal()) return helpAndFail(ctx.program);
  const { select } = await import('@inquirer/prompts');
  const id = await select({
    message: 'Which demo?',
    choices: CATALOG.map((d) => ({
      value: d.id,
      name: `${d.id} · ${d.title} — ${d.lesson}`,
      description: d.summary,
      disabled: d.load ? false : '(not in this release)',
    })),
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
  const { select } = await import('@inquirer/prompts');
  const action = await select({
    message: `${entry.id}: what do you want to do?`,
    choices: [
      { value: 'run', name: 'Run it (resumes where you left off)' },
      { value: 'status', name: 'Show what is deployed and your progress' },
      { value: 'teardown', name: 'Tear it down' },
    ],
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
