/**
 * The runner's one I/O channel. Everything the learner sees and every question asked goes through
 * a `CourseIO`, so the interactive terminal, plain output (`--yes`, no TTY, NO_COLOR) and the tests
 * run the same runner code path with different implementations.
 */
import type { StepOutput } from '../model.js';

/** Colour/emphasis functions; identity functions when output is plain. */
export interface Styler {
  bold(text: string): string;
  dim(text: string): string;
  ok(text: string): string;
  bad(text: string): string;
  warn(text: string): string;
  accent(text: string): string;
}

export interface Choice<T extends string> {
  value: T;
  label: string;
  description?: string;
  /** Shown but not selectable, with this reason (e.g. "(not in this release)"). */
  disabled?: string;
}

export interface SelectQuestion<T extends string> {
  message: string;
  choices: Array<Choice<T>>;
  /** The answer given without asking (`--yes`, no TTY). */
  defaultValue: T;
  /** Routine question: when answered by default, do not echo it (keeps plain logs readable). */
  quietWhenDefault?: boolean;
}

export interface CourseIO extends StepOutput {
  /** True when questions are really asked (a TTY without `--yes`). */
  readonly interactive: boolean;
  readonly style: Styler;
  /** Columns to lay text out in (the terminal's, capped for readability); may change between calls. */
  readonly width: number;
  /** Lines of output (stdout). */
  print(text?: string): void;
  /** Ask one of several choices; non-interactive implementations return the default. */
  select<T extends string>(question: SelectQuestion<T>): Promise<T>;
  /** Ask yes/no; non-interactive implementations return the default. */
  confirm(message: string, defaultValue: boolean): Promise<boolean>;
}

/** Raised by an interactive prompt when the learner presses Ctrl-C while it is shown. */
export class PromptInterruptedError extends Error {
  override readonly name = 'PromptInterruptedError';
  constructor() {
    super('Interrupted at a prompt.');
  }
}
