/**
 * Documents that change with nearly every request (log events, metric data) are written behind an
 * interval, not on every tick: a burst rewrites them once, not once per change — and a stop still
 * writes everything. (Before, a 720-partition reconciliation rewrote its log documents so often that
 * it wrote 565 MB to store 3 MB.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { setImmediate as nextTick } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { StateStore } from '../../../src/sandbox/store.js';
import { makeTempDir, startTestSandbox } from '../../helpers/sandbox.js';

/** Files atomically written (renamed into place) under `dir`, by path relative to it. */
function countWrites(dir: string) {
  const spy = vi.spyOn(fs, 'renameSync');
  const count = (pattern: RegExp) =>
    spy.mock.calls.filter(([, to]) => pattern.test(path.relative(dir, String(to)))).length;
  return { count, restore: () => spy.mockRestore() };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('StateStore write-behind', () => {
  it('writes a write-behind document once for a burst of changes, and an ordinary one per tick', async () => {
    const dir = makeTempDir('course-store-wb-');
    const store = new StateStore(dir);
    const writes = countWrites(dir);
    const busy = store.doc('busy.json', () => ({ n: 0 }), { writeBehindMs: 60_000 });
    const plain = store.doc('plain.json', () => ({ n: 0 }));
    for (let i = 0; i < 20; i++) {
      busy.data.n++;
      busy.changed();
      plain.data.n++;
      plain.changed();
      await nextTick();
      await nextTick();
    }
    expect(writes.count(/^plain\.json$/)).toBe(20);
    // Still inside its interval: not written yet.
    expect(writes.count(/^busy\.json$/)).toBe(0);
    store.flushAll();
    expect(writes.count(/^busy\.json$/)).toBe(1);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'busy.json'), 'utf8'))).toEqual({ n: 20 });
    // Nothing is left waiting: flushing again writes nothing.
    store.flushAll();
    expect(writes.count(/^busy\.json$/)).toBe(1);
  });

  it('writes a write-behind document when its interval ends, without a stop', async () => {
    const dir = makeTempDir('course-store-wb-');
    const store = new StateStore(dir);
    const doc = store.doc('soon.json', () => ({ v: 'a' }), { writeBehindMs: 20 });
    doc.data.v = 'b';
    doc.changed();
    for (let i = 0; i < 200 && !fs.existsSync(path.join(dir, 'soon.json')); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'soon.json'), 'utf8'))).toEqual({ v: 'b' });
  });
});

describe('CloudWatch Logs events are written behind', () => {
  it('a burst of PutLogEvents rewrites the events document a few times, and a restart has every event', async () => {
    const t = await startTestSandbox();
    try {
      const logs = new CloudWatchLogsClient(t.clientConfig);
      await logs.send(new CreateLogGroupCommand({ logGroupName: 'burst' }));
      await logs.send(new CreateLogStreamCommand({ logGroupName: 'burst', logStreamName: 's' }));
      const writes = countWrites(t.stateDir);
      const started = Date.now();
      for (let i = 0; i < 30; i++) {
        await logs.send(
          new PutLogEventsCommand({
            logGroupName: 'burst',
            logStreamName: 's',
            logEvents: [{ timestamp: t.sandbox.clock.now(), message: `event ${i}` }],
          }),
        );
      }
      const seconds = (Date.now() - started) / 1000;
      // At most one write per second of the burst (plus the one in flight), never one per request.
      expect(writes.count(/^logs\/events\//)).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
      expect(writes.count(/^logs\/events\//)).toBeLessThan(30);
      writes.restore();
      await t.restart();
      const got = await new CloudWatchLogsClient(t.clientConfig).send(
        new GetLogEventsCommand({ logGroupName: 'burst', logStreamName: 's', startFromHead: true }),
      );
      expect(got.events?.map((e) => e.message)).toEqual(Array.from({ length: 30 }, (_, i) => `event ${i}`));
    } finally {
      await t.stop();
    }
  }, 60_000);
});
