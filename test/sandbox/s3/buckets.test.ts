/** S3 bucket operations through the real SDK v3 client against an embedded sandbox. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketTaggingCommand,
  GetBucketLocationCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketTaggingCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketTaggingCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { thrownBy } from '../../helpers/awsErrors.js';

const awsError = (p: Promise<unknown>) => thrownBy(p, S3ServiceException);

let t: TestSandbox;
let s3: S3Client;

beforeAll(async () => {
  t = await startTestSandbox();
  s3 = new S3Client({ ...t.clientConfig });
});
afterAll(async () => {
  await t?.stop();
});

describe('CreateBucket / HeadBucket / ListBuckets / DeleteBucket', () => {
  it('creates a bucket in us-east-1 without a location constraint and lists it', async () => {
    const out = await s3.send(new CreateBucketCommand({ Bucket: 'alpha-bucket' }));
    expect(out.Location).toBe('/alpha-bucket');
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'alpha-bucket' }));
    expect(head.BucketRegion).toBe('us-east-1');
    const list = await s3.send(new ListBucketsCommand({}));
    const names = list.Buckets?.map((b) => b.Name);
    expect(names).toContain('alpha-bucket');
    const mine = list.Buckets!.find((b) => b.Name === 'alpha-bucket')!;
    expect(mine.CreationDate).toBeInstanceOf(Date);
    expect(Math.abs(mine.CreationDate!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(list.Owner?.ID).toBeTruthy();
    const loc = await s3.send(new GetBucketLocationCommand({ Bucket: 'alpha-bucket' }));
    expect(loc.LocationConstraint ?? '').toBe('');
  });

  it('rejects invalid bucket names with InvalidBucketName', async () => {
    for (const name of [
      'ab',
      'Upper-Case',
      'has_underscore',
      'ends-with-dash-',
      '192.168.5.4',
      'two..dots',
      'xn--punycode',
    ]) {
      const err = await awsError(s3.send(new CreateBucketCommand({ Bucket: name })));
      expect(err.name, name).toBe('InvalidBucketName');
      expect(err.$metadata.httpStatusCode).toBe(400);
    }
  });

  it('re-creating your own bucket is a no-op in us-east-1 and BucketAlreadyOwnedByYou elsewhere', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'twice-bucket' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'twice-bucket' }));
    const eu = new S3Client({ ...t.clientConfig, region: 'eu-west-1' });
    const cfg = { LocationConstraint: 'eu-west-1' as const };
    await eu.send(new CreateBucketCommand({ Bucket: 'eu-twice-bucket', CreateBucketConfiguration: cfg }));
    const err = await awsError(
      eu.send(new CreateBucketCommand({ Bucket: 'eu-twice-bucket', CreateBucketConfiguration: cfg })),
    );
    expect(err.name).toBe('BucketAlreadyOwnedByYou');
    expect(err.$metadata.httpStatusCode).toBe(409);
    const fromUs = await awsError(s3.send(new CreateBucketCommand({ Bucket: 'eu-twice-bucket' })));
    expect(fromUs.name).toBe('BucketAlreadyOwnedByYou');
  });

  it('applies the location-constraint rules of regional endpoints', async () => {
    const eu = new S3Client({ ...t.clientConfig, region: 'eu-west-1' });
    // (The SDK fills in a missing constraint from its region; the CLI test covers the missing case.)
    const wrong = await awsError(
      eu.send(
        new CreateBucketCommand({
          Bucket: 'wrong-constraint-bucket',
          CreateBucketConfiguration: { LocationConstraint: 'us-west-2' },
        }),
      ),
    );
    expect(wrong.name).toBe('IllegalLocationConstraintException');
    const explicitUsEast = await awsError(
      s3.send(
        new CreateBucketCommand({
          Bucket: 'explicit-us-east-bucket',
          CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as never },
        }),
      ),
    );
    expect(explicitUsEast.name).toBe('InvalidLocationConstraint');

    await eu.send(
      new CreateBucketCommand({
        Bucket: 'eu-bucket',
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    const loc = await s3.send(new GetBucketLocationCommand({ Bucket: 'eu-bucket' }));
    expect(loc.LocationConstraint).toBe('eu-west-1');
    expect((await eu.send(new HeadBucketCommand({ Bucket: 'eu-bucket' }))).BucketRegion).toBe('eu-west-1');
    // Object calls signed for the wrong region are refused, naming the right one.
    const misdirected = await awsError(
      s3.send(new PutObjectCommand({ Bucket: 'eu-bucket', Key: 'k', Body: 'x' })),
    );
    expect(misdirected.name).toBe('AuthorizationHeaderMalformed');
    expect(misdirected.message).toContain("expecting 'eu-west-1'");
  });

  it('HeadBucket on a missing bucket is a bodiless 404 (NotFound)', async () => {
    const err = await awsError(s3.send(new HeadBucketCommand({ Bucket: 'missing-bucket' })));
    expect(err.$metadata.httpStatusCode).toBe(404);
    expect(err.name).toBe('NotFound');
  });

  it('DeleteBucket: NoSuchBucket when missing, BucketNotEmpty with objects, 204 when empty', async () => {
    const missing = await awsError(s3.send(new DeleteBucketCommand({ Bucket: 'never-made-bucket' })));
    expect(missing.name).toBe('NoSuchBucket');
    expect((missing as unknown as { BucketName?: string }).BucketName).toBe('never-made-bucket');
    await s3.send(new CreateBucketCommand({ Bucket: 'full-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: 'full-bucket', Key: 'k', Body: 'x' }));
    const full = await awsError(s3.send(new DeleteBucketCommand({ Bucket: 'full-bucket' })));
    expect(full.name).toBe('BucketNotEmpty');
    expect(full.$metadata.httpStatusCode).toBe(409);
    await s3.send(new CreateBucketCommand({ Bucket: 'empty-bucket' }));
    const out = await s3.send(new DeleteBucketCommand({ Bucket: 'empty-bucket' }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    const gone = await awsError(s3.send(new HeadBucketCommand({ Bucket: 'empty-bucket' })));
    expect(gone.$metadata.httpStatusCode).toBe(404);
    // The name is free again, and the new bucket starts empty.
    await s3.send(new CreateBucketCommand({ Bucket: 'empty-bucket' }));
    expect(
      (await s3.send(new DeleteBucketCommand({ Bucket: 'empty-bucket' }))).$metadata.httpStatusCode,
    ).toBe(204);
  });
});

describe('bucket tagging', () => {
  it('puts, gets and deletes a tag set; NoSuchTagSet when none', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'tagged-bucket' }));
    const none = await awsError(s3.send(new GetBucketTaggingCommand({ Bucket: 'tagged-bucket' })));
    expect(none.name).toBe('NoSuchTagSet');
    expect(none.$metadata.httpStatusCode).toBe(404);
    const TagSet = [
      { Key: 'course', Value: 'pipelines' },
      { Key: 'owner', Value: 'a & b <c>' },
      { Key: 'empty', Value: '' },
    ];
    const put = await s3.send(new PutBucketTaggingCommand({ Bucket: 'tagged-bucket', Tagging: { TagSet } }));
    expect(put.$metadata.httpStatusCode).toBe(204);
    const got = await s3.send(new GetBucketTaggingCommand({ Bucket: 'tagged-bucket' }));
    expect(got.TagSet).toEqual(TagSet);
    await s3.send(new DeleteBucketTaggingCommand({ Bucket: 'tagged-bucket' }));
    const after = await awsError(s3.send(new GetBucketTaggingCommand({ Bucket: 'tagged-bucket' })));
    expect(after.name).toBe('NoSuchTagSet');
  });

  it('rejects duplicate keys and aws: prefixed keys with InvalidTag', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'bad-tags-bucket' }));
    const dup = await awsError(
      s3.send(
        new PutBucketTaggingCommand({
          Bucket: 'bad-tags-bucket',
          Tagging: {
            TagSet: [
              { Key: 'a', Value: '1' },
              { Key: 'a', Value: '2' },
            ],
          },
        }),
      ),
    );
    expect(dup.name).toBe('InvalidTag');
    const system = await awsError(
      s3.send(
        new PutBucketTaggingCommand({
          Bucket: 'bad-tags-bucket',
          Tagging: { TagSet: [{ Key: 'aws:cloudformation:stack', Value: 'x' }] },
        }),
      ),
    );
    expect(system.name).toBe('InvalidTag');
    const missing = await awsError(
      s3.send(new PutBucketTaggingCommand({ Bucket: 'no-such-tag-bucket', Tagging: { TagSet: [] } })),
    );
    expect(missing.name).toBe('NoSuchBucket');
  });
});

describe('bucket notification configuration', () => {
  it('is empty by default and round-trips EventBridgeConfiguration', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'notify-bucket' }));
    const empty = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'notify-bucket' }));
    expect(empty.EventBridgeConfiguration).toBeUndefined();
    expect(empty.LambdaFunctionConfigurations).toBeUndefined();
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: 'notify-bucket',
        NotificationConfiguration: {
          EventBridgeConfiguration: {},
          LambdaFunctionConfigurations: [
            {
              Id: 'on-raw',
              LambdaFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
              Events: ['s3:ObjectCreated:*'],
              Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'raw/' }] } },
            },
          ],
        },
      }),
    );
    const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'notify-bucket' }));
    expect(got.EventBridgeConfiguration).toEqual({});
    expect(got.LambdaFunctionConfigurations).toEqual([
      {
        Id: 'on-raw',
        LambdaFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
        Events: ['s3:ObjectCreated:*'],
        Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'raw/' }] } },
      },
    ]);
    // An empty configuration turns notifications off.
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: 'notify-bucket',
        NotificationConfiguration: {},
      }),
    );
    const cleared = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'notify-bucket' }));
    expect(cleared.EventBridgeConfiguration).toBeUndefined();
  });
});

describe('persistence', () => {
  it('buckets, tags and notification settings survive a restart', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'durable-bucket' }));
    await s3.send(
      new PutBucketTaggingCommand({
        Bucket: 'durable-bucket',
        Tagging: { TagSet: [{ Key: 'k', Value: 'v' }] },
      }),
    );
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: 'durable-bucket',
        NotificationConfiguration: { EventBridgeConfiguration: {} },
      }),
    );
    await t.restart();
    s3 = new S3Client({ ...t.clientConfig });
    const names = (await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name);
    expect(names).toContain('durable-bucket');
    expect(names).toContain('eu-bucket');
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket: 'durable-bucket' }))).TagSet).toEqual([
      { Key: 'k', Value: 'v' },
    ]);
    const n = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'durable-bucket' }));
    expect(n.EventBridgeConfiguration).toEqual({});
  });
});
