/**
 * The sandbox's HTTP front door on 127.0.0.1: reads the request, verifies its SigV4 signature,
 * routes it to a service endpoint by the credential scope's signing name, and writes the endpoint's
 * response. Nothing here knows a service's operations or wire format beyond error shaping.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { AwsError } from './errors.js';
import {
  checkS3PayloadHashHeader,
  declaredPayloadHash,
  expectedSignature,
  parseAuth,
  sha256Hex,
  type ParsedAuth,
  signaturesMatch,
} from './sigv4.js';
import { identifyCaller, type CallerDirectory } from './authenticate.js';
import type { ServiceEndpoint, WireRequest, WireResponse } from './protocols/types.js';
import type { SandboxCredentials } from './credentials.js';
import type { IamDirectory } from './contracts.js';
import { DEFAULT_REGION, SANDBOX_ACCOUNT_ID } from './credentials.js';
import { guessSigningName, authErrors, type AuthErrors } from './serviceGuess.js';
import { errorInProtocolOf } from './protocols/requestShape.js';
import { StreamedBody } from './streamedBody.js';

/**
 * The body limit of a service that names none: the JSON and query APIs' requests are small (their
 * largest members are policy documents, definitions and log batches of about a megabyte).
 */
export const DEFAULT_MAX_BODY_BYTES = 6 * 1024 * 1024;
/** Connections served at once; more wait in the kernel's backlog (a local tool needs few). */
export const MAX_CONNECTIONS = 256;

export interface ServerOptions {
  endpoints: ServiceEndpoint[];
  credentials: SandboxCredentials;
  /** Role sessions the sandbox issued (their `ASIA…` keys are accepted besides the root key). */
  sessions?: Pick<IamDirectory, 'findSession'>;
  /** The sandbox clock, which code running inside the sandbox signs with (see requestTime.ts). */
  clock?: { now(): number };
  /** Called with unexpected (non-AWS) errors, for the sandbox's own log. */
  onInternalError?: (err: unknown, req: WireRequest) => void;
  /**
   * Awaited for each authenticated request just before its service handles it; an `AwsError` it
   * throws is the request's answer instead (fault injection).
   */
  beforeOperation?: (call: OperationCall) => Promise<void>;
}

/** A request about to reach its service. */
export interface OperationCall {
  /** SigV4 signing name. */
  service: string;
  /** As the endpoint names it, when it can tell. */
  operation: string | undefined;
  wire: WireRequest;
}

class BodyTooLargeError extends Error {}

/** A declared Content-Length over the limit: refused before a body byte is read. */
function declaresTooMuch(req: http.IncomingMessage, limit: number): boolean {
  const declared = Number(req.headers['content-length']);
  return Number.isFinite(declared) && declared > limit;
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

/** The error for a body over a service's limit, when the service does not name its own. */
function tooLargeError(signingName: string, limit: number): AwsError {
  if (signingName === 's3') {
    return new AwsError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, {
      MaxSizeAllowed: String(limit),
    });
  }
  // Not documented for the JSON and query APIs; botocore models no such error for them, so the
  // generic HTTP 413 with this code (as API Gateway-fronted services answer) is assumed.
  return new AwsError('RequestEntityTooLargeException', 'Request Entity Too Large', 413);
}

const payloadHashMismatch = (): AwsError =>
  new AwsError(
    'XAmzContentSHA256Mismatch',
    "The provided 'x-amz-content-sha256' header does not match what was computed.",
    400,
  );

function checkSignature(wire: WireRequest, auth: ParsedAuth, errs: AuthErrors): void {
  const expected = expectedSignature(wire, auth, wire.signingSecret!);
  if (!signaturesMatch(expected, auth.signature)) throw errs.badSignature();
}

