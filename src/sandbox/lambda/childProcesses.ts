/**
 * Lambda execution environments are child processes; none may outlive the process that started
 * them. Each child leads its own process group (so whatever a handler spawns goes with it) and is
 * killed with that group when this process exits through Node — including `process.exit` after a
 * second Ctrl-C, which skips every orderly stop. Exits Node never sees (SIGKILL, a signal with no
 * handler) are covered from the other side: each child watches for its parent's death
 * (`runtime/bootstrap.mjs`).
 */
import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kill `child` and its process group at once. */
export function killProcessTree(child: ChildProcess): void {
  if (child.pid !== undefined) {
    try {
      process.kill(-child.pid, 'SIGKILL');
      return;
    } catch {
      // not a group leader (or the platform has no process groups): kill the child alone
    }
  }
  try {
    child.kill('SIGKILL');
  } catch {
    // already gone
  }
}

/** Remember `child` until it exits, so this process's exit takes it down too. */
export function trackChild(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // 'exit' handlers must be synchronous: process.kill is.
    process.on('exit', () => {
      for (const c of live) killProcessTree(c);
      live.clear();
    });
  }
}
