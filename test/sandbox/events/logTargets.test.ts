/**
 * A CloudWatch Logs log group as a rule target, as on AWS: nothing is written until a Logs resource
 * policy lets events.amazonaws.com write into the group (a failed invocation meanwhile); then each
 * event is a log event in a stream named after the event id — the whole event, or what an input
 * transformer's {timestamp, message} says. Through the SDK v3 and the AWS CLI v2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  FilterLogEventsCommand,
  PutResourcePolicyCommand,
  type FilteredLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import {
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { awsCliJson } from '../../helpers/awsCli.js';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { AWS_CLI, requireTool } from '../../helpers/tools.js';

let sb: TestSandbox;
let eb: EventBridgeClient;
let logs: CloudWatchLogsClient;
const GROUP = '/aws/events/orders';
const groupArn = `arn:aws:logs:us-east-1:000000000000:log-group:${GROUP}`;

const trustEvents = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'TrustEventsToStoreLogEvent',
      Effect: 'Allow',
      Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/events/*:*',
    },
  ],
});

async function putEvent(detailType: string, detail: unknown): Promise<string> {
  const out = await eb.send(
    new PutEventsCommand({
      Entries: [{ Source: 'my.app', DetailType: detailType, Detail: JSON.stringify(detail) }],
    }),
  );
  return out.Entries![0]!.EventId!;
}

/** The group's events in the stream named `stream`, waiting briefly for delivery. */
async function eventsIn(stream: string, wantAtLeast = 1): Promise<FilteredLogEvent[]> {
  for (let i = 0; i < 100; i++) {
    const out = await logs.send(
      new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNames: [stream] }),
    );
    if ((out.events ?? []).length >= wantAtLeast) return out.events!;
    await new Promise((r) => setTimeout(r, 20));
  }
  return [];
}

beforeAll(async () => {
  sb = await startTestSandbox();
  eb = new EventBridgeClient(sb.clientConfig);
  logs = new CloudWatchLogsClient(sb.clientConfig);
  await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
  await eb.send(
    new PutRuleCommand({
      Name: 'to-logs',
      EventPattern: '{"source":["my.app"],"detail-type":["Order Placed"]}',
    }),
  );
  await eb.send(new PutTargetsCommand({ Rule: 'to-logs', Targets: [{ Id: 'log', Arn: groupArn }] }));
});
afterAll(async () => {
  await sb?.stop();
});

describe('log-group targets', () => {
  it('without a resource policy nothing is written, and the invocation counts as failed', async () => {
    const id = await putEvent('Order Placed', { order: 1 });
    const cw = new CloudWatchClient(sb.clientConfig);
    let failed = 0;
    for (let i = 0; i < 100 && failed === 0; i++) {
      const stats = await cw.send(
        new GetMetricStatisticsCommand({
          Namespace: 'AWS/Events',
          MetricName: 'FailedInvocations',
          Dimensions: [{ Name: 'RuleName', Value: 'to-logs' }],
          StartTime: new Date(sb.sandbox.clock.now() - 3_600_000),
          EndTime: new Date(sb.sandbox.clock.now() + 60_000),
          Period: 60,
          Statistics: ['Sum'],
        }),
      );
      failed = (stats.Datapoints ?? []).reduce((a, d) => a + (d.Sum ?? 0), 0);
      if (failed === 0) await new Promise((r) => setTimeout(r, 20));
    }
    expect(failed).toBe(1);
    // The delivery has been tried and refused: nothing reached the group.
    const out = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP }));
    expect(out.events).toEqual([]);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('with the policy, each event is a log event in a stream named after the event id', async () => {
    await logs.send(
      new PutResourcePolicyCommand({
        policyName: 'TrustEventsToStoreLogEvents',
        policyDocument: trustEvents,
      }),
    );
    const id = await putEvent('Order Placed', { order: 2 });
    const [written] = await eventsIn(id);
    const event = JSON.parse(written!.message!);
    expect(event).toMatchObject({
      id,
      source: 'my.app',
      'detail-type': 'Order Placed',
      account: '000000000000',
      region: 'us-east-1',
      detail: { order: 2 },
    });
    expect(written!.timestamp).toBe(Date.parse(event.time));
  });

  it('an input transformer’s {timestamp, message} become the log event', async () => {
    await eb.send(
      new PutRuleCommand({
        Name: 'to-logs-short',
        EventPattern: '{"source":["my.app"],"detail-type":["Order Shipped"]}',
      }),
    );
    await eb.send(
      new PutTargetsCommand({
        Rule: 'to-logs-short',
        Targets: [
          {
            Id: 'short',
            Arn: `${groupArn}:*`,
            InputTransformer: {
              InputPathsMap: { t: '$.time', o: '$.detail.order' },
              InputTemplate: '{"timestamp": <t>, "message": "order <o> shipped"}',
            },
          },
        ],
      }),
    );
    const id = await putEvent('Order Shipped', { order: 3 });
    const [written] = await eventsIn(id);
    expect(written!.message).toBe('order 3 shipped');
  });

  it('the AWS CLI sees the stream and its event', async () => {
    requireTool(AWS_CLI, 'awscli');
    const id = await putEvent('Order Placed', { order: 4 });
    expect(await eventsIn(id)).toHaveLength(1);
    const out = await awsCliJson(sb, [
      'logs',
      'get-log-events',
      '--log-group-name',
      GROUP,
      '--log-stream-name',
      id,
    ]);
    const [event] = out.events as Array<{ message: string }>;
    expect(JSON.parse(event!.message).detail).toEqual({ order: 4 });
  });
});
