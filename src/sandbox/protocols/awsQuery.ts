/**
 * awsQuery (IAM, STS): `Action=<Operation>&Version=<date>&…` as a form-urlencoded POST body or a
 * GET query string; parameters flattened (`Tags.member.1.Key`). Responses are
 * `<OpResponse xmlns=…><OpResult>…</OpResult><ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></OpResponse>`;
 * errors are `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error><RequestId>…</RequestId></ErrorResponse>`.
 */
import { AwsError } from '../errors.js';
import { contextOf } from './awsJson.js';
import { escapeXml, nestQueryParams, xmlMembers, type QueryStruct, type XmlStruct } from './queryXml.js';
import type { OperationContext, ServiceEndpoint, WireRequest, WireResponse } from './types.js';

/** An awsQuery operation: nested parameters in, the `<OpResult>` members out (undefined: no result element). */
export type QueryOperation = (
  input: QueryStruct,
  ctx: OperationContext,
) => XmlStruct | undefined | void | Promise<XmlStruct | undefined | void>;

export interface AwsQueryServiceOptions {
  signingName: string;
  /** e.g. `https://iam.amazonaws.com/doc/2010-05-08/`. */
  xmlns: string;
  /** API version the service answers, e.g. `2010-05-08`. */
  version: string;
  operations: Record<string, QueryOperation>;
  maxBodyBytes?: number;
  /** IAM check before an operation runs (throws the access-denied error); see accessControl.ts. */
  authorize?: (action: string, input: QueryStruct, ctx: OperationContext) => void;
}

const XML_CONTENT_TYPE = 'text/xml';

function isFormBody(req: WireRequest): boolean {
  const ct = String(req.headers['content-type'] ?? '').toLowerCase();
  return ct === '' || ct.startsWith('application/x-www-form-urlencoded');
}

/** All parameters of the request: the query string's, then (for POST) the form body's. */
export function queryParamsOf(req: WireRequest): Array<[string, string]> {
  const params: Array<[string, string]> = [...req.query.entries()];
  if (req.method === 'POST' && req.body.length > 0 && isFormBody(req)) {
    params.push(...new URLSearchParams(req.body.toString('utf8')).entries());
  }
  return params;
}

export function awsQueryService(opts: AwsQueryServiceOptions): ServiceEndpoint {
  const errorResponse = (err: AwsError, req: WireRequest): WireResponse => {
    const body =
      `<ErrorResponse xmlns="${opts.xmlns}"><Error><Type>${err.fault}</Type>` +
      `<Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message></Error>` +
      `<RequestId>${req.requestId}</RequestId></ErrorResponse>`;
    return {
      status: err.statusCode,
      headers: { 'content-type': XML_CONTENT_TYPE, 'x-amzn-requestid': req.requestId },
      body,
    };
  };

  return {
    signingName: opts.signingName,
    maxBodyBytes: opts.maxBodyBytes,
    errorResponse,
    operationOf(req) {
      const action = queryParamsOf(req).find(([k]) => k === 'Action')?.[1];
      return action !== undefined && Object.hasOwn(opts.operations, action) ? action : undefined;
    },
    operationNames: () => Object.keys(opts.operations),
    async handle(req) {
      if (req.method !== 'POST' && req.method !== 'GET') {
        throw new AwsError(
          'InvalidHttpRequest',
          `The HTTP method ${req.method} is not supported; use GET or POST.`,
          405,
        );
      }
      const input = nestQueryParams(queryParamsOf(req));
      const action = input.Action;
      delete input.Action;
      const version = input.Version;
      delete input.Version;
      if (typeof action !== 'string' || action === '') {
        throw new AwsError('MissingAction', 'The request must contain the parameter Action.', 400);
      }
      if (version !== undefined && version !== opts.version) {
        throw new AwsError(
          'InvalidAction',
          `Could not find operation ${action} for version ${typeof version === 'string' ? version : ''}`,
          400,
        );
      }
      const operation = Object.hasOwn(opts.operations, action) ? opts.operations[action] : undefined;
      if (!operation) {
        throw new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`, 400);
      }
      const ctx = contextOf(req);
      opts.authorize?.(action, input, ctx);
      const result = await operation(input, ctx);
      const resultXml = result ? `<${action}Result>${xmlMembers(result)}</${action}Result>` : '';
      const body =
        `<${action}Response xmlns="${opts.xmlns}">${resultXml}` +
        `<ResponseMetadata><RequestId>${req.requestId}</RequestId></ResponseMetadata></${action}Response>`;
      return {
        status: 200,
        headers: { 'content-type': XML_CONTENT_TYPE, 'x-amzn-requestid': req.requestId },
        body,
      };
    },
  };
}
