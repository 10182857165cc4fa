/**
 * Work the sandbox starts and does not wait for (an async invocation, a retry, a rule's delivery,
 * a running execution). Whatever a hostile request makes such work throw is caught here and
 * written to the sandbox log: the process never dies of an unhandled rejection.
 */
export type SandboxLog = (line: string) => void;

function describeError(err: unknown): string {
  return err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
}

/** Run `task` without waiting for it; a throw or rejection is logged as `<what> failed: …`. */
export function runInBackground(what: string, task: () => unknown, log: SandboxLog): void {
  const report = (err: unknown): void => {
    try {
      log(`${what} failed: ${describeError(err)}`);
    } catch {
      // A log that cannot be written must not take the process down either.
    }
  };
  try {
    const result = task();
    if (result instanceof Promise) result.catch(report);
  } catch (err) {
    report(err);
  }
}
