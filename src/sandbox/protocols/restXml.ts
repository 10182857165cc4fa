/**
 * restXml (S3): operations are chosen by method, path and query; bodies are XML; errors are
 * `<Error><Code/><Message/>…extra members…<RequestId/><HostId/></Error>`, except that HEAD
 * responses never carry a body. This module knows the wire shape only, not any service.
 */
import { randomBytes } from 'node:crypto';
import { AwsError } from '../errors.js';
import type { ServiceEndpoint, WireRequest, WireResponse } from './types.js';
import { parseXml, XmlSyntaxError, xmlDocument, type XmlChildren, type XmlValue } from './xml.js';

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** A host id as S3 prints it (base64 noise); stable per request id is not needed. */
function hostId(): string {
  return randomBytes(48).toString('base64');
}

export function restXmlErrorResponse(err: AwsError, req: WireRequest): WireResponse {
  const headers: Record<string, string> = { 'x-amz-request-id': req.requestId, 'x-amz-id-2': hostId() };
  if (req.method === 'HEAD') {
    // HEAD errors are status-only on the wire; the SDK names them from the status code.
    return { status: err.statusCode, headers: { ...headers, 'content-length': '0' } };
  }
  const body = xmlDocument('Error', {
    Code: err.code,
    Message: err.message,
    ...err.extra,
    RequestId: req.requestId,
    HostId: headers['x-amz-id-2'],
  });
  return { status: err.statusCode, headers: { ...headers, 'content-type': 'application/xml' }, body };
}

/** A 200 (or given status) XML document response. */
export function xmlResponse(
  root: string,
  content: XmlChildren | string,
  opts: { status?: number; headers?: Record<string, string>; xmlns?: string | null } = {},
): WireResponse {
  const xmlns = opts.xmlns === null ? undefined : (opts.xmlns ?? S3_XMLNS);
  return {
    status: opts.status ?? 200,
    headers: { 'content-type': 'application/xml', ...(opts.headers ?? {}) },
    body: xmlDocument(root, content, xmlns),
  };
}

export const malformedXml = (): AwsError =>
  new AwsError(
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema',
    400,
  );

/**
 * Parse a request body that must be an XML document with the given root element.
 * Not well-formed, empty, or another root → `MalformedXML`.
 */
export function parseXmlBody(body: Buffer, root: string): XmlValue {
  let parsed: { root: string; value: XmlValue };
  try {
    parsed = parseXml(body.toString('utf8'));
  } catch (err) {
    if (err instanceof XmlSyntaxError) throw malformedXml();
    throw err;
  }
  if (parsed.root !== root) throw malformedXml();
  return parsed.value;
}

export interface RestXmlServiceOptions {
  signingName: string;
  handle(req: WireRequest): Promise<WireResponse>;
  maxBodyBytes?: number;
  bodyLimit?: ServiceEndpoint['bodyLimit'];
  /** The service's own routing: which operation a request names (see `ServiceEndpoint`). */
  operationOf?(req: WireRequest): string | undefined;
  operationNames?(): string[];
}

/** A restXml endpoint: the service handles requests; errors come out in S3's XML shape. */
export function restXmlService(opts: RestXmlServiceOptions): ServiceEndpoint {
  return {
    signingName: opts.signingName,
    maxBodyBytes: opts.maxBodyBytes,
    bodyLimit: opts.bodyLimit,
    errorResponse: restXmlErrorResponse,
    handle: opts.handle,
    operationOf: opts.operationOf,
    operationNames: opts.operationNames,
  };
}
