import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogStreamCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { errorOf } from '../../helpers/awsErrors.js';

describe('CloudWatch Logs streams and events through @aws-sdk/client-cloudwatch-logs', () => {
  let t: TestSandbox;
  let logs: CloudWatchLogsClient;
  const group = '/aws/lambda/events-fn';
  beforeAll(async () => {
    t = await startTestSandbox();
    logs = new CloudWatchLogsClient(t.clientConfig);
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  });
  afterAll(() => t.stop());

  const put = (stream: string, messages: string[], base = t.sandbox.clock.now() - 60_000) =>
    logs.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: stream,
        logEvents: messages.map((message, i) => ({ timestamp: base + i, message })),
      }),
    );

  it('creates, describes (ordered) and deletes streams', async () => {
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 's-b' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 's-a' }));
    const dup = await errorOf(
      logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 's-a' })),
    );
    expect(dup.name).toBe('ResourceAlreadyExistsException');
    const noGroup = await errorOf(
      logs.send(new CreateLogStreamCommand({ logGroupName: 'ghost', logStreamName: 'x' })),
    );
    expect(noGroup).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });

    await put('s-b', ['newer'], t.sandbox.clock.now() - 1000);
    await put('s-a', ['older'], t.sandbox.clock.now() - 5000);
    const byName = await logs.send(
      new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: 's-' }),
    );
    expect(byName.logStreams?.map((s) => s.logStreamName)).toEqual(['s-a', 's-b']);
    expect(byName.logStreams?.[0]?.arn).toBe(
      `arn:aws:logs:us-east-1:000000000000:log-group:${group}:log-stream:s-a`,
    );
    const byTime = await logs.send(
      new DescribeLogStreamsCommand({
        logGroupName: group,
        orderBy: 'LastEventTime',
        descending: true,
        limit: 1,
      }),
    );
    expect(byTime.logStreams?.map((s) => s.logStreamName)).toEqual(['s-b']);
    expect(byTime.nextToken).toBeTruthy();
    const rest = await logs.send(
      new DescribeLogStreamsCommand({
        logGroupName: group,
        orderBy: 'LastEventTime',
        descending: true,
        nextToken: byTime.nextToken,
      }),
    );
    expect(rest.logStreams?.map((s) => s.logStreamName)).toEqual(['s-a']);
    const both = await errorOf(
      logs.send(
        new DescribeLogStreamsCommand({
          logGroupName: group,
          orderBy: 'LastEventTime',
          logStreamNamePrefix: 's',
        }),
      ),
    );
    expect(both.name).toBe('InvalidParameterException');

    await logs.send(new DeleteLogStreamCommand({ logGroupName: group, logStreamName: 's-a' }));
    const gone = await errorOf(
      logs.send(new DeleteLogStreamCommand({ logGroupName: group, logStreamName: 's-a' })),
    );
    expect(gone).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log stream does not exist.',
    });
  });

  it('PutLogEvents enforces order and the 24-hour span, and rejects too old/new events by index', async () => {
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'rules' }));
    const now = t.sandbox.clock.now();
    const unordered = await errorOf(
      logs.send(
        new PutLogEventsCommand({
          logGroupName: group,
          logStreamName: 'rules',
          logEvents: [
            { timestamp: now, message: 'b' },
            { timestamp: now - 1, message: 'a' },
          ],
        }),
      ),
    );
    expect(unordered).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Log events in a single PutLogEvents request must be in chronological order.',
    });
    const span = await errorOf(
      logs.send(
        new PutLogEventsCommand({
          logGroupName: group,
          logStreamName: 'rules',
          logEvents: [
            { timestamp: now - 25 * 3_600_000, message: 'a' },
            { timestamp: now, message: 'b' },
          ],
        }),
      ),
    );
    expect(span.message).toContain('cannot span more than 24 hours');
    const out = await logs.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: 'rules',
        logEvents: [
          { timestamp: now - 15 * 86_400_000, message: 'too old' },
          { timestamp: now - 15 * 86_400_000 + 3_600_000, message: 'too old too' },
        ],
      }),
    );
    expect(out.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 1 });
    const future = await logs.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: 'rules',
        logEvents: [
          { timestamp: now, message: 'ok' },
          { timestamp: now + 3 * 3_600_000, message: 'too new' },
        ],
      }),
    );
    expect(future.rejectedLogEventsInfo).toEqual({ tooNewLogEventStartIndex: 1 });
    expect(future.nextSequenceToken).toMatch(/^\d+$/);
    const got = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 'rules' }));
    expect(got.events?.map((e) => e.message)).toEqual(['ok']);
    const empty = await errorOf(
      logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 'rules', logEvents: [] })),
    );
    expect(empty.name).toBe('InvalidParameterException');
    const noStream = await errorOf(
      logs.send(
        new PutLogEventsCommand({
          logGroupName: group,
          logStreamName: 'ghost',
          logEvents: [{ timestamp: now, message: 'x' }],
        }),
      ),
    );
    expect(noStream.message).toBe('The specified log stream does not exist.');
  });

  it('GetLogEvents pages forward and backward with AWS token semantics', async () => {
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'paged' }));
    const base = t.sandbox.clock.now() - 100_000;
    await put('paged', ['e0', 'e1', 'e2', 'e3', 'e4'], base);

    const tail = await logs.send(
      new GetLogEventsCommand({ logGroupName: group, logStreamName: 'paged', limit: 2 }),
    );
    expect(tail.events?.map((e) => e.message)).toEqual(['e3', 'e4']);
    const before = await logs.send(
      new GetLogEventsCommand({
        logGroupName: group,
        logStreamName: 'paged',
        limit: 2,
        nextToken: tail.nextBackwardToken,
      }),
    );
    expect(before.events?.map((e) => e.message)).toEqual(['e1', 'e2']);

    const head = await logs.send(
      new GetLogEventsCommand({ logGroupName: group, logStreamName: 'paged', limit: 2, startFromHead: true }),
    );
    expect(head.events?.map((e) => e.message)).toEqual(['e0', 'e1']);
    expect(head.events?.[0]).toMatchObject({ timestamp: base });
    expect(head.events?.[0]?.ingestionTime).toBeGreaterThanOrEqual(base);
    const seen = [...head.events!.map((e) => e.message)];
    let token = head.nextForwardToken;
    for (;;) {
      const page = await logs.send(
        new GetLogEventsCommand({ logGroupName: group, logStreamName: 'paged', limit: 2, nextToken: token }),
      );
      seen.push(...page.events!.map((e) => e.message!));
      // The end of the stream is where the forward token stops changing.
      if (page.nextForwardToken === token) break;
      token = page.nextForwardToken;
    }
    expect(seen).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);

    const window = await logs.send(
      new GetLogEventsCommand({
        logGroupName: group,
        logStreamName: 'paged',
        startTime: base + 1,
        endTime: base + 3,
        startFromHead: true,
      }),
    );
    expect(window.events?.map((e) => e.message)).toEqual(['e1', 'e2']);
    const badToken = await errorOf(
      logs.send(
        new GetLogEventsCommand({ logGroupName: group, logStreamName: 'paged', nextToken: 'garbage' }),
      ),
    );
    expect(badToken.name).toBe('InvalidParameterException');
  });

  it('FilterLogEvents matches terms, phrases, ?alternatives, -exclusions and JSON patterns across streams', async () => {
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'f-1' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'f-2' }));
    const base = t.sandbox.clock.now() - 50_000;
    await put('f-1', ['ERROR disk full', 'INFO started job', 'WARN slow disk'], base);
    await put(
      'f-2',
      ['ERROR timeout after 3s', '{"level":"ERROR","ms":250,"user":{"id":7}}', '{"level":"INFO","ms":5}'],
      base + 10,
    );
    const filter = async (filterPattern: string, extra: Record<string, unknown> = {}) =>
      (
        await logs.send(
          new FilterLogEventsCommand({
            logGroupName: group,
            logStreamNamePrefix: 'f-',
            filterPattern,
            ...extra,
          }),
        )
      ).events!.map((e) => e.message);

    expect(await filter('ERROR')).toEqual([
      'ERROR disk full',
      'ERROR timeout after 3s',
      '{"level":"ERROR","ms":250,"user":{"id":7}}',
    ]);
    expect(await filter('ERROR disk')).toEqual(['ERROR disk full']);
    expect(await filter('"started job"')).toEqual(['INFO started job']);
    expect(await filter('?WARN ?timeout')).toEqual(['WARN slow disk', 'ERROR timeout after 3s']);
    expect(await filter('disk -ERROR')).toEqual(['WARN slow disk']);
    expect(await filter('{ $.level = "ERROR" && $.ms > 100 }')).toEqual([
      '{"level":"ERROR","ms":250,"user":{"id":7}}',
    ]);
    expect(await filter('{ $.user.id = 7 || $.ms < 10 }')).toEqual([
      '{"level":"ERROR","ms":250,"user":{"id":7}}',
      '{"level":"INFO","ms":5}',
    ]);
    expect(await filter('{ $.level = "INF*" }')).toEqual(['{"level":"INFO","ms":5}']);
    expect(
      await filter('', {
        logStreamNamePrefix: undefined,
        logStreamNames: ['f-2'],
        startTime: base + 11,
        endTime: base + 12,
      }),
    ).toHaveLength(2);

    const first = await logs.send(
      new FilterLogEventsCommand({ logGroupName: group, logStreamNamePrefix: 'f-', limit: 4 }),
    );
    expect(first.events).toHaveLength(4);
    expect(first.events![0]).toMatchObject({ logStreamName: 'f-1', timestamp: base });
    expect(first.events![0]!.eventId).toMatch(/^\d+$/);
    const second = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: group,
        logStreamNamePrefix: 'f-',
        limit: 4,
        nextToken: first.nextToken,
      }),
    );
    expect(second.events?.map((e) => e.message)).toEqual([
      '{"level":"ERROR","ms":250,"user":{"id":7}}',
      '{"level":"INFO","ms":5}',
    ]);
    expect(second.nextToken).toBeUndefined();

    const bad = await errorOf(
      logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: '{ $.level = ' })),
    );
    expect(bad.name).toBe('InvalidParameterException');
    const both = await errorOf(
      logs.send(
        new FilterLogEventsCommand({ logGroupName: group, logStreamNames: ['a'], logStreamNamePrefix: 'a' }),
      ),
    );
    expect(both.name).toBe('InvalidParameterException');
  });

  it('reports stored bytes and keeps events across a restart', async () => {
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'durable' }));
    await put('durable', ['kept 1', 'kept 2']);
    await t.restart();
    logs = new CloudWatchLogsClient(t.clientConfig);
    const got = await logs.send(
      new GetLogEventsCommand({ logGroupName: group, logStreamName: 'durable', startFromHead: true }),
    );
    expect(got.events?.map((e) => e.message)).toEqual(['kept 1', 'kept 2']);
  });
});
