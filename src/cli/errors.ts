/**
 * How the command line fails: one line on stderr saying what was wrong and what to do, exit 2 for
 * usage mistakes and 1 for runtime problems, a stack trace only with --debug. This module imports
 * nothing heavy: errors from lower layers are recognised by name.
 */
import { withCliCommand } from './invocation.js';

/** The command line was used wrongly (unknown demo, bad flag value, phases out of order…). Exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Something went wrong at run time that the user can act on. Exit 1. */
export class CliRuntimeError extends Error {
  override readonly name = 'CliRuntimeError';
}

export const EXIT_OK = 0;
export const EXIT_RUNTIME = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

/** Errors from lower layers whose message is already one actionable line. */
const KNOWN_RUNTIME = new Set([
  'CliRuntimeError',
  'CorruptProgressError',
  'CorruptLedgerError',
  'CorruptStateError',
  'NoCredentialsError',
  'CredentialsError',
  'TargetUnreachableError',
  'ResourceConflictError',
  'InvalidResourceNameError',
  'IamPropagationTimeoutError',
  'ServiceBusyError',
  'ResourceCreateError',
  'PortInUseError',
  'SandboxAlreadyRunningError',
  'LedgerBusyError',
  'HomeUnusableError',
]);
/** Lower-layer errors that mean the command line asked for something impossible. */
const KNOWN_USAGE = new Set([
  'UsageError',
  'InvalidTargetError',
  'FaultProfileError',
  'PhasePrerequisiteError',
]);

export interface ReportedError {
  exitCode: number;
  line: string;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

export function describeError(err: unknown): ReportedError {
  const e = err instanceof Error ? err : new Error(String(err));
  if (e.name === 'ExitPromptError' || e.name === 'PromptInterruptedError') {
    return { exitCode: EXIT_INTERRUPTED, line: 'Interrupted.' };
  }
  if (KNOWN_USAGE.has(e.name)) return { exitCode: EXIT_USAGE, line: `error: ${oneLine(e.message)}` };
  if (KNOWN_RUNTIME.has(e.name)) return { exitCode: EXIT_RUNTIME, line: `error: ${oneLine(e.message)}` };
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOTDIR') {
    return {
      exitCode: EXIT_RUNTIME,
      line: `error: ${oneLine(e.message)}; choose a writable home with --home DIR or COURSE_CLI_HOME.`,
    };
  }
  const name = e.name && e.name !== 'Error' ? `${e.name}: ` : '';
  return {
    exitCode: EXIT_RUNTIME,
    line: `error: ${name}${oneLine(e.message) || 'unexpected failure'} (run again with --debug for details)`,
  };
}

/** Print the error (one line, or the stack with --debug) and return the exit code. */
export function reportError(err: unknown, debug: boolean): number {
  const { exitCode, line } = describeError(err);
  process.stderr.write(`${withCliCommand(line)}\n`);
  if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  return exitCode;
}
