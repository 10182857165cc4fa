/**
 * What the HTTP layer hands a service endpoint, and what it hands back. Protocol modules turn a
 * `WireRequest` into operation input and operation output (or an `AwsError`) into a `WireResponse`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { AwsError } from '../errors.js';
import type { CallerPrincipal } from '../contracts.js';

export interface WireRequest {
  method: string;
  /** Raw path as received (percent-encoded), without the query string. */
  rawPath: string;
  /** Decoded path. */
  path: string;
  rawQuery: string;
  query: URLSearchParams;
  /** Lower-cased header names, as node gives them. */
  headers: IncomingHttpHeaders;
  /** The body, read whole; empty when the endpoint streams it (`bodyStream`). */
  body: Buffer;
  /**
   * The body as it arrives, when the endpoint's `BodyLimit` asked to stream it (S3 uploads): held
   * to the limit and checked against a declared payload hash on the way (see streamedBody.ts).
   */
  bodyStream?: Readable;
  /** Region from the credential scope (default us-east-1). */
  region: string;
  accountId: string;
  requestId: string;
  /** Access key the request was signed with. */
  accessKeyId: string;
  /** Who signed: root (the sandbox's own key; absent means root too) or a role session. */
  principal?: CallerPrincipal;
  /** The secret of `accessKeyId` (root's or the session's), for S3's signed aws-chunked bodies. */
  signingSecret?: string;
  /** Base URL of the sandbox, e.g. http://127.0.0.1:4566 */
  endpoint: string;
}

export interface WireResponse {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string | Readable;
}

/** Per-request facts an operation may need, independent of wire format. */
export interface OperationContext {
  region: string;
  accountId: string;
  requestId: string;
  endpoint: string;
  /** The raw request, for the rare operation that needs a header (e.g. S3's Range). */
  wire: WireRequest;
}

/**
 * A service as the server sees it: one per SigV4 signing name. `handle` parses, dispatches and
 * serialises; `errorResponse` shapes errors raised before dispatch (bad signature, oversize body).
 */
export interface ServiceEndpoint {
  /** SigV4 signing name, e.g. `s3`, `iam`, `logs`, `events`, `states`, `lambda`, `sts`. */
  readonly signingName: string;
  handle(req: WireRequest): Promise<WireResponse>;
  errorResponse(err: AwsError, req: WireRequest): WireResponse;
  /** Largest body this service accepts, in bytes (default: the server's limit). */
  readonly maxBodyBytes?: number;
  /**
   * The limit for this particular request, when it depends on the operation (Lambda's Invoke vs
   * CreateFunction), known from the method, path and headers before any body byte is read.
   */
  bodyLimit?(req: WireRequest): BodyLimit | undefined;
  /**
   * The operation a request names (`CreateFunction`, `PutObject`), told from its method, path,
   * headers or parameters without handling it; undefined when it names none. For concerns that
   * apply per operation before the service runs (fault injection).
   */
  operationOf?(req: WireRequest): string | undefined;
  /** Every operation this endpoint serves, by the names `operationOf` gives. */
  operationNames?(): string[];
}

/** A request-size limit and the error the service answers with beyond it. */
export interface BodyLimit {
  bytes: number;
  tooLarge(): AwsError;
  /** The endpoint reads the body from `WireRequest.bodyStream` as it arrives instead of buffered. */
  streamed?: boolean;
}

/** Anything in a service that must stop (timers, child processes) or flush when the sandbox stops. */
export interface Stoppable {
  stop(): Promise<void> | void;
}

export type OperationHandler<I = any, O = any> = (input: I, ctx: OperationContext) => O | Promise<O>;
