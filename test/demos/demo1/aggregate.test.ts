import { describe, expect, it } from 'vitest';
import {
  InvalidEventError,
  aggregateOrderFiles,
  buildSummary,
  curatedKey,
  rawPrefix,
  windowForEvent,
} from '../../../demos/demo1-scheduler-lambda/lambda/aggregate.mjs';
import * as shared from '../../../demos/shared/hourWindows.js';
import { rawOrderFile } from '../../../demos/shared/orders.js';

const window = { dt: '2024-05-01', hour: '10' };

describe('hourly-aggregate: which window', () => {
  it('a scheduled event means the hour before the event time, not the machine clock', () => {
    const event = { 'detail-type': 'Scheduled Event', source: 'aws.events', time: '2024-05-01T11:00:37Z' };
    expect(windowForEvent(event)).toEqual({
      window,
      trigger: 'schedule',
      eventTime: '2024-05-01T11:00:37.000Z',
    });
    expect(windowForEvent({ time: '2024-01-01T00:10:00Z' }).window).toEqual({ dt: '2023-12-31', hour: '23' });
  });

  it('an explicit window is a backfill, whatever the time', () => {
    expect(windowForEvent({ window: { dt: '2024-05-01', hour: 7 } })).toEqual({
      window: { dt: '2024-05-01', hour: '07' },
      trigger: 'backfill',
      eventTime: undefined,
    });
  });

  it('rejects anything else with a named error', () => {
    for (const bad of [
      {},
      null,
      { time: 'yesterday' },
      { window: { dt: '2024-5-1', hour: '1' } },
      { window: { dt: '2024-05-01', hour: '24' } },
    ]) {
      expect(() => windowForEvent(bad)).toThrow(InvalidEventError);
    }
  });

  it('uses the same layout as the course', () => {
    expect(rawPrefix(window)).toBe(shared.rawPrefix(window));
    expect(curatedKey(window)).toBe(shared.curatedKey(window));
  });
});

describe('hourly-aggregate: aggregation', () => {
  it('counts records, distinct orders and revenue over distinct orders, across files', () => {
    const a = rawOrderFile({ seed: 'agg', window, count: 120, fileLabel: 'part-0000' });
    const b = rawOrderFile({ seed: 'agg', window, count: 30, fileLabel: 'late-0001' });
    const stats = aggregateOrderFiles([
      { key: a.key, text: a.body },
      { key: b.key, text: b.body },
    ]);
    expect(stats.record_count).toBe(150);
    expect(stats.distinct_orders).toBe(a.stats.distinct_orders + b.stats.distinct_orders);
    expect(stats.total_amount).toBeCloseTo(a.stats.total_amount + b.stats.total_amount, 2);
    expect(stats.source_files).toEqual([a.key, b.key]);
  });

  it('an empty window is zero everywhere', () => {
    expect(aggregateOrderFiles([])).toEqual({
      record_count: 0,
      distinct_orders: 0,
      total_amount: 0,
      source_files: [],
    });
  });

  it('names the file and line of malformed input', () => {
    expect(() =>
      aggregateOrderFiles([{ key: 'raw/x.jsonl', text: '{"order_id":"a","amount":1}\n{oops\n' }]),
    ).toThrow('raw/x.jsonl line 2 is not JSON');
  });

  it('builds the summary document', () => {
    const s = buildSummary({
      window,
      stats: { record_count: 2, distinct_orders: 1, total_amount: 3.5, source_files: ['k'] },
      trigger: 'schedule',
      eventTime: '2024-05-01T11:00:00.000Z',
      processedAt: '2024-05-01T11:00:01.000Z',
      requestId: 'r-1',
    });
    expect(s).toEqual({
      window: {
        dt: '2024-05-01',
        hour: '10',
        start: '2024-05-01T10:00:00.000Z',
        end: '2024-05-01T11:00:00.000Z',
      },
      record_count: 2,
      distinct_orders: 1,
      total_amount: 3.5,
      source_files: ['k'],
      processed_at: '2024-05-01T11:00:01.000Z',
      trigger: { type: 'schedule', event_time: '2024-05-01T11:00:00.000Z', request_id: 'r-1' },
    });
  });
});
