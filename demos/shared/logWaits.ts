/**
 * Waiting for log lines: CloudWatch Logs ingestion lags the work that writes them (seconds on
 * AWS), so a step that wants to show a run's lines reads until they are there — bounded, in
 * target time, stoppable with Ctrl-C.
 */
import type { LogLine } from './logEvents.js';
import { waitInTargetTime, type WaitContext } from './targetWait.js';

/** CloudWatch Logs ingestion takes seconds on AWS; a minute is generous. */
export const LOG_DELIVERY_TIMEOUT_MS = 60_000;
const DEFAULT_POLL_MS = 5_000;

export interface LogWaitOptions {
  /** On timeout return what is there instead of failing (for display only). */
  soft?: boolean;
  timeoutMs?: number;
  pollMs?: number;
}

/** Read (with `read`) until the lines satisfy `ready`, and return them. */
export async function waitForLines(
  ctx: WaitContext,
  read: () => Promise<LogLine[]>,
  label: string,
  ready: (lines: LogLine[]) => boolean,
  opts: LogWaitOptions = {},
): Promise<LogLine[]> {
  let last: LogLine[] = [];
  try {
    return await waitInTargetTime(ctx, {
      label,
      timeoutMs: opts.timeoutMs ?? LOG_DELIVERY_TIMEOUT_MS,
      timeoutMessage: `${label}: the log lines did not arrive`,
      pollMs: opts.pollMs ?? DEFAULT_POLL_MS,
      probe: async () => {
        last = await read();
        return ready(last) ? last : undefined;
      },
    });
  } catch (err) {
    if (opts.soft && (err as Error).name === 'WaitTimeoutError') return last;
    throw err;
  }
}
