import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { createLogsService } from '../../../src/sandbox/logs/index.js';
import { SandboxClock } from '../../../src/sandbox/clock.js';
import { StateStore } from '../../../src/sandbox/store.js';
import { makeTempDir, startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';

describe('retention on the sandbox clock', () => {
  let t: TestSandbox;
  // One real millisecond is 100 sandbox seconds: a day passes in under a real second.
  beforeAll(async () => {
    t = await startTestSandbox({ timeScale: 100_000 });
  });
  afterAll(() => t.stop());

  it('expires events older than the group retention', async () => {
    const logs = new CloudWatchLogsClient(t.clientConfig);
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'short' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'short', logStreamName: 's' }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'short', retentionInDays: 1 }));
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: 'short',
        logStreamName: 's',
        logEvents: [{ timestamp: t.sandbox.clock.now(), message: 'soon gone' }],
      }),
    );
    const group = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'short' })))
      .logGroups![0]!;
    expect(group.storedBytes).toBe('soon gone'.length + 26);
    const deadline = t.sandbox.clock.now() + 2 * 86_400_000;
    while (t.sandbox.clock.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const got = await logs.send(new GetLogEventsCommand({ logGroupName: 'short', logStreamName: 's' }));
    expect(got.events).toEqual([]);
  });
});

describe('LogWriter (used by Lambda and Step Functions)', () => {
  it('appends to existing groups, creates streams, and creates groups only when asked', () => {
    const clock = new SandboxClock();
    const { writer } = createLogsService({
      store: new StateStore(makeTempDir()),
      clock,
      log: () => undefined,
    });
    const now = clock.now();
    expect(writer.groupExists('us-east-1', '/aws/lambda/f')).toBe(false);
    expect(writer.append('us-east-1', '/aws/lambda/f', 's', [{ timestamp: now, message: 'x' }])).toBe(false);
    expect(writer.groupExists('us-east-1', '/aws/lambda/f')).toBe(false);
    expect(
      writer.append(
        'us-east-1',
        '/aws/lambda/f',
        '2024/01/01/[$LATEST]abc',
        [{ timestamp: now, message: 'START' }],
        {
          createGroup: true,
        },
      ),
    ).toBe(true);
    expect(writer.groupExists('us-east-1', '/aws/lambda/f')).toBe(true);
    expect(writer.groupExists('eu-west-1', '/aws/lambda/f')).toBe(false);
    expect(
      writer.append('us-east-1', '/aws/lambda/f', '2024/01/01/[$LATEST]abc', [
        { timestamp: now + 1, message: 'END' },
      ]),
    ).toBe(true);
  });
});
