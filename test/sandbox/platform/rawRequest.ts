/**
 * Test helper: raw HTTP requests to a sandbox, optionally SigV4-signed (header form) with a small
 * independent signer, so tests can send bodies and headers no SDK would produce.
 */
import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';

export interface RawRequest {
  method: string;
  /** Path plus optional query string, already encoded, e.g. `/?Action=X`. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Signing {
  accessKeyId: string;
  secretAccessKey: string;
  service: string;
  region?: string;
  /** Signing time (default now). */
  date?: Date;
  /** Payload hash to sign with, sent as `x-amz-content-sha256` (default: the body's SHA-256, not sent). */
  payloadHash?: string;
  sessionToken?: string;
}

const hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();
const encode = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Add `host`, `x-amz-date` and a SigV4 `authorization` header. */
export function signRequest(req: RawRequest, host: string, s: Signing): Record<string, string> {
  const region = s.region ?? 'us-east-1';
  const amzDate = (s.date ?? new Date())
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const date = amzDate.slice(0, 8);
  const headers: Record<string, string> = { ...(req.headers ?? {}), host, 'x-amz-date': amzDate };
  if (s.payloadHash !== undefined) headers['x-amz-content-sha256'] = s.payloadHash;
  if (s.sessionToken !== undefined) headers['x-amz-security-token'] = s.sessionToken;
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v.trim()]));
  const names = Object.keys(lower).sort();
  const [rawPath, rawQuery = ''] = req.path.split('?', 2) as [string, string?];
  const query = [...new URLSearchParams(rawQuery).entries()]
    .map(([k, v]) => `${encode(k)}=${encode(v)}`)
    .sort()
    .join('&');
  const canonicalPath = s.service === 's3' ? rawPath : encode(rawPath).replace(/%2F/g, '/');
  const canonical = [
    req.method,
    canonicalPath,
    query,
    names.map((n) => `${n}:${lower[n]}\n`).join(''),
    names.join(';'),
    s.payloadHash ?? hex(req.body ?? ''),
  ].join('\n');
  const scope = `${date}/${region}/${s.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${s.secretAccessKey}`, date), region), s.service), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${s.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  return headers;
}

/** Send one request; rejects on socket errors or after `timeoutMs`. */
export function rawRequest(
  endpoint: string,
  req: RawRequest,
  opts: { sign?: Signing; timeoutMs?: number } = {},
): Promise<RawResponse> {
  const url = new URL(endpoint);
  const headers = opts.sign ? signRequest(req, url.host, opts.sign) : { ...(req.headers ?? {}) };
  // Frame every body explicitly: Node sends a DELETE/OPTIONS body unframed otherwise.
  const hasLength = Object.keys(headers).some((h) => h.toLowerCase() === 'content-length');
  if (req.body !== undefined && req.body.length > 0 && !hasLength) {
    headers['content-length'] = String(Buffer.byteLength(req.body));
  }
  return new Promise((resolve, reject) => {
    const r = http.request(
      { host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    r.setTimeout(opts.timeoutMs ?? 10_000, () => r.destroy(new Error(`timeout: ${req.method} ${req.path}`)));
    r.on('error', reject);
    r.end(req.body);
  });
}
