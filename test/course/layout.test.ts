import { describe, expect, it } from 'vitest';
import { breakWord, foldVerbatim, wrapIndented, wrapText } from '../../src/course/layout/wrap.js';
import { fitColumns, fitTable } from '../../src/course/layout/table.js';
import { outputWidth, visibleWidth } from '../../src/course/layout/width.js';
import { PLAIN_STYLE, finishedLine } from '../../src/course/io/lineOutput.js';

const WIDTHS = [60, 80, 100, 160];
const widest = (lines: string[]): number => Math.max(...lines.map(visibleWidth));

describe('wrapping', () => {
  const text =
    'A rule cannot invoke a function until the function says so. Scoping that to the ARN ' +
    'arn:aws:events:us-east-1:000000000000:rule/course-demo1-abc123-every-minute stops any other rule.';

  it.each(WIDTHS)('breaks at spaces, never wider than %i columns, and loses no character', (w) => {
    const lines = wrapIndented(text, Math.min(w, 100), { first: '  WHY   ', indent: '        ' });
    expect(widest(lines)).toBeLessThanOrEqual(Math.min(w, 100));
    const joined = lines.map((l) => l.trim().replace(/^WHY\s+/, '')).join(' ');
    expect(joined.replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
    // Words are never split unless longer than the line.
    for (const word of text.split(' ').filter((x) => x.length < Math.min(w, 100) - 8)) {
      expect(lines.some((l) => l.includes(word))).toBe(true);
    }
  });

  it('breaks a word longer than the line after a / - : where it can', () => {
    const pieces = breakWord('raw/orders/dt=2026-11-30/hour=16/part-0000.jsonl', 20);
    expect(pieces.join('')).toBe('raw/orders/dt=2026-11-30/hour=16/part-0000.jsonl');
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(20);
    expect(pieces[0]).toBe('raw/orders/dt=2026-'); // the last break point that fits
  });

  it('starts a word too long for any line on the current line, leaving no lone word behind', () => {
    const arn = 'arn:aws:events:us-east-1:000000000000:rule/course-demo1-6jr9dw-every-minute';
    const lines = wrapText(`Only ${arn} may invoke the function.`, 50);
    expect(lines[0]!.startsWith('Only arn:aws:events:')).toBe(true);
    expect(widest(lines)).toBeLessThanOrEqual(50);
    expect(lines.join('').replace(/\s+/g, '')).toBe(`Only${arn}mayinvokethefunction.`);
  });

  it("a finished progress line keeps its elapsed time whole: on the label's last line, or its own", () => {
    // As seen at 60 columns: "(34" on one line and "ms)" on the next.
    const label = 'Following the event run for dt=2026-11-30/hour=00';
    expect(finishedLine(label, '34 ms', 60)).toBe(`${label} (34 ms)`);
    expect(finishedLine(`${label} xxxxx`, '34 ms', 60)).toBe(`${label} xxxxx\n  (34 ms)`);
    const long = finishedLine(
      'Waiting for the run that raw/orders/dt=2026-11-30/hour=00/part-0000.jsonl started',
      '66 ms',
      60,
    );
    for (const l of long.split('\n')) expect(visibleWidth(l) + 2).toBeLessThanOrEqual(60);
    expect(long.endsWith(' (66 ms)')).toBe(true);
    expect(finishedLine('x', '1.2 s', 60, (s) => `<${s}>`)).toBe('x <(1.2 s)>');
  });

  it('keeps paragraphs and empty lines', () => {
    expect(wrapText('one two\n\nthree', 40)).toEqual(['one two', '', 'three']);
  });

  it('folds a verbatim line at the edge, continuation indented, nothing lost', () => {
    const line = `    "Resource": "arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/course-demo1-x-hourly-aggregate:*"`;
    const folded = foldVerbatim(line, 50);
    expect(widest(folded)).toBeLessThanOrEqual(50);
    expect(folded.slice(1).every((l) => l.startsWith('      '))).toBe(true);
    expect(folded.map((l, i) => (i ? l.trimStart() : l)).join('')).toBe(line);
  });
});

describe('fitting tables', () => {
  const table = {
    title: 'CloudWatch Logs /aws/lambda/course-demo1-abc123-hourly-aggregate',
    columns: ['time', 'level', 'message'],
    rows: [
      ['17:31:00', 'START', 'RequestId: 66ae5bf6-61f4-40fa-b2fb-d7b9bbe1a94f Version: $LATEST'],
      [
        '17:31:07',
        'INFO',
        'window already processed, skipping · window={dt:2026-11-30,hour:16} record_count=120',
      ],
    ],
  };

  it.each(WIDTHS)('at %i columns: every line fits, no cell is cut', (w) => {
    const width = Math.min(w, 100);
    const lines = fitTable(table, width, PLAIN_STYLE);
    expect(widest(lines)).toBeLessThanOrEqual(width);
    const all = lines.join(' ').replace(/\s+/g, '');
    for (const row of table.rows) for (const cell of row) expect(all).toContain(cell.replace(/\s+/g, ''));
    expect(lines.join('\n')).not.toContain('…');
  });

  it('a column only as wide as its title gives way first: the title wraps', () => {
    expect(fitColumns([18, 6, 60], 60, [8, 6, 60])).toEqual([8, 6, 46]);
    const lines = fitTable(
      { columns: ['sandbox time (×30)', 'level', 'message'], rows: [['20:08:00', 'INFO', 'm'.repeat(70)]] },
      60,
      PLAIN_STYLE,
    );
    expect(lines[0]).toBe('  sandbox   level  message');
    expect(lines[1]).toBe('  time');
    expect(lines[3]!.startsWith('  20:08:00  INFO   mmm')).toBe(true);
  });

  it('shrinks the widest column first and keeps narrow ones whole', () => {
    expect(fitColumns([8, 5, 90], 60)).toEqual([8, 5, 47]);
    expect(fitColumns([40, 40], 60)).toEqual([30, 30]);
    expect(fitColumns([30, 30, 30], 20)).toBeUndefined();
  });

  it('falls back to one "column: value" block per row when columns cannot fit', () => {
    const wide = {
      columns: ['a', 'b', 'c', 'd', 'e'],
      rows: [['x'.repeat(30), 'y'.repeat(30), 'z'.repeat(30), 'w'.repeat(9), 'v'.repeat(9)]],
    };
    const lines = fitTable(wide, 30, PLAIN_STYLE);
    expect(widest(lines)).toBeLessThanOrEqual(30);
    expect(lines.some((l) => l.trim().startsWith('b: '))).toBe(true);
  });
});

describe('output width', () => {
  it('follows the terminal, capped at 100 and never below 30; COLUMNS for files and pipes', () => {
    expect(outputWidth({ isTTY: true, columns: 60 })).toBe(60);
    expect(outputWidth({ isTTY: true, columns: 160 })).toBe(100);
    expect(outputWidth({ isTTY: true, columns: 12 })).toBe(30);
    const before = process.env.COLUMNS;
    try {
      process.env.COLUMNS = '72';
      expect(outputWidth({ isTTY: false })).toBe(72);
      delete process.env.COLUMNS;
      expect(outputWidth({ isTTY: false })).toBe(100);
    } finally {
      if (before === undefined) delete process.env.COLUMNS;
      else process.env.COLUMNS = before;
    }
  });
});
