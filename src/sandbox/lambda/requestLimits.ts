/**
 * Lambda's request-size limits, applied from the method, path and headers before the body is
 * read: an Invoke payload of 6 MB (synchronous) or 1 MB (`Event`), and a CreateFunction or
 * UpdateFunctionCode request carrying at most the 50 MB direct-upload zip in base64 (69,905,067
 * bytes, the figure Lambda's own error quotes).
 */
import { AwsError } from '../errors.js';
import type { BodyLimit, WireRequest } from '../protocols/types.js';
import { MAX_ASYNC_PAYLOAD_BYTES, MAX_SYNC_PAYLOAD_BYTES } from './invoke.js';

export const MAX_CODE_REQUEST_BYTES = 69_905_067;

function limit(bytes: number, code: string, operation: string): BodyLimit {
  return {
    bytes,
    tooLarge: () =>
      new AwsError(code, `Request must be smaller than ${bytes} bytes for the ${operation} operation`, 413),
  };
}

export function lambdaBodyLimit(req: WireRequest): BodyLimit | undefined {
  const path = req.rawPath.replace(/\/+$/, '');
  if (req.method === 'POST' && /^\/2015-03-31\/functions\/[^/]+\/invocations$/.test(path)) {
    const async = req.headers['x-amz-invocation-type'] === 'Event';
    return limit(
      async ? MAX_ASYNC_PAYLOAD_BYTES : MAX_SYNC_PAYLOAD_BYTES,
      'RequestTooLargeException',
      'InvokeFunction',
    );
  }
  if (req.method === 'POST' && path === '/2015-03-31/functions') {
    return limit(MAX_CODE_REQUEST_BYTES, 'RequestEntityTooLargeException', 'CreateFunction');
  }
  if (req.method === 'PUT' && /^\/2015-03-31\/functions\/[^/]+\/code$/.test(path)) {
    return limit(MAX_CODE_REQUEST_BYTES, 'RequestEntityTooLargeException', 'UpdateFunctionCode');
  }
  return undefined;
}
