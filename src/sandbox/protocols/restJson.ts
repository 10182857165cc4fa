/**
 * restJson1 (Lambda): the operation is named by method + path template, e.g.
 * `POST /2015-03-31/functions/{FunctionName}/invocations`. Path labels, query parameters and headers
 * bind to input members; the body is JSON (or raw bytes for blob payloads). Errors carry the code in
 * the `x-amzn-errortype` header and a `{"Type": "User", "message": "…"}` body, as Lambda sends them.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { AwsError } from '../errors.js';
import { contextOf, toJsonBody } from './awsJson.js';
import type { OperationContext, ServiceEndpoint, WireRequest, WireResponse } from './types.js';

/** What a route handler sees: bound labels plus accessors for the rest of the request. */
export interface RestRequest {
  /** Decoded path labels, e.g. `{ FunctionName: 'my-fn' }`. */
  labels: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Raw body bytes (for blob payloads such as Invoke's). */
  body: Buffer;
  /** The body parsed as a JSON object (`{}` when empty). */
  json(): Record<string, unknown>;
  ctx: OperationContext;
}

export interface RestResult {
  /** Defaults to the route's `status` (200 unless set). */
  status?: number;
  headers?: Record<string, string>;
  /** JSON output; serialised without `undefined` members. */
  json?: unknown;
  /** Raw output body, used instead of `json` (Invoke's payload). */
  raw?: Buffer;
}

export interface RestRoute {
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** Path template with `{Label}` segments. A trailing slash is not significant. */
  path: string;
  /** Success status when the handler does not set one (AWS uses 201 for some creates, 204 for deletes). */
  status?: number;
  handle(req: RestRequest): RestResult | Promise<RestResult>;
}

export interface RestJsonServiceOptions {
  signingName: string;
  routes: RestRoute[];
  maxBodyBytes?: number;
  bodyLimit?: ServiceEndpoint['bodyLimit'];
  /** IAM check before a route runs (throws the access-denied error); see accessControl.ts. */
  authorize?: (operation: string, req: RestRequest) => void;
}

interface CompiledRoute {
  route: RestRoute;
  segments: Array<{ literal: string } | { label: string }>;
}

function splitPath(raw: string): string[] {
  const parts = raw.split('/').filter((p, i, all) => !(p === '' && (i === 0 || i === all.length - 1)));
  return parts;
}

function compile(route: RestRoute): CompiledRoute {
  return {
    route,
    segments: splitPath(route.path).map((s) => {
      const m = /^\{(\w+)\}$/.exec(s);
      return m ? { label: m[1]! } : { literal: s };
    }),
  };
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function match(c: CompiledRoute, parts: string[]): Record<string, string> | undefined {
  if (c.segments.length !== parts.length) return undefined;
  const labels: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const seg = c.segments[i]!;
    const part = parts[i]!;
    if ('literal' in seg) {
      if (seg.literal !== part) return undefined;
    } else {
      if (part === '') return undefined;
      labels[seg.label] = decodeSegment(part);
    }
  }
  return labels;
}

/** Lambda reports client faults as `User` and its own as `Service`. */
export function restJsonErrorBody(err: AwsError): string {
  return JSON.stringify({
    Type: err.statusCode >= 500 ? 'Service' : 'User',
    message: err.message,
    ...err.extra,
  });
}

export function restJsonService(opts: RestJsonServiceOptions): ServiceEndpoint {
  const compiled = opts.routes.map(compile);

  const errorResponse = (err: AwsError, req: WireRequest): WireResponse => ({
    status: err.statusCode,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': err.code,
      'x-amzn-requestid': req.requestId,
    },
    body: restJsonErrorBody(err),
  });

  return {
    signingName: opts.signingName,
    maxBodyBytes: opts.maxBodyBytes,
    bodyLimit: opts.bodyLimit,
    errorResponse,
    operationOf(wire) {
      const parts = splitPath(wire.rawPath);
      return compiled.find((c) => c.route.method === wire.method && match(c, parts))?.route.operation;
    },
    operationNames: () => [...new Set(opts.routes.map((r) => r.operation))],
    async handle(wire) {
      const parts = splitPath(wire.rawPath);
      let pathMatched = false;
      for (const c of compiled) {
        const labels = match(c, parts);
        if (!labels) continue;
        pathMatched = true;
        if (c.route.method !== wire.method) continue;
        let parsed: Record<string, unknown> | undefined;
        const req: RestRequest = {
          labels,
          query: wire.query,
          headers: wire.headers,
          body: wire.body,
          ctx: contextOf(wire),
          json: () => (parsed ??= parseJsonBody(wire.body)),
        };
        opts.authorize?.(c.route.operation, req);
        const out = await c.route.handle(req);
        const status = out.status ?? c.route.status ?? 200;
        const headers: Record<string, string> = {
          'x-amzn-requestid': wire.requestId,
          ...(out.headers ?? {}),
        };
        if (out.raw) {
          headers['content-type'] ??= 'application/json';
          return { status, headers, body: out.raw };
        }
        if (out.json === undefined) return { status, headers };
        headers['content-type'] = 'application/json';
        return { status, headers, body: toJsonBody(out.json) };
      }
      throw new AwsError(
        'UnknownOperationException',
        pathMatched
          ? `Method ${wire.method} is not allowed on ${wire.rawPath}.`
          : `No operation matches ${wire.method} ${wire.rawPath}.`,
        pathMatched ? 405 : 404,
      );
    },
  };
}

function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new AwsError(
      'InvalidRequestContentException',
      `Could not parse request body into json: ${(err as Error).message}`,
      400,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AwsError(
      'InvalidRequestContentException',
      'Could not parse request body into json: expected a JSON object.',
      400,
    );
  }
  return value as Record<string, unknown>;
}
