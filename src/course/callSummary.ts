/**
 * How recorded SDK calls are shown: a one-line summary after each step ("3 calls: s3:CreateBucket,
 * iam:CreateRole ×2") and the detailed list with AWS CLI v2 equivalents for "show details".
 * A lookup answered "not found" (a Get/Head/Describe/List of something that does not exist yet)
 * is an answer, not an error, and is counted as such; the same request repeated while waiting for
 * something is shown once, with its count.
 */
import { isNotFound } from '../cloud/awsErrors.js';
import { cliServiceName } from '../cloud/cliEquivalent.js';
import type { CallLog, RecordedCall } from '../cloud/types.js';
import { NO_BREAK } from './layout/wrap.js';

/** The AWS CLI's service names, except S3: `s3:PutObject` reads better than the CLI's `s3api:PutObject`. */
function serviceName(sdkServiceId: string): string {
  if (sdkServiceId === 'S3') return 's3';
  return cliServiceName(sdkServiceId) ?? sdkServiceId.toLowerCase().replace(/\s+/g, '-');
}

export function callName(call: RecordedCall): string {
  const service = serviceName(call.service);
  return `${service}:${call.operation}`;
}

const LOOKUP = /^(Get|Head|Describe|List)/;

/** A lookup that found nothing: the answer the caller asked for, not a failure. */
export function isNotFoundAnswer(call: RecordedCall): boolean {
  return call.outcome === 'error' && isNotFound({ name: call.errorName }) && LOOKUP.test(call.operation);
}

export function summarizeCalls(calls: RecordedCall[]): string {
  if (calls.length === 0) return 'no AWS calls';
  const counts = new Map<string, number>();
  for (const c of calls) counts.set(callName(c), (counts.get(callName(c)) ?? 0) + 1);
  // Each entry stays on one line when the summary is wrapped.
  const names = [...counts].map(([name, n]) => (n > 1 ? `${name}${NO_BREAK}×${n}` : name));
  const notFound = calls.filter(isNotFoundAnswer).length;
  const errors = calls.filter((c) => c.outcome === 'error').length - notFound;
  const shown =
    names.length > 8 ? [...names.slice(0, 8), `…${NO_BREAK}${names.length - 8}${NO_BREAK}more`] : names;
  const notes = [
    ...(notFound > 0 ? [`${notFound} expected not-found`] : []),
    ...(errors > 0 ? [`${errors} returned an error`] : []),
  ];
  const tail = notes.length ? ` (${notes.join(', ')})` : '';
  return `${calls.length} call${calls.length === 1 ? '' : 's'}: ${shown.join(', ')}${tail}`;
}

export interface CallDetail {
  name: string;
  /** How many identical requests in a row this line stands for. */
  count: number;
  outcome: string;
  cli: string;
}

function outcomeOf(c: RecordedCall): string {
  if (c.outcome === 'ok') return 'ok';
  if (isNotFoundAnswer(c)) return `not found (${c.errorName})`;
  return `${c.errorName ?? 'error'}: ${c.errorMessage ?? ''}`.trim();
}

/** `60 × not found (NoSuchKey), then ok`. */
function describeRun(run: RecordedCall[]): string {
  const parts: Array<{ text: string; n: number }> = [];
  for (const c of run) {
    const text = outcomeOf(c);
    const last = parts.at(-1);
    if (last && last.text === text) last.n++;
    else parts.push({ text, n: 1 });
  }
  return parts.map((p) => (p.n > 1 ? `${p.n} × ${p.text}` : p.text)).join(', then ');
}

const sameRequest = (a: RecordedCall, b: RecordedCall): boolean =>
  a.service === b.service &&
  a.operation === b.operation &&
  JSON.stringify(a.input) === JSON.stringify(b.input);

/** One entry per call, identical consecutive requests (a wait polling) merged into one with a count. */
export function callDetails(calls: RecordedCall[], log: CallLog): CallDetail[] {
  const runs: RecordedCall[][] = [];
  for (const c of calls) {
    const run = runs.at(-1);
    if (run && sameRequest(run[0]!, c)) run.push(c);
    else runs.push([c]);
  }
  return runs.map((run) => {
    const first = run[0]!;
    if (run.length === 1) {
      const outcome = first.outcome === 'ok' ? `ok in ${Math.round(first.durationMs)} ms` : outcomeOf(first);
      return { name: callName(first), count: 1, outcome, cli: log.toCli(first) };
    }
    return {
      name: `${callName(first)} ×${run.length}`,
      count: run.length,
      outcome: `the same request repeated while waiting: ${describeRun(run)}`,
      cli: log.toCli(first),
    };
  });
}

/** The words of a command line as a POSIX shell splits it (single-quoted words kept whole). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let quoted = false;
  let inWord = false;
  for (const ch of line) {
    if (quoted) {
      word += ch;
      if (ch === "'") quoted = false;
    } else if (ch === "'") {
      word += ch;
      quoted = true;
      inWord = true;
    } else if (ch === ' ') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/**
 * A command laid out to paste: `$ aws s3api put-object \` then one `--flag value` per continuation
 * line, so each line fits the width (a single value wider than the line is left whole: cutting it
 * would change the command).
 */
export function commandLines(line: string, width: number, indent = '    '): string[] {
  const words = shellWords(line);
  const groups: string[] = [];
  for (const w of words) {
    const last = groups.length - 1;
    if (
      groups.length > 0 &&
      !w.startsWith('--') &&
      groups[last]!.startsWith('--') &&
      !groups[last]!.includes(' ')
    ) {
      groups[last] += ` ${w}`;
    } else groups.push(w);
  }
  const lines: string[] = [];
  let current = `${indent}$`;
  for (const g of groups) {
    if (current.length + 1 + g.length + 2 <= width || current === `${indent}$`) current += ` ${g}`;
    else {
      lines.push(`${current} \\`);
      current = `${indent}    ${g}`;
    }
  }
  lines.push(current);
  return lines;
}
