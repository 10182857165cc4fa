/**
 * Waiting for CloudWatch metrics: on AWS they are published 1–3 minutes after the fact, so reads
 * that expect new data wait for it (bounded, in target time) and report plainly when it has not
 * arrived; checks on counts that may lag fail only once the data is known to be published.
 */
import type { CheckResult } from '../../src/course/model.js';
import { describeReading, publishedThrough, type MetricReading } from './metrics.js';
import { formatDuration, waitInTargetTime, type WaitContext } from './targetWait.js';
import { expectThat } from './checks.js';

/** Lambda and EventBridge metrics usually appear within 1–3 minutes; give them a little more. */
export const METRICS_WAIT_TIMEOUT_MS = 4 * 60_000;
const METRICS_POLL_MS = 15_000;

export interface MetricWait<R> {
  reading: R;
  /** False when the wait ran out before `ready` held: CloudWatch had not published it yet. */
  arrived: boolean;
  waitedMs: number;
}

/**
 * Read until `ready` holds, at most METRICS_WAIT_TIMEOUT_MS of target time (a countdown is shown).
 * Running out is an answer, not an error; Ctrl-C still stops the wait.
 */
export async function waitForMetrics<R>(
  ctx: WaitContext,
  label: string,
  read: () => Promise<R>,
  ready: (r: R) => boolean,
  progress: (r: R) => string,
): Promise<MetricWait<R>> {
  const started = ctx.clock.now();
  let last = await read();
  if (ready(last)) return { reading: last, arrived: true, waitedMs: 0 };
  try {
    last = await waitInTargetTime(ctx, {
      label,
      timeoutMs: METRICS_WAIT_TIMEOUT_MS,
      timeoutMessage: `${label}: not published yet`,
      pollMs: METRICS_POLL_MS,
      status: (elapsed) =>
        `${progress(last)}; CloudWatch publishes 1–3 min after the fact, giving up in ` +
        `${formatDuration(METRICS_WAIT_TIMEOUT_MS - elapsed)}`,
      probe: async () => {
        last = await read();
        return ready(last) ? last : undefined;
      },
    });
    return { reading: last, arrived: true, waitedMs: ctx.clock.now() - started };
  } catch (err) {
    if ((err as Error).name !== 'WaitTimeoutError') throw err;
    return { reading: last, arrived: false, waitedMs: ctx.clock.now() - started };
  }
}

export const NOT_PUBLISHED = 'not published yet (CloudWatch delay)';

/**
 * "count ≥ expected" for a metric that may lag: fails only when CloudWatch has published data
 * through the minute of `lastEventAt` and it still counts fewer.
 */
export function atLeastCheck(
  label: string,
  reading: MetricReading,
  expected: number,
  lastEventAt: number,
  what: string,
): CheckResult {
  const published = publishedThrough(reading, lastEventAt);
  return expectThat(
    label,
    reading.total >= expected || !published,
    `≥ ${expected} (${what})`,
    reading.total >= expected || published
      ? describeReading(reading)
      : `${describeReading(reading)} so far — ${NOT_PUBLISHED}`,
  );
}

/** What the "looks" column says about a count that should keep up with `expected`. */
export function looksCounted(reading: MetricReading, expected: number, arrived: boolean): string {
  if (reading.total >= expected) return 'healthy';
  return arrived ? 'LOW' : NOT_PUBLISHED;
}

/** What the "looks" column says about a failure count. */
export const looksFailures = (reading: MetricReading): string =>
  (reading.max ?? 0) > 0 ? 'FAILING' : 'healthy';
