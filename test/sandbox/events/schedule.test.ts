import { describe, expect, it } from 'vitest';
import { parseScheduleExpression, ScheduleSyntaxError } from '../../../src/sandbox/events/schedule.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | undefined): string | undefined =>
  ms === undefined ? undefined : new Date(ms).toISOString();

describe('schedule expressions', () => {
  it.each([
    'rate(1 minute)',
    'rate(5 minutes)',
    'rate(1 hour)',
    'rate(12 hours)',
    'rate(1 day)',
    'rate(7 days)',
    'cron(0 12 * * ? *)',
    'cron(15 10 ? * 6L 2002-2005)',
    'cron(0 18 ? * MON-FRI *)',
    'cron(0 8 1 * ? *)',
    'cron(0/15 * * * ? *)',
    'cron(0/10 * ? * MON-FRI *)',
    'cron(0/5 8-17 ? * MON-FRI *)',
    'cron(0 9 ? * 2#1 *)',
    'cron(0 0 L * ? *)',
    'cron(0 0 LW * ? *)',
    'cron(0 0 15W * ? *)',
    'cron(0,30 1,2 ? JAN-MAR,DEC SUN,SAT 2030)',
    'cron(* * * * ? *)',
  ])('accepts %s', (expr) => {
    expect(() => parseScheduleExpression(expr)).not.toThrow();
  });

  it.each([
    'rate(1 minutes)',
    'rate(5 minute)',
    'rate(0 minutes)',
    'rate(-1 minutes)',
    'rate(1 second)',
    'rate(1.5 hours)',
    'rate(1  minute)',
    'rate(minute)',
    'rate 1 minute',
    'every minute',
    'cron(0 12 * * * *)',
    'cron(0 12 ? * ? *)',
    'cron(0 12 * * ?)',
    'cron(60 12 * * ? *)',
    'cron(0 24 * * ? *)',
    'cron(0 0 32 * ? *)',
    'cron(0 0 0 * ? *)',
    'cron(0 0 ? 13 * *)',
    'cron(0 0 ? * 8 *)',
    'cron(0 0 ? * FOO *)',
    'cron(0 0 * * ? 1969)',
    'cron(0/0 * * * ? *)',
    'cron(0 0 ? * 2#6 *)',
    'cron()',
  ])('rejects %s', (expr) => {
    expect(() => parseScheduleExpression(expr)).toThrow(ScheduleSyntaxError);
  });

  it('rate fires every period from the minute the rule was scheduled', () => {
    const s = parseScheduleExpression('rate(5 minutes)');
    const anchor = at('2024-03-01T10:02:30Z');
    expect(iso(s.nextAfter(anchor, anchor))).toBe('2024-03-01T10:07:00.000Z');
    expect(iso(s.nextAfter(at('2024-03-01T10:07:00Z'), anchor))).toBe('2024-03-01T10:12:00.000Z');
    expect(iso(s.nextAfter(at('2024-03-01T10:11:59Z'), anchor))).toBe('2024-03-01T10:12:00.000Z');
  });

  it.each([
    ['cron(0 12 * * ? *)', '2024-03-01T10:02:30Z', '2024-03-01T12:00:00.000Z'],
    ['cron(0 12 * * ? *)', '2024-03-01T12:00:00Z', '2024-03-02T12:00:00.000Z'],
    ['cron(0/15 * * * ? *)', '2024-03-01T10:02:30Z', '2024-03-01T10:15:00.000Z'],
    ['cron(0 18 ? * MON-FRI *)', '2024-03-01T19:00:00Z', '2024-03-04T18:00:00.000Z'],
    ['cron(0 8 1 * ? *)', '2024-03-01T09:00:00Z', '2024-04-01T08:00:00.000Z'],
    ['cron(0 0 L * ? *)', '2024-02-01T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['cron(0 0 LW * ? *)', '2024-03-01T00:00:00Z', '2024-03-29T00:00:00.000Z'],
    ['cron(0 0 16W * ? *)', '2024-03-01T00:00:00Z', '2024-03-15T00:00:00.000Z'],
    ['cron(0 9 ? * 2#1 *)', '2024-03-01T00:00:00Z', '2024-03-04T09:00:00.000Z'],
    ['cron(0 9 ? * 6L *)', '2024-03-01T10:00:00Z', '2024-03-29T09:00:00.000Z'],
    ['cron(0 0 1 1 ? 2030)', '2024-03-01T00:00:00Z', '2030-01-01T00:00:00.000Z'],
    ['cron(0 0 1 1 ? 2020)', '2024-03-01T00:00:00Z', undefined],
  ])('%s after %s → %s', (expr, after, next) => {
    expect(iso(parseScheduleExpression(expr).nextAfter(at(after), at(after)))).toBe(next);
  });
});
