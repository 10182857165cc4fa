/**
 * Lambda execution environments are child processes; none may outlive the process that started
 * them, however it ends. Each child leads its own process group (so whatever a handler spawns goes
 * with it), and two things kill those groups:
 * - this process's 'exit' event: every exit Node sees, including `process.exit` after a second
 *   Ctrl-C, which skips every orderly stop;
 * - a watchdog for the exits Node never sees (SIGKILL, a signal nobody handles): one small
 *   /bin/sh process per sandbox process, told each child's pid over a pipe. When this process
 *   dies the kernel closes the pipe; the watchdog reads end-of-file and kills every group still
 *   listed. A child cannot watch for this itself: a handler in a busy loop never runs the code
 *   that would notice (and a thread per environment to do it costs a third of a cold start).
 */
import { spawn, type ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
let watchdog: ChildProcess | undefined;
let watchdogFailed = false;

/**
 * Reads "+pid" / "-pid" lines; at end of input kills the process group (else the process) of every
 * pid still listed. Signals sent to a terminal's foreground group do not reach it (own session),
 * and it ignores the usual stop signals: only the end of its input ends it.
 */
const WATCHDOG_SCRIPT = `trap '' INT HUP TERM QUIT
pids=''
while IFS= read -r line; do
  case "$line" in
    +*) pids="$pids \${line#+}" ;;
    -*) keep=''; for p in $pids; do [ "$p" = "\${line#-}" ] || keep="$keep $p"; done; pids=$keep ;;
  esac
done
for p in $pids; do kill -9 "-$p" 2>/dev/null || kill -9 "$p" 2>/dev/null; done`;

function tellWatchdog(line: string): void {
  if (process.platform === 'win32' || watchdogFailed) return;
  if (!watchdog) {
    try {
      watchdog = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT], {
        stdio: ['pipe', 'ignore', 'ignore'],
        detached: true,
      });
    } catch {
      watchdogFailed = true;
      return;
    }
    watchdog.on('error', () => {
      watchdogFailed = true;
    });
    watchdog.stdin!.on('error', () => undefined); // a watchdog that died: the exit hook remains
    // Neither keeps this process alive.
    watchdog.unref();
    (watchdog.stdin as unknown as { unref(): void }).unref();
  }
  watchdog.stdin!.write(`${line}\n`);
}

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

/** Remember `child` until it exits, so this process's end takes it down too. */
export function trackChild(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) return; // it never started
  live.add(child);
  tellWatchdog(`+${pid}`);
  child.once('exit', () => {
    live.delete(child);
    tellWatchdog(`-${pid}`);
  });
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // 'exit' handlers must be synchronous: process.kill is.
    process.on('exit', () => {
      for (const c of live) killProcessTree(c);
      live.clear();
    });
  }
}
