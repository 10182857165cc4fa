import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  PutRetentionPolicyCommand,
  TagLogGroupCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { errorOf } from '../../helpers/awsErrors.js';

describe('CloudWatch Logs groups through @aws-sdk/client-cloudwatch-logs', () => {
  let t: TestSandbox;
  let logs: CloudWatchLogsClient;
  beforeAll(async () => {
    t = await startTestSandbox();
    logs = new CloudWatchLogsClient(t.clientConfig);
  });
  afterAll(() => t.stop());

  it('creates, describes and deletes a log group', async () => {
    const before = t.sandbox.clock.now();
    await logs.send(
      new CreateLogGroupCommand({
        logGroupName: '/aws/lambda/fn-a',
        tags: { 'course:demo': 'demo1' },
        kmsKeyId: 'ignored',
      }),
    );
    const out = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/fn-a' }));
    expect(out.logGroups).toHaveLength(1);
    const g = out.logGroups![0]!;
    expect(g).toMatchObject({
      logGroupName: '/aws/lambda/fn-a',
      arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/fn-a:*',
      logGroupArn: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/fn-a',
      storedBytes: 0,
      metricFilterCount: 0,
    });
    expect(g.creationTime).toBeGreaterThanOrEqual(before);
    expect(g.retentionInDays).toBeUndefined();

    const dup = await errorOf(logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/lambda/fn-a' })));
    expect(dup).toMatchObject({ name: 'ResourceAlreadyExistsException', status: 400 });

    await logs.send(new DeleteLogGroupCommand({ logGroupName: '/aws/lambda/fn-a' }));
    const gone = await errorOf(logs.send(new DeleteLogGroupCommand({ logGroupName: '/aws/lambda/fn-a' })));
    expect(gone).toEqual({
      name: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
      status: 400,
    });
  });

  it('validates names with InvalidParameterException', async () => {
    const bad = await errorOf(logs.send(new CreateLogGroupCommand({ logGroupName: 'bad name*' })));
    expect(bad.name).toBe('InvalidParameterException');
    expect(bad.message).toMatch(
      /^1 validation error detected: Value 'bad name\*' at 'logGroupName' failed to satisfy constraint/,
    );
    const missing = await errorOf(logs.send(new CreateLogGroupCommand({} as never)));
    expect(missing.message).toContain("Value null at 'logGroupName'");
  });

  it('keeps groups per region', async () => {
    const eu = new CloudWatchLogsClient({ ...t.clientConfig, region: 'eu-west-1' });
    await eu.send(new CreateLogGroupCommand({ logGroupName: 'regional' }));
    const euList = await eu.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'regional' }));
    expect(euList.logGroups?.[0]?.arn).toBe('arn:aws:logs:eu-west-1:000000000000:log-group:regional:*');
    const usList = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'regional' }));
    expect(usList.logGroups).toEqual([]);
  });

  it('filters by prefix or pattern and pages with limit/nextToken', async () => {
    for (const n of ['page/a', 'page/b', 'page/c', 'other/PAGE-x']) {
      await logs.send(new CreateLogGroupCommand({ logGroupName: n }));
    }
    const first = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'page/', limit: 2 }));
    expect(first.logGroups?.map((g) => g.logGroupName)).toEqual(['page/a', 'page/b']);
    expect(first.nextToken).toBeTruthy();
    const second = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: 'page/', limit: 2, nextToken: first.nextToken }),
    );
    expect(second.logGroups?.map((g) => g.logGroupName)).toEqual(['page/c']);
    expect(second.nextToken).toBeUndefined();
    const byPattern = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'page' }));
    expect(byPattern.logGroups?.map((g) => g.logGroupName)).toEqual([
      'other/PAGE-x',
      'page/a',
      'page/b',
      'page/c',
    ]);
    const both = await errorOf(
      logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'x', logGroupNamePrefix: 'y' })),
    );
    expect(both.name).toBe('InvalidParameterException');
    const badLimit = await errorOf(logs.send(new DescribeLogGroupsCommand({ limit: 51 })));
    expect(badLimit.name).toBe('InvalidParameterException');
  });

  it('sets and removes retention, accepting only AWS values', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'retained' }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'retained', retentionInDays: 7 }));
    let g = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'retained' })))
      .logGroups![0]!;
    expect(g.retentionInDays).toBe(7);
    const bad = await errorOf(
      logs.send(new PutRetentionPolicyCommand({ logGroupName: 'retained', retentionInDays: 2 })),
    );
    expect(bad.name).toBe('InvalidParameterException');
    expect(bad.message).toContain('Member must satisfy enum value set: [1, 3, 5, 7, 14, 30');
    const missing = await errorOf(
      logs.send(new PutRetentionPolicyCommand({ logGroupName: 'ghost', retentionInDays: 1 })),
    );
    expect(missing.name).toBe('ResourceNotFoundException');
    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: 'retained' }));
    g = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'retained' }))).logGroups![0]!;
    expect(g.retentionInDays).toBeUndefined();
  });

  it('tags groups through both the ARN and the older name-based APIs', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'tagged', tags: { a: '1' } }));
    const arn = 'arn:aws:logs:us-east-1:000000000000:log-group:tagged';
    await logs.send(new TagResourceCommand({ resourceArn: arn, tags: { b: '2' } }));
    await logs.send(new TagLogGroupCommand({ logGroupName: 'tagged', tags: { c: '3' } }));
    expect((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({
      a: '1',
      b: '2',
      c: '3',
    });
    await logs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['a', 'c'] }));
    expect((await logs.send(new ListTagsLogGroupCommand({ logGroupName: 'tagged' }))).tags).toEqual({
      b: '2',
    });
    const ghost = await errorOf(
      logs.send(
        new ListTagsForResourceCommand({
          resourceArn: 'arn:aws:logs:us-east-1:000000000000:log-group:ghost',
        }),
      ),
    );
    expect(ghost.name).toBe('ResourceNotFoundException');
  });

  it('answers unknown operations and malformed JSON in the awsJson error shape', async () => {
    const bad = await errorOf(logs.send(new DescribeLogGroupsCommand({ limit: 'x' as unknown as number })));
    expect(bad.name).toBe('SerializationException');
  });

  it('persists groups and retention across a restart', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'durable' }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'durable', retentionInDays: 14 }));
    await t.restart();
    logs = new CloudWatchLogsClient(t.clientConfig);
    const g = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'durable' })))
      .logGroups![0]!;
    expect(g.retentionInDays).toBe(14);
  });
});
