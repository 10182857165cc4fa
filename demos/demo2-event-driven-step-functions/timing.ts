/**
 * Durations as the learner should read them. They are measured on the target's clock; the sandbox's
 * clock may run faster than the wall clock (its time-scale), so there both are given.
 */
import type { TargetClock } from '../../src/cloud/types.js';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** `1.6 s`, or on a scaled clock `48.0 s of target time (×30: 1.6 s of real time)`. */
export function describeElapsed(
  targetMs: number,
  clock: Pick<TargetClock, 'timeScale' | 'toRealMs'>,
): string {
  if (clock.timeScale === 1) return seconds(targetMs);
  return `${seconds(targetMs)} of target time (×${clock.timeScale}: ${seconds(clock.toRealMs(targetMs))} of real time)`;
}
