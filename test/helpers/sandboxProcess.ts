/**
 * Test helper: a real `course-cli sandbox start --debug` process, for tests where an uncaught
 * error must be seen to kill (or not kill) the sandbox, and whose log (stderr) they read.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, ROOT, ensureBuilt } from '../cli/builtCli.js';

export interface SandboxProcess {
  child: ChildProcess;
  config: {
    region: string;
    endpoint: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
    maxAttempts: number;
  };
  /** Everything the sandbox logged so far. */
  log(): string;
}

export async function startSandboxProcess(home: string): Promise<SandboxProcess> {
  ensureBuilt();
  const child = spawn(
    process.execPath,
    [BIN, '--debug', '--home', home, 'sandbox', 'start', '--port', '0', '--time-scale', '600'],
    { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const deadline = Date.now() + 30_000;
  while (!/AWS_SECRET_ACCESS_KEY=\S+/.test(stdout)) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`sandbox did not start: ${stdout}${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    config: {
      region: 'us-east-1',
      endpoint: /Sandbox running at (\S+)/.exec(stdout)![1]!,
      credentials: {
        accessKeyId: /AWS_ACCESS_KEY_ID=(\S+)/.exec(stdout)![1]!,
        secretAccessKey: /AWS_SECRET_ACCESS_KEY=(\S+)/.exec(stdout)![1]!,
      },
      maxAttempts: 1,
    },
    log: () => stderr,
  };
}

/** Stop the process as Ctrl-C would; resolves with its exit code. */
export async function stopSandboxProcess(sb: SandboxProcess): Promise<number | null> {
  if (sb.child.exitCode !== null) return sb.child.exitCode;
  const exited = new Promise<number | null>((resolve) => sb.child.once('exit', (code) => resolve(code)));
  sb.child.kill('SIGINT');
  return exited;
}
