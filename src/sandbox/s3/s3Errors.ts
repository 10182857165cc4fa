/** The S3 errors the sandbox raises, with AWS's codes, statuses, messages and extra members. */
import { AwsError } from '../errors.js';

export const S3Errors = {
  noSuchBucket: (bucket: string) =>
    new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket }),
  noSuchKey: (key: string) =>
    new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { Key: key }),
  bucketNotEmpty: (bucket: string) =>
    new AwsError('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, {
      BucketName: bucket,
    }),
  invalidBucketName: (bucket: string) =>
    new AwsError('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: bucket }),
  alreadyOwnedByYou: (bucket: string) =>
    new AwsError(
      'BucketAlreadyOwnedByYou',
      'Your previous request to create the named bucket succeeded and you already own it.',
      409,
      { BucketName: bucket },
    ),
  noSuchTagSet: (bucket: string) =>
    new AwsError('NoSuchTagSet', 'The TagSet does not exist', 404, { BucketName: bucket }),
  invalidTag: (message: string) => new AwsError('InvalidTag', message, 400),
  invalidArgument: (message: string, name?: string, value?: string) =>
    new AwsError(
      'InvalidArgument',
      message,
      400,
      name === undefined ? {} : { ArgumentName: name, ArgumentValue: value ?? '' },
    ),
  invalidRequest: (message: string) => new AwsError('InvalidRequest', message, 400),
  invalidDigest: () => new AwsError('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400),
  badDigest: () =>
    new AwsError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400),
  badChecksum: (algorithm: string) =>
    new AwsError('BadDigest', `The ${algorithm} you specified did not match the calculated checksum.`, 400),
  invalidRange: (range: string, size: number) =>
    new AwsError('InvalidRange', 'The requested range is not satisfiable', 416, {
      RangeRequested: range,
      ActualObjectSize: String(size),
    }),
  preconditionFailed: (condition: string) =>
    new AwsError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, {
      Condition: condition,
    }),
  incompleteBody: () =>
    new AwsError(
      'IncompleteBody',
      'You did not provide the number of bytes specified by the Content-Length HTTP header.',
      400,
    ),
  entityTooLarge: (maxBytes: number) =>
    new AwsError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, {
      MaxSizeAllowed: String(maxBytes),
    }),
  missingContentLength: () =>
    new AwsError('MissingContentLength', 'You must provide the Content-Length HTTP header.', 411),
  /** S3 documents this for request bodies over its limit, without naming the limit. */
  maxMessageLengthExceeded: () => new AwsError('MaxMessageLengthExceeded', 'Your request was too big.', 400),
  notImplemented: () =>
    new AwsError(
      'NotImplemented',
      'A header you provided implies functionality that is not implemented',
      501,
    ),
  methodNotAllowed: (method: string, resource: string) =>
    new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, {
      Method: method,
      ResourceType: resource,
    }),
  wrongRegion: (given: string, expected: string) =>
    new AwsError(
      'AuthorizationHeaderMalformed',
      `The authorization header is malformed; the region '${given}' is wrong; expecting '${expected}'`,
      400,
      { Region: expected },
    ),
};
