/**
 * The interactive terminal: chalk colours, ora spinners showing elapsed time, @inquirer/prompts
 * questions. Loaded only for a real run in a TTY, so `--help` and `list` never pay for these modules.
 */
import chalk, { Chalk, type ChalkInstance } from 'chalk';
import ora, { type Ora } from 'ora';
import { confirm as askConfirm, select as askSelect } from '@inquirer/prompts';
import { LineOutput, formatElapsed } from './lineOutput.js';
import { PromptInterruptedError, type SelectQuestion, type Styler } from './types.js';

interface ProgressEntry {
  text: string;
  started: number;
}

function stylerFor(c: ChalkInstance): Styler {
  return {
    bold: (s) => c.bold(s),
    dim: (s) => c.dim(s),
    ok: (s) => c.green(s),
    bad: (s) => c.red(s),
    warn: (s) => c.yellow(s),
    accent: (s) => c.cyan(s),
  };
}

/** inquirer throws ExitPromptError on Ctrl-C (it owns raw mode, so no SIGINT arrives). */
function isPromptExit(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError');
}

export class TtyIO extends LineOutput {
  readonly interactive = true;
  readonly style: Styler;
  private spinner: Ora | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly stack: ProgressEntry[] = [];

  constructor(opts: { color: boolean }) {
    super();
    this.style = stylerFor(new Chalk({ level: opts.color ? chalk.level || 1 : 0 }));
  }

  print(text = ''): void {
    // ora intercepts stdout writes while spinning and redraws itself below them.
    process.stdout.write(`${text}\n`);
  }

  async select<T extends string>(question: SelectQuestion<T>): Promise<T> {
    return this.withoutSpinner(() =>
      askSelect<T>({
        message: question.message,
        default: question.defaultValue,
        choices: question.choices.map((c) => ({ value: c.value, name: c.label, description: c.description })),
      }),
    );
  }

  async confirm(message: string, defaultValue: boolean): Promise<boolean> {
    return this.withoutSpinner(() => askConfirm({ message, default: defaultValue }));
  }

  /**
   * A question asked while a step's spinner runs (e.g. the teardown confirmation): the spinner
   * owns the line and discards stdin, so stop it, ask, then carry on spinning.
   */
  private async withoutSpinner<T>(ask: () => Promise<T>): Promise<T> {
    if (this.spinner) {
      this.spinner.stop();
      this.spinner = undefined;
      if (this.timer) clearInterval(this.timer);
      this.timer = undefined;
    }
    try {
      return await ask();
    } catch (err) {
      if (isPromptExit(err)) throw new PromptInterruptedError();
      throw err;
    } finally {
      if (this.stack.length > 0) this.startSpinner();
    }
  }

  async progress<T>(text: string, work: (update: (text: string) => void) => Promise<T>): Promise<T> {
    const entry: ProgressEntry = { text, started: Date.now() };
    this.stack.push(entry);
    this.startSpinner();
    try {
      const result = await work((t) => {
        entry.text = t;
        this.refresh();
      });
      this.finish(entry, true);
      return result;
    } catch (err) {
      this.finish(entry, false);
      throw err;
    }
  }

  private startSpinner(): void {
    if (!this.spinner) {
      this.spinner = ora({ stream: process.stdout, discardStdin: true }).start();
      // Elapsed time ticks even when the step has nothing new to say.
      this.timer = setInterval(() => this.refresh(), 200);
    }
    this.refresh();
  }

  private refresh(): void {
    const top = this.stack.at(-1);
    if (!this.spinner || !top) return;
    this.spinner.text = `${top.text} ${this.style.dim(formatElapsed(Date.now() - top.started))}`;
  }

  private finish(entry: ProgressEntry, ok: boolean): void {
    const i = this.stack.indexOf(entry);
    if (i >= 0) this.stack.splice(i, 1);
    const line = `${entry.text} ${this.style.dim(`(${formatElapsed(Date.now() - entry.started)})`)}`;
    if (this.stack.length === 0) {
      if (this.timer) clearInterval(this.timer);
      this.timer = undefined;
      const s = this.spinner;
      this.spinner = undefined;
      if (ok) s?.succeed(line);
      else s?.fail(line);
    } else {
      this.print(`${ok ? this.style.ok('✔') : this.style.bad('✖')} ${line}`);
      this.refresh();
    }
  }
}
