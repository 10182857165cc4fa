/**
 * S3 buckets. CreateBucket cannot tag, so tags follow in a second call: an untagged bucket the
 * ledger already named is ours (the earlier attempt died between the two calls). Teardown empties
 * the bucket first (objects, then versions if any remain) — only after its tags proved it ours.
 */
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetBucketTaggingCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketTaggingCommand,
  type ObjectIdentifier,
} from '@aws-sdk/client-s3';
import { errorName, httpStatus, isNotFound } from '../awsErrors.js';
import { ResourceConflictError } from '../errors.js';
import { tagList, tagMap, tagsMatch } from '../naming.js';
import type { BucketSpec } from '../resourceTypes.js';
import { assertAdoptable, type KindTeardown, type ResourceContext } from './context.js';
import { removeIfOurs, sweepByPrefix } from './ownership.js';

export function bucketArn(name: string): string {
  return `arn:aws:s3:::${name}`;
}

/** The bucket's tags; `{}` when it has none; undefined when the bucket does not exist. */
export async function bucketTags(
  ctx: ResourceContext,
  name: string,
): Promise<Record<string, string> | undefined> {
  try {
    const out = await ctx.clients.s3.send(new GetBucketTaggingCommand({ Bucket: name }));
    return tagMap(out.TagSet);
  } catch (err) {
    if (errorName(err) === 'NoSuchTagSet') return {};
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export async function createBucket(
  ctx: ResourceContext,
  spec: BucketSpec,
  name: string,
  ledgerNamedBefore: boolean,
): Promise<string> {
  // Ask first: in us-east-1 CreateBucket answers 200 for a bucket you already own, so its answer
  // cannot tell a new bucket from someone else's old one.
  let existing: Record<string, string> | undefined;
  try {
    existing = await bucketTags(ctx, name);
  } catch (err) {
    if (errorName(err) !== 'AccessDenied' && httpStatus(err) !== 403) throw err;
    throw new ResourceConflictError('s3-bucket', name, 'the name is taken by another AWS account');
  }
  if (existing !== undefined) {
    assertAdoptable(ctx, 's3-bucket', name, existing, ledgerNamedBefore);
  } else {
    try {
      await ctx.clients.s3.send(
        new CreateBucketCommand({
          Bucket: name,
          // us-east-1 is the one region that rejects an explicit LocationConstraint.
          ...(ctx.region === 'us-east-1'
            ? {}
            : { CreateBucketConfiguration: { LocationConstraint: ctx.region as never } }),
        }),
      );
    } catch (err) {
      const code = errorName(err);
      if (code === 'BucketAlreadyExists') {
        throw new ResourceConflictError('s3-bucket', name, 'the name is taken by another AWS account');
      }
      if (code !== 'BucketAlreadyOwnedByYou') throw err;
      // Created between our look and our create (another process): the same rule applies.
      assertAdoptable(ctx, 's3-bucket', name, await bucketTags(ctx, name), ledgerNamedBefore);
    }
  }
  // Tagging and notifications are independent: one round trip instead of two.
  await Promise.all([
    tagsMatch(existing, ctx.demo, ctx.runId)
      ? undefined
      : ctx.clients.s3.send(
          new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: tagList(ctx.tags) } }),
        ),
    spec.eventBridge
      ? ctx.clients.s3.send(
          new PutBucketNotificationConfigurationCommand({
            Bucket: name,
            NotificationConfiguration: { EventBridgeConfiguration: {} },
          }),
        )
      : undefined,
  ]);
  return bucketArn(name);
}

async function deleteBatch(ctx: ResourceContext, bucket: string, objects: ObjectIdentifier[]): Promise<void> {
  for (let i = 0; i < objects.length; i += 1000) {
    const out = await ctx.clients.s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: objects.slice(i, i + 1000), Quiet: true },
      }),
    );
    const failed = (out.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
    if (failed.length > 0) {
      throw new Error(
        `could not delete ${failed.length} object(s) from ${bucket}: ${failed[0].Code} ${failed[0].Message ?? ''}`,
      );
    }
  }
}

/** Delete every object (and, if versioning left any, every version) in the bucket. */
export async function emptyBucket(ctx: ResourceContext, bucket: string): Promise<void> {
  let token: string | undefined;
  do {
    const page = await ctx.clients.s3.send(
      new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }),
    );
    const keys = (page.Contents ?? [])
      .filter((o) => o.Key !== undefined)
      .map((o) => ({ Key: o.Key as string }));
    if (keys.length > 0) await deleteBatch(ctx, bucket, keys);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

async function deleteVersions(ctx: ResourceContext, bucket: string): Promise<void> {
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const page = await ctx.clients.s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionMarker }),
    );
    const ids = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]
      .filter((v) => v.Key !== undefined)
      .map((v) => ({ Key: v.Key as string, VersionId: v.VersionId }));
    if (ids.length > 0) await deleteBatch(ctx, bucket, ids);
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker);
}

export const bucketTeardown: KindTeardown = {
  async remove(ctx, ref, ledgerNamed) {
    return removeIfOurs(ctx, {
      tags: await bucketTags(ctx, ref.name),
      untaggedIsOurs: ledgerNamed,
      remove: async () => {
        await emptyBucket(ctx, ref.name);
        try {
          await ctx.clients.s3.send(new DeleteBucketCommand({ Bucket: ref.name }));
        } catch (err) {
          if (errorName(err) !== 'BucketNotEmpty') throw err;
          // Versioned objects or delete markers remain: remove them too, then retry once.
          await deleteVersions(ctx, ref.name);
          await ctx.clients.s3.send(new DeleteBucketCommand({ Bucket: ref.name }));
        }
      },
    });
  },
  sweep(ctx) {
    return sweepByPrefix(ctx, {
      // ListBuckets is not paginated: one page.
      page: async () => ({ items: (await ctx.clients.s3.send(new ListBucketsCommand({}))).Buckets ?? [] }),
      name: (b) => b.Name,
      arn: (_b, name) => bucketArn(name),
      tags: (name) => bucketTags(ctx, name),
    });
  },
};
