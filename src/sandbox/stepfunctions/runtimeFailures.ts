/**
 * Failures of the States Language machinery itself (a path with no value, a ResultPath that cannot
 * be applied, an intrinsic function on bad input, a payload over the size limit), named and worded
 * as AWS reports them. `States.Runtime` and `States.DataLimitExceeded` are terminal: no Retry or
 * Catch matches them, not even `States.ALL` (AWS's error-handling guide). A `States.Runtime` cause
 * starts with the state and the id of its entered event, as AWS's does.
 *
 * AWS's causes used here were taken from AWS's own execution histories: "The JSONPath '…' specified
 * for the field '…' could not be found in the input '…'", "Invalid path '…' : No results for path:
 * …", "Unable to apply ReferencePath … to input …", "Invalid path '…': The choice state's condition
 * path references an invalid value." and "…returned a result with a size exceeding the maximum
 * number of bytes service limit.". AWS documents no wording for a failing intrinsic function; that
 * cause repeats the function's own complaint. AWS's error name for those is also undocumented in
 * practice (its guide lists States.IntrinsicFailure, its histories show path failures in templates
 * as States.Runtime); the sandbox reports them as States.Runtime, like the other template failures.
 */
import { authorPath } from './contextPaths.js';
import type { Json } from './definition.js';
import { StateFailure } from './stateFailure.js';

export type RuntimeErrorName = 'States.Runtime' | 'States.DataLimitExceeded';

/** Error names no retrier or catcher matches. */
export const TERMINAL_ERRORS: ReadonlySet<string> = new Set(['States.Runtime', 'States.DataLimitExceeded']);

/** AWS's payload quota for a state's input, output or result: 256 KiB of UTF-8. */
export const MAX_PAYLOAD_BYTES = 262_144;

export class RuntimeFailure extends StateFailure {
  constructor(
    error: RuntimeErrorName,
    readonly detail: string,
    readonly located = false,
  ) {
    super(error, detail);
  }

  /** The failure with AWS's prefix naming the state it happened in (once, innermost state wins). */
  locate(stateName: string, enteredEventId: number): RuntimeFailure {
    if (this.located || this.error !== 'States.Runtime') return this;
    return new RuntimeFailure(
      'States.Runtime',
      `An error occurred while executing the state '${stateName}' (entered at the event id #${enteredEventId}). ${this.detail}`,
      true,
    );
  }
}

/** A dot/bracket path in the bracket notation AWS's path engine reports (`$['a']['b'][0]`). */
export function bracketPath(path: string): string {
  const p = authorPath(path);
  const m = /^(\$\$?)((?:\.[A-Za-z_][\w-]*|\[\d+\]|\['[^']*'\])*)$/.exec(p);
  if (!m) return p;
  const parts = [...m[2]!.matchAll(/\.([A-Za-z_][\w-]*)|\[(\d+)\]|\['([^']*)'\]/g)].map((x) =>
    x[2] !== undefined ? `[${x[2]}]` : `['${x[1] ?? x[3]}']`,
  );
  return `${m[1]}${parts.join('')}`;
}

export const RuntimeCauses = {
  templatePath: (path: string, field: string, input: Json): RuntimeFailure =>
    new RuntimeFailure(
      'States.Runtime',
      `The JSONPath '${authorPath(path)}' specified for the field '${field}' could not be found in the input '${JSON.stringify(input)}'`,
    ),
  invalidPath: (path: string): RuntimeFailure =>
    new RuntimeFailure(
      'States.Runtime',
      `Invalid path '${authorPath(path)}' : No results for path: ${bracketPath(path)}`,
    ),
  choicePath: (path: string): RuntimeFailure =>
    new RuntimeFailure(
      'States.Runtime',
      `Invalid path '${authorPath(path)}': The choice state's condition path references an invalid value.`,
    ),
  resultPath: (resultPath: string, rawInput: Json): RuntimeFailure =>
    new RuntimeFailure(
      'States.Runtime',
      `Unable to apply ReferencePath ${resultPath} to input ${JSON.stringify(JSON.stringify(rawInput))}`,
    ),
  intrinsic: (message: string): RuntimeFailure =>
    new RuntimeFailure(
      'States.Runtime',
      message.startsWith('Intrinsic function')
        ? authorPath(message)
        : `An intrinsic function failed: ${authorPath(message)}`,
    ),
  other: (message: string): RuntimeFailure => new RuntimeFailure('States.Runtime', authorPath(message)),
};

/** Throw AWS's DataLimitExceeded when a payload (as JSON text) is over the quota; `who` is the state or task resource. */
export function checkPayloadSize(text: string, who: string): void {
  // Characters never exceed UTF-8 bytes, so only a long text needs counting.
  if (text.length > MAX_PAYLOAD_BYTES / 4 && Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) {
    throw new RuntimeFailure(
      'States.DataLimitExceeded',
      `The state/task '${who}' returned a result with a size exceeding the maximum number of bytes service limit.`,
    );
  }
}
