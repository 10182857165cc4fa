/**
 * The command line (commander). Only the command surface lives here; each action loads its
 * implementation from src/cli/ on demand, so `--help` and `list` never load the AWS SDK, inquirer
 * or ora.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { CATALOG, type CatalogEntry } from '../demos/catalog.js';
import { PHASES } from './course/model.js';
import { EXIT_USAGE, UsageError, reportError } from './cli/errors.js';
import { resolveHome, tightenHome } from './cli/home.js';
import { ensureUsableHome } from './cli/homeCheck.js';
import { cliCommand } from './cli/invocation.js';
import { didYouMean } from './cli/suggest.js';
import {
  DEFAULT_SANDBOX_PORT,
  DEFAULT_SANDBOX_TIME_SCALE,
  TARGETS,
  collectPhase,
  parsePort,
  parseRegion,
  parseTimeScale,
} from './cli/options.js';
import type { CliContext } from './cli/context.js';
import { addDemoOptions } from './cli/demoOptionFlags.js';

// Whatever this process creates (home, sandbox state, Lambda code, files other code writes) is
// private to the learner: the sandbox's keys let anyone who reads them run code as the learner.
process.umask(0o077);

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

function targetOptions(cmd: Command, withAwsDetails = true): Command {
  cmd.addOption(new Option('--target <target>', 'where to run (default: sandbox)').choices(TARGETS));
  if (withAwsDetails) {
    cmd
      .option('--endpoint <url>', 'an AWS-compatible endpoint instead (e.g. http://localhost:4566)')
      .option('--profile <name>', 'AWS profile for --target aws')
      .option(
        '--region <region>',
        'AWS region for --target aws (default: your configured region, else us-east-1)',
        parseRegion,
      );
  }
  return cmd;
}

const tightenedHomes = new Set<string>();

/** What a command needs; the home is checked first unless the command reports on it itself (doctor). */
function context(cmd: Command, opts: { checkHome?: boolean } = {}): CliContext {
  const g = cmd.optsWithGlobals<{ home?: string; debug?: boolean }>();
  const home = resolveHome(g.home);
  if (opts.checkHome !== false) ensureUsableHome(home);
  if (opts.checkHome !== false && !tightenedHomes.has(home)) {
    tightenedHomes.add(home);
    const note = tightenHome(home);
    if (note) process.stderr.write(`! ${note}\n`);
  }
  return { home, debug: g.debug === true, program };
}

/** Every word the top level accepts: for "did you mean …?". */
function knownWords(): string[] {
  return [...program.commands.flatMap((c) => [c.name(), ...c.aliases()]), 'help'];
}

/** Run an action and turn its result into the process exit code. */
function act<A extends unknown[]>(fn: (...args: A) => Promise<number>) {
  return async (...args: A): Promise<void> => {
    process.exitCode = await fn(...args);
  };
}

const program = new Command('course-cli')
  .description('Hands-on AWS data-pipeline orchestration demos, on a local sandbox or your AWS account.')
  .version(pkg.version, '-V, --version', 'print the version')
  .helpOption('-h, --help', 'show help')
  .option(
    '--home <dir>',
    'where ledgers, progress and sandbox state live (default: $COURSE_CLI_HOME or ~/.course-cli)',
  )
  .option('--debug', 'print stack traces for errors')
  .argument('[command...]')
  .usage('[options] [command]')
  .showSuggestionAfterError()
  // `course-cli help demo1` works even though bare operands reach the menu action.
  .helpCommand(true)
  .addHelpText(
    'after',
    `\nDemos: ${CATALOG.map((d) => `${d.id} (${d.slug})`).join(', ')}\nStart here: ${cliCommand()} demo1 run`,
  )
  .action(
    act(async (operands: string[]) => {
      const command = operands[0];
      if (command) {
        const cli = cliCommand();
        throw new UsageError(
          `unknown command or demo '${command}'.${didYouMean(command, knownWords())} See ${cli} --help or ${cli} list.`,
        );
      }
      const { runMenu } = await import('./cli/menu.js');
      return runMenu(context(program));
    }),
  );

program
  .command('list')
  .description('list the demos')
  .option('--json', 'machine-readable output')
  .action(
    act(async (opts: { json?: boolean }) => {
      const { listDemos } = await import('./cli/listCommand.js');
      return listDemos(opts);
    }),
  );

