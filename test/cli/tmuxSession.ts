/**
 * Test helper: drive the built CLI in a real pseudo-terminal (tmux) and read the screen.
 * Each instance has its own tmux server socket, so test files running in parallel never meet.
 */
import { execFileSync } from 'node:child_process';
import { BIN } from './builtCli.js';
import { TMUX, requireTool } from '../helpers/tools.js';

/** No AWS credentials anywhere, so "Where should the demo run?" offers only the sandbox, quickly. */
export const NO_AWS_ENV = [
  'AWS_CONFIG_FILE=/nonexistent',
  'AWS_SHARED_CREDENTIALS_FILE=/nonexistent',
  'AWS_EC2_METADATA_DISABLED=true',
  'AWS_ACCESS_KEY_ID=',
  'AWS_SECRET_ACCESS_KEY=',
  'AWS_PROFILE=',
];

export const count = (text: string, needle: string): number => text.split(needle).length - 1;
/** inquirer marks answered questions with ✔ and the active one's cursor with ❯. */
export const answered = (text: string, message: string): number => count(text, `✔ ${message}`);

export class TmuxSession {
  private readonly socket = `course-cli-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private readonly name = 'run';
  private started = false;

  constructor() {
    requireTool(TMUX, 'tmux');
  }

  tmux(...args: string[]): string {
    return execFileSync(TMUX, ['-L', this.socket, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** Start `course-cli <args>` in a fresh window (150×45 unless given); the shell then prints `EXIT=<code>`. */
  launch(args: string[], env: string[] = [], size: { columns?: number; rows?: number } = {}): void {
    if (!this.started) {
      // exit-empty off: killing the last window must not take the server down while the next
      // launch is connecting to it (a race that made new-session fail now and then).
      this.tmux(
        '-f',
        '/dev/null',
        'start-server',
        ';',
        'set-option',
        '-g',
        'history-limit',
        '100000',
        ';',
        'set-option',
        '-g',
        'exit-empty',
        'off',
      );
      this.started = true;
    }
    this.endWindow(); // one left over by a failed test
    const command = `env ${[...NO_AWS_ENV, ...env].join(' ')} ${process.execPath} ${BIN} ${args.join(' ')}; echo "EXIT=$?"; sleep 600`;
    const [x, y] = [String(size.columns ?? 150), String(size.rows ?? 45)];
    this.tmux('new-session', '-d', '-s', this.name, '-x', x, '-y', y, command);
  }

  /** Resize the window, as a learner dragging the terminal's edge. */
  resize(columns: number, rows: number): void {
    this.tmux('resize-window', '-t', this.name, '-x', String(columns), '-y', String(rows));
  }

  /** What is on screen now (not the scrollback), wrapped lines joined. */
  visible(): string {
    return this.tmux('capture-pane', '-p', '-J', '-t', this.name);
  }

  /** The whole scrollback, wrapped lines joined; `escapes` keeps colour and attribute sequences. */
  screen(escapes = false): string {
    return this.tmux('capture-pane', '-p', '-J', ...(escapes ? ['-e'] : []), '-S', '-', '-t', this.name);
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.name, ...keys);
  }

  async waitFor(what: (text: string) => boolean, label: string, timeoutMs = 90_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const text = this.screen();
      if (what(text)) return text;
      if (Date.now() > until)
        throw new Error(`timed out waiting for ${label}; screen:\n${text.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  /** Wait for the n-th occurrence of a question to be active, press keys, and wait until it is answered. */
  async answer(message: string, nth: number, keys: string[]): Promise<void> {
    await this.waitFor(
      (t) => answered(t, message) === nth - 1 && count(t, message) >= nth,
      `"${message}" #${nth}`,
    );
    await this.waitFor(
      (t) => /❯|\(Y\/n\)|\(y\/N\)/.test(t.split(message).at(-1) ?? ''),
      `"${message}" #${nth} active`,
    );
    this.keys(...keys);
    await this.waitFor((t) => answered(t, message) >= nth, `"${message}" #${nth} answered`);
  }

  /** Wait for the command to end; the screen and its exit code. */
  async exited(label: string, timeoutMs = 90_000): Promise<{ text: string; code: number }> {
    const text = await this.waitFor((t) => /EXIT=\d+/.test(t), label, timeoutMs);
    return { text, code: Number(/EXIT=(\d+)/.exec(text)![1]) };
  }

  endWindow(): void {
    try {
      this.tmux('kill-session', '-t', this.name);
    } catch {
      // no such session
    }
  }

  close(): void {
    if (!this.started) return;
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }
}
