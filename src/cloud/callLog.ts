/**
 * The record of every SDK call made for a target. A middleware on each client (see `clients.ts`)
 * reports calls here; the runner reads them for the HOW narration and "show details". Inputs are
 * stored sanitised: binary members become placeholders, secret-looking values are redacted, and the
 * stored copy is detached from the caller's objects.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
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

/** Binary members larger than this are not kept for "show details" (the command names a placeholder). */
const MAX_ATTACHMENT_BYTES = 8 * 1024 * 1024;

/**
 * Copies of the binary members of an input (and an S3 object body given as a string), by member
 * path, for writing the files a shown AWS CLI command needs.
 */
export function collectAttachments(input: unknown): Record<string, Uint8Array> | undefined {
  const found: Record<string, Uint8Array> = {};
  const visit = (value: unknown, at: string, depth: number): void => {
    if (value instanceof Uint8Array) {
      if (value.byteLength <= MAX_ATTACHMENT_BYTES) found[at] = value.slice();
      return;
    }
    if (depth >= 3 || typeof value !== 'object' || value === null || Array.isArray(value)) return;
    for (const [k, v] of Object.entries(value)) visit(v, at ? `${at}.${k}` : k, depth + 1);
  };
  visit(input, '', 0);
  const body = (input as { Body?: unknown } | null)?.Body;
  if (typeof body === 'string' && body.length <= MAX_ATTACHMENT_BYTES)
    found.Body = new TextEncoder().encode(body);
  return Object.keys(found).length ? found : undefined;
}

/** Where the files named by shown AWS CLI commands are written (content-addressed, so repeats share one). */
export interface ArtifactFiles {
  /** Write `content` (unless an identical file exists) and return its absolute path. */
  write(fileName: string, content: Uint8Array | string): string;
}

/** Artifact files in one directory, readable by their owner only. */
export function artifactDirectory(dir: string): ArtifactFiles {
  return {
    write(fileName, content) {
      const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
      const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
      const file = path.join(dir, `${hash}-${fileName}`);
      if (!fs.existsSync(file)) {
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        fs.writeFileSync(file, bytes, { mode: 0o600 });
      }
      return file;
    },
  };
}

export type CallListener = (call: RecordedCall) => void;

export class RecordingCallLog implements CallLog {
  private calls: RecordedCall[] = [];
  /** Index (over all calls ever recorded) of `calls[0]`, so marks stay valid after trimming. */
  private offset = 0;
  private readonly listeners = new Set<CallListener>();

  /**
   * `cliExtra`: trailing CLI options for this target (`--endpoint-url …`, `--profile …`, `--region …`).
   * `artifacts`: where to write the files shown commands name (without it they name placeholders).
   */
  constructor(
    private readonly cliExtra: string[] = [],
    private readonly artifacts?: ArtifactFiles,
  ) {}

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
    return toCliCommand(call, this.cliExtra, this.artifacts);
  }
}
