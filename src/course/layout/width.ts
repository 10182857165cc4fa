/**
 * How wide things are on screen. Layout works on plain text (styles are applied to finished
 * lines), so the visible width of a string is its number of code points once any escape
 * sequences are stripped. The course's own text uses no double-width characters.
 */
import { stripVTControlCharacters } from 'node:util';

/** Narration and tables are never laid out wider than this, even on a very wide terminal. */
export const MAX_TEXT_WIDTH = 100;
/** Below this the layout stops trying to be pretty and just stays readable. */
export const MIN_TEXT_WIDTH = 30;
/** Width assumed for output that is not a terminal (a file, a pipe) unless COLUMNS says otherwise. */
export const DEFAULT_PLAIN_WIDTH = 100;

export function visibleWidth(text: string): number {
  let n = 0;
  for (const _ of stripVTControlCharacters(text)) n++;
  return n;
}

/**
 * The width to lay text out for, read afresh each time so that a resized terminal gets the new
 * width from the next line on: the terminal's columns, else $COLUMNS, else 100 — capped at 100
 * (long lines are hard to read) and never below 30.
 */
export function outputWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number {
  const fromEnv = Number(process.env.COLUMNS);
  const columns =
    stream.isTTY && stream.columns
      ? stream.columns
      : Number.isInteger(fromEnv) && fromEnv > 0
        ? fromEnv
        : DEFAULT_PLAIN_WIDTH;
  return Math.max(MIN_TEXT_WIDTH, Math.min(MAX_TEXT_WIDTH, columns));
}
