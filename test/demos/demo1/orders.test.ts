import { describe, expect, it } from 'vitest';
import {
  curatedKey,
  describeWindow,
  previousWindow,
  rawKey,
  shiftWindow,
  windowAt,
  windowStart,
} from '../../../demos/shared/hourWindows.js';
import {
  generateOrders,
  orderStats,
  parseJsonLines,
  rawOrderFile,
  toJsonLines,
} from '../../../demos/shared/orders.js';

const window = { dt: '2024-05-01', hour: '10' };

describe('hour windows', () => {
  it('names the hour containing an instant and the one before it', () => {
    const t = Date.parse('2024-05-01T00:30:00Z');
    expect(windowAt(t)).toEqual({ dt: '2024-05-01', hour: '00' });
    expect(previousWindow(t)).toEqual({ dt: '2024-04-30', hour: '23' });
    expect(shiftWindow(window, 14)).toEqual({ dt: '2024-05-02', hour: '00' });
    expect(windowStart(window)).toBe(Date.parse('2024-05-01T10:00:00Z'));
    expect(describeWindow(window)).toBe('2024-05-01 10:00–11:00 UTC');
  });

  it('lays out raw and curated keys as the course does', () => {
    expect(rawKey(window, 'part-0000.jsonl')).toBe('raw/orders/dt=2024-05-01/hour=10/part-0000.jsonl');
    expect(curatedKey(window)).toBe('curated/orders_hourly/dt=2024-05-01/hour=10/summary.json');
  });

  it('rejects a malformed window', () => {
    expect(() => windowStart({ dt: '2024-13-01', hour: '10' })).toThrow(RangeError);
  });
});

describe('seeded order generator', () => {
  it('gives the same records for the same seed, window and file, and different ones otherwise', () => {
    const a = generateOrders({ seed: 's', window, count: 50, fileLabel: 'part-0000' });
    const b = generateOrders({ seed: 's', window, count: 50, fileLabel: 'part-0000' });
    expect(b).toEqual(a);
    expect(generateOrders({ seed: 't', window, count: 50, fileLabel: 'part-0000' })).not.toEqual(a);
    const other = generateOrders({ seed: 's', window, count: 50, fileLabel: 'late-0001' });
    const ids = new Set(a.map((r) => r.order_id));
    expect(other.some((r) => ids.has(r.order_id))).toBe(false);
  });

  it('produces well-formed records inside the window', () => {
    const records = generateOrders({ seed: 42, window, count: 200, fileLabel: 'part-0000' });
    expect(records).toHaveLength(200);
    const start = windowStart(window);
    for (const r of records) {
      expect(Object.keys(r).sort()).toEqual(['amount', 'currency', 'customer_id', 'order_id', 'ts']);
      expect(r.order_id).toMatch(/^o-2024050110-part-0000-\d{4}$/);
      expect(r.customer_id).toMatch(/^c-\d{4}$/);
      expect(r.currency).toBe('USD');
      expect(String(r.amount)).toMatch(/^\d+(\.\d{1,2})?$/);
      expect(r.amount).toBeGreaterThanOrEqual(5);
      const ts = Date.parse(r.ts);
      expect(ts).toBeGreaterThanOrEqual(start);
      expect(ts).toBeLessThan(start + 3_600_000);
    }
  });

  it('includes upstream resends: a few exact duplicates, counted once by distinct orders and revenue', () => {
    const records = generateOrders({ seed: 'dups', window, count: 300, fileLabel: 'part-0000' });
    const stats = orderStats(records);
    expect(stats.record_count).toBe(300);
    expect(stats.distinct_orders).toBeLessThan(300);
    expect(stats.distinct_orders).toBeGreaterThan(250);
    const seen = new Map<string, number>();
    for (const r of records) if (!seen.has(r.order_id)) seen.set(r.order_id, Math.round(r.amount * 100));
    expect(stats.total_amount).toBe([...seen.values()].reduce((a, b) => a + b, 0) / 100);
  });

  it('round-trips through JSON Lines and describes a raw file', () => {
    const file = rawOrderFile({ seed: 1, window, count: 10, fileLabel: 'part-0000' });
    expect(file.key).toBe('raw/orders/dt=2024-05-01/hour=10/part-0000.jsonl');
    expect(file.body.endsWith('\n')).toBe(true);
    expect(file.body.trim().split('\n')).toHaveLength(10);
    expect(parseJsonLines(file.body)).toEqual(file.records);
    expect(toJsonLines([])).toBe('');
    expect(() => parseJsonLines('{"a":1}\nnot json\n')).toThrow(/line 2/);
  });

  it('refuses a negative count', () => {
    expect(() => generateOrders({ seed: 1, window, count: -1, fileLabel: 'x' })).toThrow(RangeError);
  });
});
