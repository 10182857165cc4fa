/** Bucket-level S3 operations: create, head, list, delete, location, tagging, notifications. */
import { AwsError } from '../errors.js';
import { parseXmlBody, xmlResponse } from '../protocols/restXml.js';
import type { WireResponse } from '../protocols/types.js';
import { childText } from '../protocols/xml.js';
import { SANDBOX_ACCOUNT_ID } from '../credentials.js';
import { isValidBucketName } from './bucketNames.js';
import { isoTime, requireBucket, type S3Operation } from './context.js';
import { notificationXml, parseNotificationConfiguration } from './notifications.js';
import { S3Errors } from './s3Errors.js';
import { parseTagging, taggingXml } from './tagging.js';

const US_EAST_1 = 'us-east-1';
const OWNER = { ID: SANDBOX_ACCOUNT_ID.padStart(64, '0'), DisplayName: 'sandbox' };

function locationConstraintOf(body: Buffer): string | undefined {
  if (body.length === 0 || body.toString('utf8').trim() === '') return undefined;
  const root = parseXmlBody(body, 'CreateBucketConfiguration');
  const value = childText(root, 'LocationConstraint');
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function illegalLocation(constraint: string | undefined): AwsError {
  return new AwsError(
    'IllegalLocationConstraintException',
    `The ${constraint ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`,
    400,
  );
}

export const createBucket: S3Operation = (svc, { wire, bucketName }) => {
  if (!isValidBucketName(bucketName)) throw S3Errors.invalidBucketName(bucketName);
  const region = wire.region;
  let constraint = locationConstraintOf(wire.body);
  if (constraint === 'EU') constraint = 'eu-west-1';
  if (constraint === US_EAST_1) {
    throw new AwsError('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400, {
      LocationConstraint: constraint,
    });
  }
  if (region !== US_EAST_1 && constraint !== region) throw illegalLocation(constraint);
  const bucketRegion = constraint ?? US_EAST_1;
  const existing = svc.storage.bucket(bucketName);
  if (existing) {
    // us-east-1 keeps its legacy behaviour: re-creating your own bucket there is a no-op 200.
    const legacyNoOp = region === US_EAST_1 && existing.region === US_EAST_1 && constraint === undefined;
    if (!legacyNoOp) throw S3Errors.alreadyOwnedByYou(bucketName);
  } else {
    svc.storage.createBucket(bucketName, bucketRegion, svc.clock.now());
  }
  return { status: 200, headers: { location: `/${bucketName}` } };
};

export const headBucket: S3Operation = (svc, req) => {
  const bucket = requireBucket(svc, req, { anyRegion: true });
  const headers = { 'x-amz-bucket-region': bucket.region, 'x-amz-access-point-alias': 'false' };
  // Asked in the wrong region, S3 answers HEAD with a redirect naming the right one.
  if (bucket.region !== req.wire.region) return { status: 301, headers };
  return { status: 200, headers };
};

export const listBuckets: S3Operation = (svc, { wire }) => {
  const prefix = wire.query.get('prefix') ?? '';
  const regionFilter = wire.query.get('bucket-region');
  const buckets = svc.storage
    .allBuckets()
    .filter((b) => b.name.startsWith(prefix) && (!regionFilter || b.region === regionFilter));
  return xmlResponse('ListAllMyBucketsResult', {
    Owner: OWNER,
    Buckets: {
      Bucket: buckets.map((b) => ({
        Name: b.name,
        CreationDate: isoTime(b.created),
        BucketRegion: b.region,
      })),
    },
    Prefix: wire.query.has('prefix') ? prefix : undefined,
  });
};

export const deleteBucket: S3Operation = (svc, req) => {
  const bucket = requireBucket(svc, req);
  if (svc.storage.objects(bucket).count > 0) throw S3Errors.bucketNotEmpty(bucket.name);
  svc.storage.deleteBucket(bucket);
  return { status: 204 };
};

export const getBucketLocation: S3Operation = (svc, req) => {
  const bucket = requireBucket(svc, req, { anyRegion: true });
  return xmlResponse('LocationConstraint', bucket.region === US_EAST_1 ? '' : bucket.region);
};

export const putBucketTagging: S3Operation = (svc, req) => {
  const bucket = requireBucket(svc, req);
  bucket.tags = parseTagging(parseXmlBody(req.wire.body, 'Tagging'), 'bucket');
  svc.storage.bucketChanged();
  return { status: 204 };
};

export const getBucketTagging: S3Operation = (svc, req) => {
  const bucket = requireBucket(svc, req);
  if (!bucket.tags || bucket.tags.length === 0) throw S3Errors.noSuchTagSet(bucket.name);
  return xmlResponse('Tagging', taggingXml(bucket.tags));
};

export const deleteBucketTagging: S3Operation = (svc, req) => {
  const bucket = requireBucket(svc, req);
  delete bucket.tags;
  svc.storage.bucketChanged();
  return { status: 204 };
};

export const putBucketNotificationConfiguration: S3Operation = (svc, req) => {
  const bucket = requireBucket(svc, req);
  const config = parseNotificationConfiguration(parseXmlBody(req.wire.body, 'NotificationConfiguration'));
  bucket.notification = config;
  svc.storage.bucketChanged();
  return { status: 200 };
};

export const getBucketNotificationConfiguration: S3Operation = (svc, req) => {
  const bucket = requireBucket(svc, req);
  return xmlResponse('NotificationConfiguration', notificationXml(bucket.notification));
};

/** Versioning is never enabled in the sandbox; the CLI and SDK helpers ask. */
export const getBucketVersioning: S3Operation = (svc, req): WireResponse => {
  requireBucket(svc, req);
  return xmlResponse('VersioningConfiguration', {});
};
