/**
 * Showing the target's time to the learner. On AWS, times are real UTC. The sandbox's clock runs
 * `timeScale` times faster than real time and keeps its time between runs, so its timestamps (S3,
 * Lambda, CloudWatch) run ahead of the learner's clock: a table's time column says "time" with a
 * line above it, "time: sandbox clock, 30× real speed" (a title that long would wrap in a narrow
 * terminal), and the learner is told why once per run, the first time a step shows such a time.
 */
import type { TargetClock, TargetKind } from '../cloud/types.js';
import type { StepOutput } from './model.js';

export interface TargetTime {
  /** `17:31:07`, UTC on the target's clock. */
  clockTime(targetMs: number): string;
  /** `2026-11-30 17:31 UTC`. */
  dateTime(targetMs: number): string;
  /** `17:31 sandbox time` or `17:31 UTC`: a moment named in a sentence or a title. */
  at(targetMs: number): string;
  /** Title of a time column, as short as the times under it: `time` (sandbox) or `UTC time`. */
  readonly columnTitle: string;
  /** The line a table with a time column shows above it (sandbox only): whose clock, how fast. */
  readonly columnNote: string | undefined;
  /** Say (once per run, sandbox only) why these times are not the learner's clock. */
  explainOnce(out: StepOutput): void;
}

const hms = (ms: number): string => new Date(ms).toISOString().slice(11, 19);
const ymdhm = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** `2 h 29 min`, `4 min`, `3 days 2 h`. */
export function describeOffset(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return `${days} day${days === 1 ? '' : 's'}${hours ? ` ${hours} h` : ''}`;
  if (hours > 0) return `${hours} h${mins ? ` ${mins} min` : ''}`;
  return `${mins} min`;
}

export function targetTime(
  kind: TargetKind,
  clock: TargetClock,
  realNow: () => number = () => Date.now(),
): TargetTime {
  const sandbox = kind === 'sandbox';
  let explained = false;
  return {
    clockTime: hms,
    dateTime: ymdhm,
    at: (ms) => `${hms(ms).slice(0, 5)} ${sandbox ? 'sandbox time' : 'UTC'}`,
    columnTitle: sandbox ? 'time' : 'UTC time',
    columnNote: sandbox
      ? `time: sandbox clock, ${clock.timeScale === 1 ? 'real speed' : `${clock.timeScale}× real speed`}`
      : undefined,
    explainOnce(out) {
      if (!sandbox || explained) return;
      explained = true;
      const now = clock.now();
      // The learner's own clock is used only to say how far apart the two are.
      const ahead = now - realNow();
      const gap =
        Math.abs(ahead) < 60_000
          ? 'about the same as yours right now'
          : `${describeOffset(ahead)} ${ahead > 0 ? 'ahead of' : 'behind'} yours`;
      const pace =
        clock.timeScale === 1
          ? 'runs at real speed'
          : `runs ${clock.timeScale}× faster than real time (a minute passes in ${formatSeconds(60 / clock.timeScale)})`;
      out.note(
        `Times here are sandbox time, not your clock's: the sandbox's clock ${pace} and keeps going ` +
          `between runs, so it reads ${ymdhm(now)}, ${gap}. S3, Lambda, EventBridge and CloudWatch all ` +
          'use it, so their timestamps agree with each other.',
      );
    },
  };
}

function formatSeconds(s: number): string {
  return s >= 1 ? `${Number(s.toFixed(1))} s` : `${Math.round(s * 1000)} ms`;
}
