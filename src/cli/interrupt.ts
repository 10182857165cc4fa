/**
 * Ctrl-C during a run: the first press aborts the step in flight (the runner then saves progress
 * and says how to resume); a second press exits at once — progress of finished steps is already on
 * disk.
 */
export interface InterruptGuard {
  signal: AbortSignal;
  dispose(): void;
}

export function guardInterrupts(onFirst: () => void = () => undefined): InterruptGuard {
  const controller = new AbortController();
  const handler = (): void => {
    if (controller.signal.aborted) {
      process.stderr.write('\nInterrupted again: exiting now.\n');
      process.exit(130);
    }
    onFirst();
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
