/**
 * The AWS CLI v2 (`/usr/bin/aws`) pointed at a test sandbox. The CLI of Debian 12 predates
 * AWS_ENDPOINT_URL, so the endpoint goes on the command line. Tests call `requireTool(AWS_CLI, …)`
 * first, so a missing CLI fails with what to install.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { TestSandbox } from './sandbox.js';
import { AWS_CLI } from './tools.js';

const run = promisify(execFile);

export interface AwsCliResult {
  stdout: string;
  stderr: string;
  /** The exit code: 0 on success. */
  code: number;
}

/** The CLI failed; `stderr` carries its message (with the AWS error code in parentheses). */
export class AwsCliError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stdout: string,
    readonly stderr: string,
    readonly code: number,
  ) {
    super(`aws ${args.join(' ')} exited with ${code}: ${stderr.trim()}`);
    this.name = 'AwsCliError';
  }
}

/** Run the CLI against the sandbox; a failure is returned (non-zero `code`), not thrown. */
export async function awsCli(t: TestSandbox, args: readonly string[]): Promise<AwsCliResult> {
  try {
    const out = await run(AWS_CLI, ['--endpoint-url', t.sandbox.endpoint, ...args], {
      env: t.cliEnv,
      timeout: 60_000,
    });
    return { ...out, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: unknown };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

/** Run the CLI with `--output json` and parse what it prints (`{}` for nothing); throws AwsCliError on failure. */
export async function awsCliJson(t: TestSandbox, args: readonly string[]): Promise<Record<string, unknown>> {
  const out = await awsCli(t, ['--output', 'json', ...args]);
  if (out.code !== 0) throw new AwsCliError(args, out.stdout, out.stderr, out.code);
  return out.stdout.trim() ? (JSON.parse(out.stdout) as Record<string, unknown>) : {};
}
