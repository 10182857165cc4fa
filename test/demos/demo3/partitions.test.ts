/** Partition ids, keys and windows as the handlers read them: strict, so no input reaches a wrong key. */
import { describe, expect, it } from 'vitest';
import {
  MAX_WINDOW_HOURS,
  curatedKey,
  nextPartition,
  partitionOfCuratedKey,
  partitionOfRawKey,
  rawPrefix,
  windowBounds,
  windowPartitions,
} from '../../../demos/demo3-hybrid-reconciliation/lambda/partitions.mjs';
import { builtFrom, partitionState } from '../../../demos/demo3-hybrid-reconciliation/lambda/summaries.mjs';

describe('partitions', () => {
  it('name hours by their path segment, in time order, across days', () => {
    expect(windowPartitions({ start: '2024-02-28T22:00:00Z', hours: 4 })).toEqual([
      'dt=2024-02-28/hour=22',
      'dt=2024-02-28/hour=23',
      'dt=2024-02-29/hour=00',
      'dt=2024-02-29/hour=01',
    ]);
    expect(nextPartition('dt=2024-12-31/hour=23')).toBe('dt=2025-01-01/hour=00');
    expect(rawPrefix('dt=2024-05-01/hour=03')).toBe('raw/orders/dt=2024-05-01/hour=03/');
    expect(curatedKey('dt=2024-05-01/hour=03')).toBe(
      'curated/orders_hourly/dt=2024-05-01/hour=03/summary.json',
    );
    expect(windowBounds({ start: '2024-05-01T00:00:00Z', hours: 6 })).toEqual({
      start: '2024-05-01T00:00:00.000Z',
      end: '2024-05-01T06:00:00.000Z',
    });
  });

  it('refuse windows that are not whole hours or too long for the state machine payloads', () => {
    for (const w of [
      { start: '2024-05-01T00:30:00Z', hours: 6 },
      { start: 'yesterday', hours: 6 },
      { start: '2024-05-01T00:00:00Z', hours: 0 },
      { start: '2024-05-01T00:00:00Z', hours: MAX_WINDOW_HOURS + 1 },
      { start: '2024-05-01T00:00:00Z', hours: 1.5 },
    ]) {
      expect(() => windowPartitions(w), JSON.stringify(w)).toThrow(/window\./);
    }
    expect(windowPartitions({ start: '2024-05-01T00:00:00Z', hours: MAX_WINDOW_HOURS })).toHaveLength(720);
  });

  it('recognise only a partition’s own input files and summaries', () => {
    expect(partitionOfRawKey('raw/orders/dt=2024-05-01/hour=03/part-0000.jsonl')).toBe(
      'dt=2024-05-01/hour=03',
    );
    for (const k of [
      'raw/orders/dt=2024-05-01/hour=03/',
      'raw/orders/dt=2024-05-01/hour=3/x.jsonl',
      'raw/orders/dt=2024-05-01/hour=03/deeper/x.jsonl',
      'raw/orders/dt=2024-05-32/hour=03/x.jsonl',
      'raw/other/dt=2024-05-01/hour=03/x.jsonl',
      '../raw/orders/dt=2024-05-01/hour=03/x',
    ]) {
      expect(partitionOfRawKey(k), k).toBeUndefined();
    }
    expect(partitionOfCuratedKey('curated/orders_hourly/dt=2024-05-01/hour=03/summary.json')).toBe(
      'dt=2024-05-01/hour=03',
    );
    expect(partitionOfCuratedKey('curated/orders_hourly/dt=2024-05-01/hour=03/other.json')).toBeUndefined();
  });
});

describe('staleness from listings', () => {
  const a = { key: 'raw/orders/dt=2024-05-01/hour=03/a.jsonl', etag: 'e1', size: 10 };
  const b = { key: 'raw/orders/dt=2024-05-01/hour=03/b.jsonl', etag: 'e2', size: 20 };
  const summary = { sources: [{ ...a, records: 1 }] };
  it('a summary is current only for exactly the objects it was built from', () => {
    expect(builtFrom(summary, [a])).toBe(true);
    expect(builtFrom(summary, [a, b])).toBe(false);
    expect(builtFrom(summary, [{ ...a, etag: 'e9' }])).toBe(false);
    expect(builtFrom(summary, [{ ...a, size: 11 }])).toBe(false);
    expect(builtFrom({}, [a])).toBe(false);
    expect(partitionState([], summary)).toBe('MISSING');
    expect(partitionState([a], undefined)).toBe('STALE');
    expect(partitionState([a, b], summary)).toBe('STALE');
    expect(partitionState([a], summary)).toBe('CURRENT');
  });
});