function addDemoCommand(entry: CatalogEntry): void {
  const demo = program
    .command(entry.id)
    .alias(entry.slug)
    .description(`${entry.title}: ${entry.lesson}${entry.load ? '' : ' (not in this release)'}`)
    .argument('[action]')
    .usage('run|teardown|status [options]')
    .helpCommand(true)
    .action(
      act(async (action: string | undefined, _opts: unknown, cmd: Command) => {
        if (action) {
          const hint = didYouMean(action, ['run', 'teardown', 'status']);
          throw new UsageError(
            `unknown action '${action}' for ${entry.id}: use run, teardown or status.${hint}`,
          );
        }
        const { runDemoMenu } = await import('./cli/menu.js');
        return runDemoMenu(context(cmd), entry);
      }),
    );

  const run = targetOptions(
    demo
      .command('run')
      .description('walk through the demo: setup, execution, failure, recovery, teardown')
      .option('--yes', 'answer every prompt with its default (scripts, CI)')
      .option('--phase <phase>', `run only this phase; repeat in order (${PHASES.join('|')})`, collectPhase)
      .option('--keep', 'skip teardown (keep the resources)')
      .option(
        '--time-scale <n>',
        `sandbox seconds per real second (default ${DEFAULT_SANDBOX_TIME_SCALE}: a 1-minute schedule fires every ~2 s)`,
        parseTimeScale,
      ),
  );
  addDemoOptions(run, entry.options).action(
    act(async (opts, cmd: Command) => {
      const { runDemoCommand } = await import('./cli/runCommand.js');
      return runDemoCommand(context(cmd), entry, opts);
    }),
  );

  targetOptions(
    demo
      .command('teardown')
      .description("delete everything the demo's ledger names")
      .option('--yes', 'do not ask'),
  ).action(
    act(async (opts, cmd: Command) => {
      const { teardownDemoCommand } = await import('./cli/teardownCommand.js');
      return teardownDemoCommand(context(cmd), entry, opts);
    }),
  );

  targetOptions(
    demo
      .command('status')
      .description('what is deployed and how far you got')
      .option('--json', 'machine-readable output')
      .option('--yes', 'send requests to an --endpoint that is not on this machine without asking'),
  ).action(
    act(async (opts, cmd: Command) => {
      const { statusCommand } = await import('./cli/statusCommand.js');
      return statusCommand(context(cmd), entry, opts);
    }),
  );
}
for (const entry of CATALOG) addDemoCommand(entry);

targetOptions(
  program
    .command('teardown')
    .description('tear down every demo on a target (with --all)')
    .option('--all', 'every demo with a ledger on the target')
    .option('--yes', 'do not ask'),
).action(
  act(async (opts, cmd: Command) => {
    const { teardownAllCommand } = await import('./cli/teardownCommand.js');
    return teardownAllCommand(context(cmd), opts);
  }),
);

targetOptions(
  program
    .command('doctor')
    .description('check this machine is ready (Node, home, sandbox, AWS)')
    .option('--yes', 'send requests to an --endpoint that is not on this machine without asking'),
).action(
  act(async (opts, cmd: Command) => {
    const { doctorCommand } = await import('./cli/doctorCommand.js');
    return doctorCommand(context(cmd, { checkHome: false }), opts);
  }),
);

const sandbox = program.command('sandbox').description('the local AWS sandbox');
sandbox
  .command('start')
  .description('run the sandbox in the foreground (Ctrl-C stops it)')
  .option('--port <n>', `port on 127.0.0.1 (default ${DEFAULT_SANDBOX_PORT})`, parsePort)
  .option(
    '--time-scale <n>',
    `sandbox seconds per real second (default ${DEFAULT_SANDBOX_TIME_SCALE})`,
    parseTimeScale,
  )
  .option(
    '--faults <profile>',
    "have one of AWS's bad days: none (default), aws-like, hostile, NAME:SEED to replay, or a .json file",
  )
  .action(
    act(async (opts, cmd: Command) => {
      const { sandboxStart } = await import('./cli/sandboxCommands.js');
      return sandboxStart(context(cmd), opts);
    }),
  );
sandbox
  .command('env')
  .description('print export lines for the AWS CLI: eval "$(course-cli sandbox env)"')
  .action(
    act(async (_opts, cmd: Command) => {
      const { sandboxEnv } = await import('./cli/sandboxCommands.js');
      return sandboxEnv(context(cmd));
    }),
  );
sandbox
  .command('reset')
  .description('delete all sandbox state (and the sandbox ledgers and progress)')
  .option('--yes', 'do not ask')
  .action(
    act(async (opts, cmd: Command) => {
      const { sandboxReset } = await import('./cli/sandboxCommands.js');
      return sandboxReset(context(cmd), opts);
    }),
  );

// Commander errors become one line and exit 2; help and version exit 0.
program.exitOverride();
function commandPath(cmd: Command): string {
  return cmd.parent ? `${commandPath(cmd.parent)} ${cmd.name()}` : cmd.name();
}
for (const cmd of [program, ...program.commands, ...program.commands.flatMap((c) => c.commands)]) {
  cmd.exitOverride();
  cmd.configureOutput({
    outputError: (str, write) =>
      write(`${str.trim().split('\n').join(' ').replace(/\.?$/, '.')} See "${commandPath(cmd)} --help".\n`),
  });
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Help asked for (--help, `help <command>`) and --version succeed; anything else is a usage error.
    const asked = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(err.code);
    process.exitCode = asked && err.exitCode === 0 ? 0 : EXIT_USAGE;
  } else {
    const debug = process.argv.includes('--debug');
    process.exitCode = reportError(err, debug);
  }
}
// Embedded sandboxes and SDK sockets are closed by the commands; do not wait on stray timers.
process.exit(process.exitCode ?? 0);
