import { describe, expect, it } from 'vitest';
import { describeOffset, targetTime } from '../../src/course/targetTime.js';
import { formatFields, logTable } from '../../src/course/logTable.js';
import { concludeFromSignals, signalsTable, type Signal } from '../../src/course/signals.js';
import type { TargetClock } from '../../src/cloud/types.js';
import { RecordingIO } from './fakes.js';
import { fitTable } from '../../src/course/layout/table.js';
import { PLAIN_STYLE } from '../../src/course/io/lineOutput.js';

const clockAt = (ms: number, timeScale: number): TargetClock => ({
  now: () => ms,
  sleep: async () => undefined,
  toRealMs: (x) => x / timeScale,
  timeScale,
});
const T = Date.parse('2026-11-30T23:46:05Z');

describe('target time', () => {
  it('labels sandbox times as sandbox time with the scale (once, above the column), and AWS times as UTC', () => {
    const sandbox = targetTime('sandbox', clockAt(T, 30));
    expect(sandbox.columnTitle).toBe('time');
    expect(sandbox.columnNote).toBe('time: sandbox clock, 30× real speed');
    expect(targetTime('sandbox', clockAt(T, 1)).columnNote).toBe('time: sandbox clock, real speed');
    expect(sandbox.clockTime(T)).toBe('23:46:05');
    expect(sandbox.at(T)).toBe('23:46 sandbox time');
    const aws = targetTime('aws', clockAt(T, 1));
    expect(aws.columnTitle).toBe('UTC time');
    expect(aws.columnNote).toBeUndefined();
    expect(aws.at(T)).toBe('23:46 UTC');
  });

  it('explains sandbox time once per run, with how far ahead of the learner it is', () => {
    const io = new RecordingIO(false);
    const sandbox = targetTime('sandbox', clockAt(T, 30), () => T - (2 * 3_600_000 + 29 * 60_000));
    sandbox.explainOnce(io);
    sandbox.explainOnce(io);
    expect(io.lines.filter((l) => l.includes('sandbox time'))).toHaveLength(1);
    expect(io.text.replace(/\s+/g, ' ')).toContain('30× faster than real time (a minute passes in 2 s)');
    expect(io.text.replace(/\s+/g, ' ')).toContain('2026-11-30 23:46 UTC, 2 h 29 min ahead of yours');
    const aws = new RecordingIO(false);
    targetTime('aws', clockAt(T, 1)).explainOnce(aws);
    expect(aws.lines).toEqual([]);
  });

  it('describes offsets in days, hours and minutes', () => {
    expect(describeOffset(4 * 60_000)).toBe('4 min');
    expect(describeOffset(3 * 86_400_000 + 2 * 3_600_000)).toBe('3 days 2 h');
  });
});

describe('log tables', () => {
  it('show the message and the chosen fields, and a source column only when there are several', () => {
    const time = targetTime('sandbox', clockAt(T, 30));
    const one = logTable(
      'logs',
      [
        {
          timestamp: T,
          source: 'abcd1234-ffff',
          level: 'INFO',
          message: 'window already processed, skipping',
          fields: { window: { dt: '2026-11-30', hour: '16' }, record_count: 120, noise: 'x' },
        },
      ],
      { time, fields: ['window', 'record_count'] },
    );
    expect(one.columns).toEqual(['time', 'level', 'message']);
    expect(one.note).toBe('time: sandbox clock, 30× real speed');
    expect(one.rows[0]).toEqual([
      '23:46:05',
      'INFO',
      'window already processed, skipping · window={dt:2026-11-30,hour:16} record_count=120',
    ]);
    const two = logTable(
      'logs',
      [
        { timestamp: T, source: 'abcd1234-ffff', level: 'START', message: '' },
        { timestamp: T, source: 'eeee5678-ffff', level: 'START', message: '' },
      ],
      { time, sourceTitle: 'request' },
    );
    expect(two.columns).toEqual(['time', 'request', 'level', 'message']);
    expect(two.rows.map((r) => r[1])).toEqual(['abcd1234', 'eeee5678']);
  });

  it('fit 60 columns with a one-line header: whose clock is said once, above the table', () => {
    const time = targetTime('sandbox', clockAt(T, 30));
    const table = logTable('Log lines', [{ timestamp: T, level: 'INFO', message: 'm '.repeat(60) }], {
      time,
    });
    const lines = fitTable(table, 60, PLAIN_STYLE);
    expect(lines.slice(0, 3)).toEqual([
      '  Log lines',
      '  time: sandbox clock, 30× real speed',
      '  time      level  message',
    ]);
    expect(lines[3]!.startsWith('  23:46:05  INFO   m m')).toBe(true);
  });

  it('formats field values compactly and leaves out empty ones', () => {
    expect(formatFields({ a: 'text', b: 2, c: null, d: { x: 'y z' } })).toBe('a=text b=2 d={x:"y z"}');
  });
});

describe('signals and their conclusion', () => {
  const wording = {
    allHealthy: 'all green',
    someFailing: (f: Signal[]) => `failing: ${f.map((s) => s.name).join(', ')}`,
    somePending: (p: Signal[]) => `pending: ${p.map((s) => s.name).join(', ')}`,
  };
  const s = (name: string, status: Signal['status']): Signal => ({ name, value: 1, status });

  it('the sentence follows the table: failing beats pending beats healthy; info rows are not judged', () => {
    expect(concludeFromSignals([s('a', 'healthy'), s('n', 'info')], wording)).toEqual({
      kind: 'healthy',
      text: 'all green',
    });
    expect(concludeFromSignals([s('a', 'healthy'), s('b', 'pending')], wording).text).toBe('pending: b');
    expect(concludeFromSignals([s('a', 'failing'), s('b', 'pending')], wording)).toEqual({
      kind: 'failing',
      text: 'failing: a',
    });
  });

  it('shows FAILING in the looks column for a failing signal', () => {
    const t = signalsTable('t', [
      s('errors', 'failing'),
      { ...s('metrics', 'pending'), looks: 'not published yet' },
    ]);
    expect(t.rows).toEqual([
      ['errors', 1, 'FAILING'],
      ['metrics', 1, 'not published yet'],
    ]);
  });
});
