/**
 * Fitting a table to the terminal. Columns take their natural width when they fit; otherwise the
 * widest column gives up space first (again and again) and its cells wrap onto more lines — no cell
 * is ever cut. When even narrow columns cannot fit, each row is shown as `column: value` lines.
 */
import type { Table } from '../model.js';
import type { Styler } from '../io/types.js';
import { visibleWidth } from './width.js';
import { wrapIndented, wrapText } from './wrap.js';

const INDENT = '  ';
const GAP = '  ';
/** A column is never squeezed below this (or its natural width, if smaller). */
const MIN_COLUMN = 8;

function longestWord(text: string): number {
  return Math.max(0, ...text.split(/\s+/).map(visibleWidth));
}

function naturalWidth(text: string): number {
  return Math.max(0, ...text.split('\n').map(visibleWidth));
}

/**
 * Column widths that fit `room`; undefined when no fit is possible. A column only as wide as its
 * title gives way first (the title wraps, down to its longest word or its cells' width); then the
 * widest column, again and again.
 */
export function fitColumns(
  natural: number[],
  room: number,
  byCells: number[] = natural,
): number[] | undefined {
  const widths = [...natural];
  const floor = natural.map((n) => Math.min(n, MIN_COLUMN));
  let total = widths.reduce((a, b) => a + b, 0);
  for (let i = 0; i < widths.length && total > room; i++) {
    const give = Math.min(widths[i]! - Math.max(byCells[i]!, floor[i]!), total - room);
    if (give > 0) {
      widths[i]! -= give;
      total -= give;
    }
  }
  while (total > room) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      if (widths[i]! > floor[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    }
    if (widest < 0) return undefined;
    widths[widest]!--;
    total--;
  }
  return widths;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleWidth(text)));
}

function renderRow(cells: string[], widths: number[]): string[] {
  const wrapped = cells.map((c, i) => wrapText(c, widths[i]!));
  const height = Math.max(...wrapped.map((w) => w.length));
  const lines: string[] = [];
  for (let r = 0; r < height; r++) {
    const line = wrapped.map((w, i) => pad(w[r] ?? '', widths[i]!)).join(GAP);
    lines.push(`${INDENT}${line}`.trimEnd());
  }
  return lines;
}

/** Each row as a block of `column: value` lines, for terminals too narrow for columns. */
function renderStacked(columns: string[], cells: string[][], width: number, style: Styler): string[] {
  const out: string[] = [];
  for (const row of cells) {
    row.forEach((value, i) => {
      const label = `${columns[i] || '·'}: `;
      const first = `${i === 0 ? INDENT : `${INDENT}  `}${label}`;
      const lines = wrapIndented(value, width, { first, indent: `${INDENT}    ` });
      out.push(...(i === 0 ? lines.map((l) => style.bold(l)) : lines));
    });
  }
  return out;
}

/** The table as lines that fit `width` columns (each line starts with a two-space indent). */
export function fitTable(table: Table, width: number, style: Styler): string[] {
  const cells = table.rows.map((row) => table.columns.map((_, i) => String(row[i] ?? '')));
  const out: string[] = [];
  if (table.title)
    out.push(...wrapIndented(table.title, width, { indent: INDENT }).map((l) => style.bold(l)));
  if (table.note) out.push(...wrapIndented(table.note, width, { indent: INDENT }).map((l) => style.dim(l)));
  if (cells.length === 0) {
    out.push(style.dim(`${INDENT}(no rows)`));
    return out;
  }
  const byCells = table.columns.map((col, i) =>
    Math.max(longestWord(col), ...cells.map((r) => naturalWidth(r[i]!))),
  );
  const natural = table.columns.map((col, i) => Math.max(naturalWidth(col), byCells[i]!));
  const room = width - INDENT.length - GAP.length * (table.columns.length - 1);
  const widths = fitColumns(natural, room, byCells);
  if (!widths) return [...out, ...renderStacked(table.columns, cells, width, style)];
  out.push(...renderRow(table.columns, widths).map((l) => style.dim(l)));
  for (const row of cells) out.push(...renderRow(row, widths));
  return out;
}
