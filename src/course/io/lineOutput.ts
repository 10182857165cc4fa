/**
 * The parts of `CourseIO` that only print lines: paragraphs, notes, tables and verbatim blocks.
 * Every implementation shares them so plain, TTY and recorded output read the same.
 */
import type { Table } from '../model.js';
import type { CourseIO, SelectQuestion, Styler } from './types.js';

export const PLAIN_STYLE: Styler = {
  bold: (s) => s,
  dim: (s) => s,
  ok: (s) => s,
  bad: (s) => s,
  warn: (s) => s,
  accent: (s) => s,
};

/** Render a table as aligned text columns (widths by visible characters). */
export function formatTable(table: Table, style: Styler): string[] {
  const cells = table.rows.map((row) => row.map((c) => String(c)));
  const widths = table.columns.map((col, i) =>
    Math.max(col.length, ...cells.map((r) => (r[i] ?? '').length)),
  );
  const line = (vals: string[]): string =>
    vals
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const out: string[] = [];
  if (table.title) out.push(style.bold(table.title));
  out.push(style.dim(line(table.columns)));
  for (const row of cells) out.push(line(row));
  if (cells.length === 0) out.push(style.dim('(no rows)'));
  return out.map((l) => `  ${l}`);
}

export abstract class LineOutput implements CourseIO {
  abstract readonly interactive: boolean;
  abstract readonly style: Styler;
  abstract print(text?: string): void;
  abstract select<T extends string>(question: SelectQuestion<T>): Promise<T>;
  abstract confirm(message: string, defaultValue: boolean): Promise<boolean>;
  abstract progress<T>(text: string, work: (update: (text: string) => void) => Promise<T>): Promise<T>;

  say(text: string): void {
    this.print(text);
  }

  note(text: string): void {
    this.print(this.style.warn(`! ${text}`));
  }

  table(table: Table): void {
    for (const l of formatTable(table, this.style)) this.print(l);
  }

  block(title: string, text: string): void {
    this.print(this.style.bold(title));
    const lines = text.replace(/\n$/, '').split('\n');
    for (const l of lines) this.print(this.style.dim(`  │ ${l}`));
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