function safeDecodePath(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export function createSandboxServer(opts: ServerOptions): {
  server: http.Server;
  setEndpoint(url: string): void;
} {
  const bySigningName = new Map(opts.endpoints.map((e) => [e.signingName, e]));
  let baseUrl = '';
  const directory: CallerDirectory = {
    credentials: opts.credentials,
    sessions: opts.sessions,
    clocks: { wallNow: () => Date.now(), sandboxNow: () => opts.clock?.now() ?? Date.now() },
  };

  const send = (res: http.ServerResponse, wire: WireRequest, out: WireResponse): void => {
    const headers: Record<string, string> = {
      'x-amz-request-id': wire.requestId,
      'x-amzn-requestid': wire.requestId,
      date: new Date().toUTCString(),
      ...(out.headers ?? {}),
    };
    const body = out.body;
    if (body instanceof Readable) {
      res.writeHead(out.status, headers);
      if (wire.method === 'HEAD') {
        body.destroy();
        res.end();
        return;
      }
      body.on('error', () => res.destroy());
      body.pipe(res);
      return;
    }
    const buf = body === undefined ? Buffer.alloc(0) : typeof body === 'string' ? Buffer.from(body) : body;
    if (!('content-length' in headers)) headers['content-length'] = String(buf.length);
    res.writeHead(out.status, headers);
    res.end(wire.method === 'HEAD' ? undefined : buf);
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q >= 0 ? url.slice(0, q) : url;
    const rawQuery = q >= 0 ? url.slice(q + 1) : '';
    const wire: WireRequest = {
      method: req.method ?? 'GET',
      rawPath,
      path: safeDecodePath(rawPath),
      rawQuery,
      query: new URLSearchParams(rawQuery),
      headers: req.headers,
      body: Buffer.alloc(0),
      region: DEFAULT_REGION,
      accountId: SANDBOX_ACCOUNT_ID,
      requestId: randomUUID(),
      accessKeyId: '',
      endpoint: baseUrl,
    };

    // A client that waits for `100 Continue` (Expect: 100-continue) sends its body only once it is
    // wanted, so a refusal decided from the headers costs it no upload.
    let continued = !/100-continue/i.test(String(req.headers.expect ?? ''));
    const sendContinue = (): void => {
      if (continued || res.headersSent) return;
      continued = true;
      res.writeContinue();
    };
    // Answered without ever asking for the body: the client will not send it, so the connection
    // cannot carry another request.
    const closeIfBodyWithheld = (): void => {
      if (!continued) res.shouldKeepAlive = false;
    };

    let endpoint: ServiceEndpoint | undefined;
    /** Set when the request names a service the sandbox does not serve. */
    let unserved: string | undefined;
    const fail = (err: AwsError): void => {
      closeIfBodyWithheld();
      if (unserved !== undefined) {
        send(res, wire, errorInProtocolOf(err, wire, unserved));
        return;
      }
      const target = endpoint ?? bySigningName.get(guessSigningName(wire)) ?? bySigningName.get('sts');
      if (!target) {
        send(res, wire, {
          status: err.statusCode,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ __type: err.code, message: err.message }),
        });
        return;
      }
      send(res, wire, target.errorResponse(err, wire));
    };

    try {
      const auth = parseAuth(wire);
      const signingName = auth?.scope.service ?? guessSigningName(wire);
      endpoint = bySigningName.get(signingName);
      const errs = authErrors(signingName);
      if (!endpoint) {
        unserved = signingName;
        throw new AwsError(
          'UnrecognizedClientException',
          `The sandbox does not serve the '${signingName}' service.`,
          400,
        );
      }
      if (!auth) throw errs.missing();
      identifyCaller(wire, auth, errs, directory);
      if (signingName === 's3' && !auth.presigned) checkS3PayloadHashHeader(req.headers);

      const limit = endpoint.bodyLimit?.(wire) ?? {
        bytes: endpoint.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
        tooLarge: () => tooLargeError(signingName, endpoint!.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES),
      };
      // S3 signs the payload's declared hash, not the payload: its signature is checked before a
      // single body byte is read, so a wrongly signed upload costs nothing.
      if (signingName === 's3') checkSignature(wire, auth, errs);
      const declared = signingName === 's3' ? declaredPayloadHash(req.headers) : undefined;
      if (declaresTooMuch(req, limit.bytes)) {
        // Refused before a body byte is read; the rest of the body is not worth the connection.
        res.shouldKeepAlive = false;
        req.resume();
        throw limit.tooLarge();
      }
      if (limit.streamed) {
        wire.bodyStream = new StreamedBody(req, {
          limit,
          declaredSha256: declared,
          mismatch: payloadHashMismatch,
          onFirstRead: sendContinue,
        });
      } else {
        sendContinue();
        try {
          wire.body = await readBody(req, limit.bytes);
        } catch (err) {
          if (err instanceof BodyTooLargeError) {
            // Refused while reading; the rest of the body is not worth the connection.
            res.shouldKeepAlive = false;
            throw limit.tooLarge();
          }
          throw err;
        }
        if (signingName !== 's3') checkSignature(wire, auth, errs);
        if (declared && declared !== sha256Hex(wire.body)) throw payloadHashMismatch();
      }
      await opts.beforeOperation?.({ service: signingName, operation: endpoint.operationOf?.(wire), wire });
      const out = await endpoint.handle(wire);
      closeIfBodyWithheld();
      send(res, wire, out);
    } catch (err) {
      if (err instanceof AwsError) {
        fail(err);
        return;
      }
      opts.onInternalError?.(err, wire);
      fail(
        new AwsError(
          'InternalFailure',
          'The request processing has failed because of an unknown error, exception or failure.',
          500,
        ),
      );
    }
  };

  const serve = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    handle(req, res).catch((err) => {
      opts.onInternalError?.(err, undefined as unknown as WireRequest);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };
  const server = http.createServer({ keepAlive: true }, serve);
  // Requests that expect `100 Continue` get it from `handle` when their body is read, not at once.
  server.on('checkContinue', serve);
  // A truncated request must not hold a socket forever.
  server.requestTimeout = 120_000;
  server.maxConnections = MAX_CONNECTIONS;
  server.headersTimeout = 30_000;
  // An idle keep-alive socket is closed by the server only: the SDK's agent sets no idle timeout of
  // its own, so Node 20's agent ignores the `Keep-Alive: timeout=` hint. A request sent as the server
  // closes fails with "socket hang up"; at 5 s that met every client pausing for a slow step.
  server.keepAliveTimeout = 30_500;
  return {
    server,
    setEndpoint(url: string) {
      baseUrl = url;
    },
  };
}
