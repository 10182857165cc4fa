/**
 * Plain output for scripts, CI and pipes: no colour, no spinner, one line per event, and every
 * question answered with its default (the runner only reaches here with `--yes` or without a TTY).
 */
import { LineOutput, PLAIN_STYLE, formatElapsed } from './lineOutput.js';
import type { SelectQuestion, Styler } from './types.js';

export class PlainIO extends LineOutput {
  readonly interactive = false;
  readonly style: Styler = PLAIN_STYLE;
  /** Errors a progress line already reported: the progress around it does not say so again. */
  private readonly reported = new WeakSet<object>();

  constructor(private readonly write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {
    super();
  }

  print(text = ''): void {
    this.write(text);
  }

  async select<T extends string>(question: SelectQuestion<T>): Promise<T> {
    const choice = question.choices.find((c) => c.value === question.defaultValue);
    if (question.quietWhenDefault) return question.defaultValue;
    this.print(`? ${question.message} ${choice?.label ?? question.defaultValue} (default)`);
    return question.defaultValue;
  }

  async confirm(message: string, defaultValue: boolean): Promise<boolean> {
    this.print(`? ${message} ${defaultValue ? 'yes' : 'no'} (default)`);
    return defaultValue;
  }

  async progress<T>(text: string, work: (update: (text: string) => void) => Promise<T>): Promise<T> {
    const started = Date.now();
    this.print(`… ${text}`);
    // Countdown updates would flood a log; plain output reports only start and end.
    try {
      const result = await work(() => undefined);
      this.print(`  done in ${formatElapsed(Date.now() - started)}`);
      return result;
    } catch (err) {
      // Nested progress (a wait inside a step) fails with the same error: one line, the innermost.
      const seen = typeof err === 'object' && err !== null && this.reported.has(err);
      if (!seen) this.print(`  failed after ${formatElapsed(Date.now() - started)}`);
      if (typeof err === 'object' && err !== null) this.reported.add(err);
      throw err;
    }
  }
}
