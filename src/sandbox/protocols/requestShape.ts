/**
 * The wire protocol a request was written in, judged from its shape alone — for answering requests
 * no endpoint serves (a service the sandbox does not emulate) in a form the caller's SDK can read:
 * awsJson (an `X-Amz-Target` header), awsQuery (a form body or an `Action`), restXml (services whose
 * SigV4 signing name is one of the XML REST APIs) or, for everything else, restJson, the protocol
 * of most newer AWS services (EventBridge Scheduler, for one).
 */
import { AwsError } from '../errors.js';
import { escapeXml } from './queryXml.js';
import { restXmlErrorResponse } from './restXml.js';
import type { WireRequest, WireResponse } from './types.js';

export type Protocol = 'awsJson' | 'awsQuery' | 'restXml' | 'restJson';

/** Signing names of AWS's REST-XML APIs. */
const REST_XML = new Set(['s3', 'cloudfront', 'route53', 's3-outposts']);

export function protocolOf(req: WireRequest, signingName: string): Protocol {
  if (typeof req.headers['x-amz-target'] === 'string') return 'awsJson';
  // The body of a request to an unserved service is not read: a form body means awsQuery.
  const contentType = String(req.headers['content-type'] ?? '');
  if (contentType.startsWith('application/x-www-form-urlencoded') || req.query.has('Action'))
    return 'awsQuery';
  return REST_XML.has(signingName) ? 'restXml' : 'restJson';
}

/** An error response in the protocol the request was written in. */
export function errorInProtocolOf(err: AwsError, req: WireRequest, signingName: string): WireResponse {
  const protocol = protocolOf(req, signingName);
  if (protocol === 'restXml') return restXmlErrorResponse(err, req);
  if (protocol === 'awsQuery') {
    return {
      status: err.statusCode,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': req.requestId },
      body:
        `<ErrorResponse><Error><Type>${err.fault}</Type><Code>${escapeXml(err.code)}</Code>` +
        `<Message>${escapeXml(err.message)}</Message></Error><RequestId>${req.requestId}</RequestId></ErrorResponse>`,
    };
  }
  const version = /application\/x-amz-json-(1\.[01])/.exec(String(req.headers['content-type'] ?? ''))?.[1];
  return {
    status: err.statusCode,
    headers: {
      'content-type':
        protocol === 'awsJson' ? `application/x-amz-json-${version ?? '1.1'}` : 'application/json',
      'x-amzn-errortype': err.code,
      'x-amzn-requestid': req.requestId,
    },
    body: JSON.stringify(
      protocol === 'awsJson' ? { __type: err.code, message: err.message } : { message: err.message },
    ),
  };
}
