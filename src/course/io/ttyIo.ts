/**
 * The interactive terminal: chalk colours, ora spinners showing elapsed time, @inquirer/prompts
 * questions. Loaded only for a real run in a TTY, so `--help` and `list` never pay for these modules.
 */
import chalk, { Chalk, type ChalkInstance } from 'chalk';
import ora, { type Ora } from 'ora';
import { confirm as askConfirm, select as askSelect } from '@inquirer/prompts';
import { LineOutput, finishedLine, formatElapsed } from './lineOutput.js';
import { PromptInterruptedError, type SelectQuestion, type Styler } from './types.js';
import { visibleWidth } from '../layout/width.js';
import { wrapIndented } from '../layout/wrap.js';

interface ProgressEntry {
  /** What the work is, as first announced (kept for the line left behind when it ends). */
  label: string;
  /** What the spinner says now (a countdown may replace the label). */
  text: string;
  started: number;
}

/** Cut `text` to `width` visible characters, ending with … when something was cut. */
export function truncateToWidth(text: string, width: number): string {
  if (visibleWidth(text) <= width) return text;
  return `${Array.from(text)
    .slice(0, Math.max(0, width - 1))
    .join('')}…`;
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

  /**
   * Questions clear themselves from the screen when done (so Ctrl-C leaves no stale menu behind);
   * an answered question is then written back as one line, as inquirer would show it.
   */
  async select<T extends string>(question: SelectQuestion<T>): Promise<T> {
    const value = await this.withoutSpinner(() =>
      askSelect<T>(
        {
          message: question.message,
          default: question.defaultValue,
          choices: question.choices.map((c) => ({
            value: c.value,
            name: c.label,
            description: c.description,
            disabled: c.disabled ?? false,
          })),
        },
        { clearPromptOnDone: true },
      ),
    );
    this.answered(question.message, question.choices.find((c) => c.value === value)?.label ?? value);
    return value;
  }

  async confirm(message: string, defaultValue: boolean): Promise<boolean> {
    const yes = await this.withoutSpinner(() =>
      askConfirm({ message, default: defaultValue }, { clearPromptOnDone: true }),
    );
    this.answered(message, yes ? 'Yes' : 'No');
    return yes;
  }

  private answered(message: string, answer: string): void {
    const s = this.style;
    if (visibleWidth(`✔ ${message} ${answer}`) <= this.width) {
      this.print(`${s.ok('✔')} ${s.bold(message)} ${s.accent(answer)}`);
      return;
    }
    const lines = wrapIndented(`${message} ${answer}`, this.width, { first: '✔ ', indent: '  ' });
    this.print(lines.map((l, i) => (i === 0 ? `${s.ok('✔')}${s.bold(l.slice(1))}` : s.bold(l))).join('\n'));
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
    const entry: ProgressEntry = { label: text, text, started: Date.now() };
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

  /** The spinner keeps to one line whatever the terminal's width: its text is cut to fit. */
  private refresh(): void {
    const top = this.stack.at(-1);
    if (!this.spinner || !top) return;
    const elapsed = formatElapsed(Date.now() - top.started);
    const columns = process.stdout.columns || 80;
    // frame + space before the text, a space before the elapsed time, one column spare.
    const room = columns - 2 - 1 - elapsed.length - 1;
    this.spinner.text = `${truncateToWidth(top.text, room)} ${this.style.dim(elapsed)}`;
  }

  private finish(entry: ProgressEntry, ok: boolean): void {
    const i = this.stack.indexOf(entry);
    if (i >= 0) this.stack.splice(i, 1);
    const elapsed = formatElapsed(Date.now() - entry.started);
    const line = finishedLine(entry.label, elapsed, this.width, this.style.dim);
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
