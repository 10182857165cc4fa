/**
 * Word wrapping for what the learner reads: narration, notes, table cells and verbatim blocks.
 * Lines break at spaces; a word longer than the line (an ARN, an S3 key) breaks after a `/`, `-`,
 * `:` or `,` where it can, else at the edge, so nothing is ever cut off. A no-break space (U+00A0)
 * keeps the words on either side on one line (`s3:PutObject ×2`, `… 24 more`); it is printed as a
 * plain space.
 */
import { visibleWidth } from './width.js';

/** Joins words that must stay on one line; printed as a space. */
export const NO_BREAK = '\u00a0';
/** Where a line may break: any white space but a no-break space. */
const BREAKABLE_SPACE = /[^\S\u00a0]+/;

/** Characters after which a long word may break. */
const SOFT_BREAK = /[/\-:,=&?]/;

/** Split a word wider than `width` into pieces that fit, preferring a soft break point. */
export function breakWord(word: string, width: number): string[] {
  const chars = Array.from(word);
  const pieces: string[] = [];
  const w = Math.max(1, width);
  while (chars.length > w) {
    let cut = w;
    for (let i = w - 1; i >= Math.ceil(w / 2); i--) {
      if (SOFT_BREAK.test(chars[i - 1]!)) {
        cut = i;
        break;
      }
    }
    pieces.push(chars.splice(0, cut).join(''));
  }
  pieces.push(chars.join(''));
  return pieces;
}

/** One paragraph (no newlines) as lines of at most `width` visible characters. */
export function wrapLine(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(BREAKABLE_SPACE).filter(Boolean)) {
    const sep = line ? 1 : 0;
    if (visibleWidth(line) + sep + visibleWidth(word) <= width) {
      line += (sep ? ' ' : '') + word;
      continue;
    }
    if (visibleWidth(word) > width) {
      // A word that fits no line anyway starts on this one when there is room, rather than
      // leaving a lone word behind.
      const room = width - visibleWidth(line) - sep;
      let rest = word;
      if (line && room >= 8) {
        const [head] = breakWord(word, room);
        line += ` ${head}`;
        rest = word.slice(head!.length);
      }
      if (line) lines.push(line);
      const pieces = breakWord(rest, width);
      lines.push(...pieces.slice(0, -1));
      line = pieces.at(-1)!;
      continue;
    }
    if (line) lines.push(line);
    line = word;
  }
  lines.push(line);
  return lines.map((l) => l.replaceAll(NO_BREAK, ' '));
}

/** Text with paragraphs separated by `\n`, wrapped to `width`. An empty paragraph stays an empty line. */
export function wrapText(text: string, width: number): string[] {
  return text.split('\n').flatMap((p) => wrapLine(p, width));
}

export interface IndentOptions {
  /** Prefix of the very first line (e.g. `WHY   `); defaults to `indent`. */
  first?: string;
  /** Prefix of every other line. */
  indent: string;
}

/**
 * Wrap `text` so that each line, prefix included, fits `width`. Continuation lines line up under
 * the first line's text.
 */
export function wrapIndented(text: string, width: number, opts: IndentOptions): string[] {
  const first = opts.first ?? opts.indent;
  const room = Math.max(10, width - Math.max(visibleWidth(first), visibleWidth(opts.indent)));
  return wrapText(text, room).map((l, i) => `${i === 0 ? first : opts.indent}${l}`.trimEnd());
}

/**
 * A verbatim line (JSON, a log line) wider than `width`: cut into pieces at the edge, keeping its
 * leading spaces, with continuation pieces indented two more so they read as one line.
 */
export function foldVerbatim(line: string, width: number): string[] {
  if (visibleWidth(line) <= width) return [line];
  const lead = /^\s*/.exec(line)![0];
  const pad = `${lead}  `.slice(0, Math.max(0, width - 10));
  const [head, ...rest] = breakWord(line, width);
  const tail = rest.join('');
  return [head!, ...breakWord(tail, width - pad.length).map((p) => pad + p)];
}
