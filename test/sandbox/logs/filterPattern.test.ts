import { describe, expect, it } from 'vitest';
import { compileFilterPattern } from '../../../src/sandbox/logs/filterPattern.js';

const matches = (pattern: string, message: string): boolean => compileFilterPattern(pattern)(message);

describe('CloudWatch Logs filter patterns', () => {
  it('matches everything when empty', () => {
    expect(matches('', 'anything')).toBe(true);
    expect(matches('""', 'anything')).toBe(true);
  });

  it('requires every plain term, case-sensitively', () => {
    expect(matches('ERROR disk', 'ERROR: disk full')).toBe(true);
    expect(matches('ERROR disk', 'ERROR: memory')).toBe(false);
    expect(matches('error', 'ERROR')).toBe(false);
  });

  it('treats quoted text as one phrase, with escapes', () => {
    expect(matches('"disk full"', 'ERROR: disk full')).toBe(true);
    expect(matches('"disk full"', 'disk is full')).toBe(false);
    expect(matches('"say \\"hi\\""', 'they say "hi"')).toBe(true);
  });

  it('needs one of the ?terms and none of the -terms', () => {
    expect(matches('?WARN ?ERROR', 'WARN slow')).toBe(true);
    expect(matches('?WARN ?ERROR', 'INFO ok')).toBe(false);
    expect(matches('disk -DEBUG', 'DEBUG disk')).toBe(false);
    expect(matches('disk -"not full"', 'disk not full')).toBe(false);
    expect(matches('?"exit code 1" ?Timeout', 'Task Timeout')).toBe(true);
  });

  it('evaluates JSON selectors with comparisons, wildcards and logic', () => {
    const msg = JSON.stringify({
      level: 'ERROR',
      ms: 250,
      ok: false,
      user: { id: 7 },
      tags: ['a', 'b'],
      gone: null,
    });
    expect(matches('{ $.level = "ERROR" }', msg)).toBe(true);
    expect(matches('{ $.level = ERR* }', msg)).toBe(true);
    expect(matches('{ $.level != "ERROR" }', msg)).toBe(false);
    expect(matches('{ $.ms >= 250 && $.ms < 300 }', msg)).toBe(true);
    expect(matches('{ ($.ms > 1000 || $.user.id = 7) && $.level = "ERROR" }', msg)).toBe(true);
    expect(matches('{ $.tags[1] = "b" }', msg)).toBe(true);
    expect(matches('{ $.ok IS FALSE }', msg)).toBe(true);
    expect(matches('{ $.gone IS NULL }', msg)).toBe(true);
    expect(matches('{ $.user.name NOT EXISTS }', msg)).toBe(true);
    expect(matches('{ $.user EXISTS }', msg)).toBe(true);
    expect(matches('{ $.level = "ERROR" }', 'not json at all')).toBe(false);
  });

  it('rejects patterns it cannot parse', () => {
    for (const bad of ['{ $.a = ', '{ level = 1 }', '{ $.a > "x" }', '[ip, user]']) {
      expect(() => compileFilterPattern(bad), bad).toThrow(
        expect.objectContaining({ code: 'InvalidParameterException' }),
      );
    }
  });
});
