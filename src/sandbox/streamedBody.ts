/**
 * A request body handed to its endpoint unread, for endpoints that consume it as it arrives (S3
 * uploads) rather than buffered whole. The bytes are still held to the request's size limit as they
 * arrive and, when the client declared the payload's SHA-256 (S3's `x-amz-content-sha256`), hashed
 * on the way: a mismatch fails the stream instead of ending it, so the consumer never commits a
 * body that is not the one signed. Nothing here knows what the endpoint does with the bytes.
 */
import { createHash, type Hash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { AwsError } from './errors.js';
import type { BodyLimit } from './protocols/types.js';

/** The client went away (or the connection broke) before the body was complete. */
export class BodyAbortedError extends Error {
  constructor() {
    super('the request body ended before it was complete');
    this.name = 'BodyAbortedError';
  }
}

export interface StreamedBodyOptions {
  limit: BodyLimit;
  /** The payload SHA-256 (hex) the signature covered, when the client declared one. */
  declaredSha256?: string;
  /** The error for a body whose SHA-256 is not the declared one. */
  mismatch(): AwsError;
  /** Called on the consumer's first read: the moment to send `100 Continue` if the client waits for it. */
  onFirstRead?(): void;
}

/** A byte stream over `source`'s body, limited and checked as described above. */
export class StreamedBody extends Readable {
  private started = false;
  private received = 0;
  private readonly hash: Hash | undefined;

  constructor(
    private readonly source: IncomingMessage,
    private readonly opts: StreamedBodyOptions,
  ) {
    super({ highWaterMark: 64 * 1024 });
    this.hash = opts.declaredSha256 === undefined ? undefined : createHash('sha256');
  }

  override _read(): void {
    if (!this.started) this.start();
    this.source.resume();
  }

  private start(): void {
    this.started = true;
    this.opts.onFirstRead?.();
    const src = this.source;
    src.on('data', (chunk: Buffer) => {
      if (this.destroyed) return;
      this.received += chunk.length;
      if (this.received > this.opts.limit.bytes) {
        this.destroy(this.opts.limit.tooLarge());
        return;
      }
      this.hash?.update(chunk);
      if (!this.push(chunk)) src.pause();
    });
    src.on('end', () => {
      if (this.destroyed) return;
      if (this.hash && this.hash.digest('hex') !== this.opts.declaredSha256) {
        this.destroy(this.opts.mismatch());
        return;
      }
      this.push(null);
    });
    src.on('error', () => this.destroy(new BodyAbortedError()));
    src.on('close', () => {
      if (!src.complete && !this.destroyed) this.destroy(new BodyAbortedError());
    });
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    // The rest of the body is read and dropped (bounded by the server's request timeout), so the
    // client can finish sending and read the answer instead of meeting a reset connection.
    this.source.resume();
    callback(err);
  }
}
