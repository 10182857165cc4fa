/**
 * The record of every SDK call made for a target. A middleware on each client (see `clients.ts`)
 * reports calls here; the runner reads them for the HOW narration and "show details". Inputs are
 * stored sanitised: binary members become placeholders, secret-looking values are redacted, and the
 * stored copy is detached from the caller's objects.
 */
import { toCliCommand } from './cliEquivalent.js';
import type { CallLog, RecordedCall } from './types.js';

/** Keys whose values are never recorded. Paging tokens are not secrets, so they are spared. */
const SECRET_KEY =
  /(secret|password|passphrase|sessiontoken|accesskey|privatekey|apikey|credential|^token$|authorization)/i;
const MAX_CALLS = 5000;
const MAX_DEPTH = 12;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function sanitizeValue(key: string, value: unknown, depth: number): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'string') return SECRET_KEY.test(key) ? '***' : value;
  if (typeof value !== 'object') return SECRET_KEY.test(key) && typeof value !== 'boolean' ? '***' : value;
  if (value instanceof Date) return value;
  if (value instanceof Uint8Array) {
    // A small UTF-8 payload (Lambda Invoke's JSON) is more useful shown than hidden.
    if (key === 'Payload' && value.byteLength <= 4096) {
      try {
        return utf8.decode(value);
      } catch {
        // binary after all
      }
    }
    return `<binary ${value.byteLength} bytes>`;
  }
  if (typeof (value as { pipe?: unknown }).pipe === 'function' || value instanceof ReadableStream) {
    return '<binary stream>';
  }
  if (depth >= MAX_DEPTH) return '…';
  if (Array.isArray(value)) return value.map((v) => sanitizeValue(key, v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    // Lambda environment variables: keep names, redact values whose names look secret.
    out[k] = sanitizeValue(k, v, depth + 1);
  }
  return out;
}

/** A detached, secret-free copy of an SDK command input. */
export function sanitizeInput(input: unknown): unknown {
  return sanitizeValue('', input, 0);
}

export type CallListener = (call: RecordedCall) => void;

export class RecordingCallLog implements CallLog {
  private calls: RecordedCall[] = [];
  /** Index (over all calls ever recorded) of `calls[0]`, so marks stay valid after trimming. */
  private offset = 0;
  private readonly listeners = new Set<CallListener>();

  /** `cliExtra`: trailing CLI options for this target (`--endpoint-url …`, `--profile …`, `--region …`). */
  constructor(private readonly cliExtra: string[] = []) {}

  record(call: RecordedCall): void {
    this.calls.push(call);
    if (this.calls.length > MAX_CALLS) {
      const drop = this.calls.length - MAX_CALLS;
      this.calls.splice(0, drop);
      this.offset += drop;
    }
    for (const l of this.listeners) {
      try {
        l(call);
      } catch {
        // a listener's bug must not fail the AWS call it observes
      }
    }
  }

  /** Be told of each call as it completes; returns the unsubscribe function. */
  subscribe(listener: CallListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  mark(): number {
    return this.offset + this.calls.length;
  }

  since(mark: number): RecordedCall[] {
    return this.calls.slice(Math.max(0, mark - this.offset));
  }

  all(): RecordedCall[] {
    return [...this.calls];
  }

  toCli(call: RecordedCall): string {
    return toCliCommand(call, this.cliExtra);
  }
}
