/**
 * The parts of `CourseIO` that only print lines: paragraphs, notes, tables and verbatim blocks.
 * Every implementation shares them so plain, TTY and recorded output read the same.
 */
import type { Table } from '../model.js';
import { fitTable } from '../layout/table.js';
import { outputWidth, visibleWidth } from '../layout/width.js';
import { foldVerbatim, wrapIndented } from '../layout/wrap.js';
import type { CourseIO, SelectQuestion, Styler } from './types.js';

export const PLAIN_STYLE: Styler = {
  bold: (s) => s,
  dim: (s) => s,
  ok: (s) => s,
  bad: (s) => s,
  warn: (s) => s,
  accent: (s) => s,
};

export abstract class LineOutput implements CourseIO {
  abstract readonly interactive: boolean;
  abstract readonly style: Styler;
  abstract print(text?: string): void;
  abstract select<T extends string>(question: SelectQuestion<T>): Promise<T>;
  abstract confirm(message: string, defaultValue: boolean): Promise<boolean>;
  abstract progress<T>(text: string, work: (update: (text: string) => void) => Promise<T>): Promise<T>;

  /** Columns to lay text out in, read afresh for every paragraph (a resized terminal re-wraps). */
  get width(): number {
    return outputWidth();
  }

  say(text: string, opts: { lead?: string } = {}): void {
    const lead = opts.lead ?? '';
    const hang = `  ${' '.repeat(visibleWidth(lead))}`;
    for (const l of wrapIndented(text, this.width, { first: `  ${lead}`, indent: hang })) this.print(l);
  }

  note(text: string): void {
    for (const l of wrapIndented(text, this.width, { first: '  ! ', indent: '    ' })) {
      this.print(this.style.warn(l));
    }
  }

  table(table: Table): void {
    for (const l of fitTable(table, this.width, this.style)) this.print(l);
  }

  block(title: string, text: string): void {
    const width = this.width;
    for (const l of wrapIndented(title, width, { indent: '  ' })) this.print(this.style.bold(l));
    const gutter = '  │ ';
    for (const line of text.replace(/\n$/, '').split('\n')) {
      for (const piece of foldVerbatim(line.replace(/\t/g, '  '), width - gutter.length)) {
        this.print(this.style.dim(`${gutter}${piece}`));
      }
    }
  }
}

/** Milliseconds as a short human duration: `850 ms`, `4.2 s`, `1 m 05 s`. */
export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m} m ${String(s).padStart(2, '0')} s`;
}

/**
 * The line a finished progress leaves (after its mark and a space): the label wrapped to `width`,
 * continuation lines indented two, and `(elapsed)` kept whole — on the label's last line when it
 * fits there, else on a line of its own. `dim` styles the elapsed part.
 */
export function finishedLine(
  label: string,
  elapsed: string,
  width: number,
  dim: (s: string) => string = (s) => s,
): string {
  const shown = `(${elapsed})`;
  // Wrapped as the terminal shows it: the mark and its space take the first line's two columns.
  const lines = wrapIndented(label, width, { first: '  ', indent: '    ' });
  const last = lines.length - 1;
  if (visibleWidth(lines[last]!) + 1 + visibleWidth(shown) <= width) lines[last] += ` ${dim(shown)}`;
  else lines.push(`    ${dim(shown)}`);
  return lines.map((l) => l.slice(2)).join('\n');
}
