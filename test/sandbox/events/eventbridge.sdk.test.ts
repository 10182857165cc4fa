/** EventBridge API conformance through @aws-sdk/client-eventbridge against an embedded sandbox. */
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  ListEventBusesCommand,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TagResourceCommand,
  TestEventPatternCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { thrownBy } from '../../helpers/awsErrors.js';

const error = (p: Promise<unknown>) => thrownBy<{ name: string; message: string }>(p);

let t: TestSandbox;
let eb: EventBridgeClient;
const fn = 'arn:aws:lambda:us-east-1:000000000000:function:target-fn';

beforeAll(async () => {
  t = await startTestSandbox();
  eb = new EventBridgeClient(t.clientConfig);
}, 60_000);

afterAll(async () => {
  await t?.stop();
});

describe('rules', () => {
  it('PutRule creates, DescribeRule and ListRules show it', async () => {
    const pattern = JSON.stringify({ source: ['my.app'] });
    const out = await eb.send(
      new PutRuleCommand({ Name: 'r-pattern', EventPattern: pattern, Description: 'd1' }),
    );
    expect(out.RuleArn).toBe('arn:aws:events:us-east-1:000000000000:rule/r-pattern');
    const d = await eb.send(new DescribeRuleCommand({ Name: 'r-pattern' }));
    expect(d).toMatchObject({
      Name: 'r-pattern',
      State: 'ENABLED',
      EventPattern: pattern,
      Description: 'd1',
      EventBusName: 'default',
    });
    await eb.send(
      new PutRuleCommand({ Name: 'r-sched', ScheduleExpression: 'rate(5 minutes)', State: 'DISABLED' }),
    );
    const list = await eb.send(new ListRulesCommand({ NamePrefix: 'r-' }));
    expect(list.Rules?.map((r) => r.Name)).toEqual(['r-pattern', 'r-sched']);
    expect(list.Rules?.[1]).toMatchObject({ ScheduleExpression: 'rate(5 minutes)', State: 'DISABLED' });
  });

  it('ListRules paginates with Limit / NextToken', async () => {
    for (const n of ['p-1', 'p-2', 'p-3']) {
      await eb.send(new PutRuleCommand({ Name: n, ScheduleExpression: 'rate(1 hour)', State: 'DISABLED' }));
    }
    const first = await eb.send(new ListRulesCommand({ NamePrefix: 'p-', Limit: 2 }));
    expect(first.Rules?.map((r) => r.Name)).toEqual(['p-1', 'p-2']);
    const second = await eb.send(
      new ListRulesCommand({ NamePrefix: 'p-', Limit: 2, NextToken: first.NextToken }),
    );
    expect(second.Rules?.map((r) => r.Name)).toEqual(['p-3']);
    expect(second.NextToken).toBeUndefined();
  });

  it('Enable/DisableRule switch State', async () => {
    await eb.send(new DisableRuleCommand({ Name: 'r-pattern' }));
    expect((await eb.send(new DescribeRuleCommand({ Name: 'r-pattern' }))).State).toBe('DISABLED');
    await eb.send(new EnableRuleCommand({ Name: 'r-pattern' }));
    expect((await eb.send(new DescribeRuleCommand({ Name: 'r-pattern' }))).State).toBe('ENABLED');
  });

  it('unknown rule is ResourceNotFoundException in AWS words', async () => {
    const e = await error(eb.send(new DescribeRuleCommand({ Name: 'nope' })));
    expect(e.name).toBe('ResourceNotFoundException');
    expect(e.message).toBe('Rule nope does not exist on EventBus default.');
    expect((await error(eb.send(new EnableRuleCommand({ Name: 'nope' })))).name).toBe(
      'ResourceNotFoundException',
    );
  });

  it('rejects invalid schedules, patterns and missing both', async () => {
    for (const expr of [
      'rate(1 minutes)',
      'rate(5 minute)',
      'cron(0 12 * * * *)',
      'cron(0 12 * *)',
      'every 5 minutes',
    ]) {
      const e = await error(eb.send(new PutRuleCommand({ Name: 'bad', ScheduleExpression: expr })));
      expect(e.name).toBe('ValidationException');
      expect(e.message).toBe('Parameter ScheduleExpression is not valid.');
    }
    const p = await error(eb.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"source":"x"}' })));
    expect(p.name).toBe('InvalidEventPatternException');
    expect(p.message).toBe('Event pattern is not valid. Reason: "source" must be an object or an array');
    const none = await error(eb.send(new PutRuleCommand({ Name: 'bad' })));
    expect(none.name).toBe('ValidationException');
    const name = await error(
      eb.send(new PutRuleCommand({ Name: 'bad name!', ScheduleExpression: 'rate(1 day)' })),
    );
    expect(name.message).toMatch(/^1 validation error detected: Value 'bad name!' at 'name'|at 'Name'/);
  });

  it('PutRule on an existing rule updates it in place and keeps targets', async () => {
    await eb.send(new PutRuleCommand({ Name: 'upd', EventPattern: '{"source":["a"]}' }));
    await eb.send(new PutTargetsCommand({ Rule: 'upd', Targets: [{ Id: 't1', Arn: fn }] }));
    await eb.send(new PutRuleCommand({ Name: 'upd', EventPattern: '{"source":["b"]}' }));
    expect((await eb.send(new DescribeRuleCommand({ Name: 'upd' }))).EventPattern).toBe('{"source":["b"]}');
    expect((await eb.send(new ListTargetsByRuleCommand({ Rule: 'upd' }))).Targets).toHaveLength(1);
  });
});

describe('targets', () => {
  it('PutTargets / ListTargetsByRule / ListRuleNamesByTarget / RemoveTargets', async () => {
    await eb.send(new PutRuleCommand({ Name: 'tg', EventPattern: '{"source":["my.app"]}' }));
    const put = await eb.send(
      new PutTargetsCommand({
        Rule: 'tg',
        Targets: [
          { Id: 'a', Arn: fn, Input: '{"k":1}' },
          {
            Id: 'b',
            Arn: fn,
            InputTransformer: { InputPathsMap: { s: '$.source' }, InputTemplate: '{"src": <s>}' },
            RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 },
            DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:dlq' },
          },
        ],
      }),
    );
    expect(put.FailedEntryCount).toBe(0);
    const targets = (await eb.send(new ListTargetsByRuleCommand({ Rule: 'tg' }))).Targets!;
    expect(targets.map((x) => x.Id)).toEqual(['a', 'b']);
    expect(targets[1]).toMatchObject({
      RetryPolicy: { MaximumRetryAttempts: 2 },
      InputTransformer: { InputTemplate: '{"src": <s>}' },
    });
    const names = await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: fn }));
    expect(names.RuleNames).toContain('tg');
    const rm = await eb.send(new RemoveTargetsCommand({ Rule: 'tg', Ids: ['a', 'zzz'] }));
    expect(rm.FailedEntryCount).toBe(1);
    expect(rm.FailedEntries?.[0]).toMatchObject({ TargetId: 'zzz' });
    expect((await eb.send(new ListTargetsByRuleCommand({ Rule: 'tg' }))).Targets?.map((x) => x.Id)).toEqual([
      'b',
    ]);
  });

  it('refuses a bad target as a request error, storing none of the batch (see putTargets.test.ts)', async () => {
    await eb.send(new PutRuleCommand({ Name: 'tg2', EventPattern: '{"source":["my.app"]}' }));
    const e = await error(
      eb.send(
        new PutTargetsCommand({
          Rule: 'tg2',
          Targets: [
            { Id: 'ok', Arn: fn },
            { Id: 'sfn', Arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:sm' },
          ],
        }),
      ),
    );
    expect(e.name).toBe('ValidationException');
    expect(e.message).toBe(
      'RoleArn is required for target arn:aws:states:us-east-1:000000000000:stateMachine:sm.',
    );
    const listed = await eb.send(new ListTargetsByRuleCommand({ Rule: 'tg2' }));
    expect(listed.Targets).toEqual([]);
  });

  it('allows at most 5 targets per rule', async () => {
    await eb.send(new PutRuleCommand({ Name: 'many', EventPattern: '{"source":["my.app"]}' }));
    const six = Array.from({ length: 6 }, (_, i) => ({ Id: `t${i}`, Arn: fn }));
    expect((await error(eb.send(new PutTargetsCommand({ Rule: 'many', Targets: six })))).name).toBe(
      'LimitExceededException',
    );
  });

  it('DeleteRule is refused while targets remain, then succeeds', async () => {
    await eb.send(new PutRuleCommand({ Name: 'del', EventPattern: '{"source":["x"]}' }));
    await eb.send(new PutTargetsCommand({ Rule: 'del', Targets: [{ Id: 'x', Arn: fn }] }));
    const e = await error(eb.send(new DeleteRuleCommand({ Name: 'del' })));
    expect(e.name).toBe('ValidationException');
    expect(e.message).toBe("Rule can't be deleted since it has targets.");
    await eb.send(new RemoveTargetsCommand({ Rule: 'del', Ids: ['x'] }));
    await eb.send(new DeleteRuleCommand({ Name: 'del' }));
    expect((await error(eb.send(new DescribeRuleCommand({ Name: 'del' })))).name).toBe(
      'ResourceNotFoundException',
    );
  });
});

describe('PutEvents and TestEventPattern', () => {
  it('returns an EventId per entry and per-entry errors', async () => {
    const out = await eb.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'my.app', DetailType: 'thing', Detail: '{"a":1}' },
          { Source: 'my.app', DetailType: 'thing', Detail: '[1,2]' },
          { Source: 'my.app', DetailType: 'thing', Detail: 'not json' },
          { DetailType: 'thing', Detail: '{}' },
          { Source: 'my.app', Detail: '{}' },
          { Source: 'aws.s3', DetailType: 'thing', Detail: '{}' },
          { Source: 'my.app', DetailType: 'thing', Detail: '{}', EventBusName: 'missing-bus' },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(6);
    expect(out.Entries?.[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.Entries?.slice(1).map((e) => e.ErrorCode)).toEqual([
      'MalformedDetail',
      'MalformedDetail',
      'InvalidArgument',
      'InvalidArgument',
      'NotAuthorizedForSourceException',
      'ResourceNotFoundException',
    ]);
    expect(out.Entries?.[3]?.ErrorMessage).toBe(
      'Parameter Source is not valid. Reason: Source is a required argument.',
    );
  });

  it('refuses more than 10 entries', async () => {
    const entries = Array.from({ length: 11 }, () => ({ Source: 'a', DetailType: 'b', Detail: '{}' }));
    expect((await error(eb.send(new PutEventsCommand({ Entries: entries })))).name).toBe(
      'ValidationException',
    );
  });

  it('TestEventPattern matches and rejects bad patterns', async () => {
    const event = JSON.stringify({
      id: '1',
      account: '000000000000',
      source: 'aws.s3',
      time: '2024-01-01T00:00:00Z',
      region: 'us-east-1',
      resources: [],
      'detail-type': 'Object Created',
      detail: { object: { key: 'incoming/a.csv' } },
    });
    const yes = await eb.send(
      new TestEventPatternCommand({
        Event: event,
        EventPattern: '{"detail":{"object":{"key":[{"prefix":"incoming/"}]}}}',
      }),
    );
    expect(yes.Result).toBe(true);
    const no = await eb.send(
      new TestEventPatternCommand({ Event: event, EventPattern: '{"source":["aws.ec2"]}' }),
    );
    expect(no.Result).toBe(false);
    const bad = await error(
      eb.send(new TestEventPatternCommand({ Event: event, EventPattern: '{"a":[{"numeric":[">"]}]}' })),
    );
    expect(bad.name).toBe('InvalidEventPatternException');
    const badEvent = await error(
      eb.send(new TestEventPatternCommand({ Event: '{}', EventPattern: '{"a":["b"]}' })),
    );
    expect(badEvent.name).toBe('ValidationException');
  });
});

describe('event buses and tags', () => {
  it('default bus always exists and cannot be deleted', async () => {
    const d = await eb.send(new DescribeEventBusCommand({}));
    expect(d).toMatchObject({
      Name: 'default',
      Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/default',
    });
    expect((await error(eb.send(new DeleteEventBusCommand({ Name: 'default' })))).name).toBe(
      'ValidationException',
    );
  });

  it('Create / Describe / List / Delete a custom bus', async () => {
    const c = await eb.send(new CreateEventBusCommand({ Name: 'orders', Description: 'order events' }));
    expect(c.EventBusArn).toBe('arn:aws:events:us-east-1:000000000000:event-bus/orders');
    expect((await error(eb.send(new CreateEventBusCommand({ Name: 'orders' })))).name).toBe(
      'ResourceAlreadyExistsException',
    );
    const list = await eb.send(new ListEventBusesCommand({}));
    expect(list.EventBuses?.map((b) => b.Name)).toEqual(['default', 'orders']);
    await eb.send(
      new PutRuleCommand({ Name: 'on-orders', EventBusName: 'orders', EventPattern: '{"source":["o"]}' }),
    );
    expect((await eb.send(new DescribeRuleCommand({ Name: 'on-orders', EventBusName: 'orders' }))).Arn).toBe(
      'arn:aws:events:us-east-1:000000000000:rule/orders/on-orders',
    );
    const sched = await error(
      eb.send(new PutRuleCommand({ Name: 's', EventBusName: 'orders', ScheduleExpression: 'rate(1 day)' })),
    );
    expect(sched.name).toBe('ValidationException');
    await eb.send(new DeleteRuleCommand({ Name: 'on-orders', EventBusName: 'orders' }));
    await eb.send(new DeleteEventBusCommand({ Name: 'orders' }));
    const gone = await error(eb.send(new DescribeEventBusCommand({ Name: 'orders' })));
    expect(gone.name).toBe('ResourceNotFoundException');
    const ruleOnMissingBus = await error(
      eb.send(new PutRuleCommand({ Name: 'x', EventBusName: 'orders', EventPattern: '{"a":["b"]}' })),
    );
    expect(ruleOnMissingBus.name).toBe('ResourceNotFoundException');
  });

  it('TagResource / ListTagsForResource / UntagResource on rules, and Tags on PutRule', async () => {
    const { RuleArn } = await eb.send(
      new PutRuleCommand({
        Name: 'tagged',
        ScheduleExpression: 'rate(1 day)',
        State: 'DISABLED',
        Tags: [{ Key: 'course:demo', Value: 'demo1' }],
      }),
    );
    await eb.send(new TagResourceCommand({ ResourceARN: RuleArn, Tags: [{ Key: 'b', Value: '2' }] }));
    expect((await eb.send(new ListTagsForResourceCommand({ ResourceARN: RuleArn }))).Tags).toEqual([
      { Key: 'course:demo', Value: 'demo1' },
      { Key: 'b', Value: '2' },
    ]);
    await eb.send(new UntagResourceCommand({ ResourceARN: RuleArn, TagKeys: ['course:demo'] }));
    expect((await eb.send(new ListTagsForResourceCommand({ ResourceARN: RuleArn }))).Tags).toEqual([
      { Key: 'b', Value: '2' },
    ]);
    const missing = await error(
      eb.send(
        new ListTagsForResourceCommand({ ResourceARN: 'arn:aws:events:us-east-1:000000000000:rule/none' }),
      ),
    );
    expect(missing.name).toBe('ResourceNotFoundException');
  });
});

describe('persistence', () => {
  it('rules, targets and buses survive a restart', async () => {
    await eb.send(new CreateEventBusCommand({ Name: 'kept' }));
    await t.restart();
    eb = new EventBridgeClient(t.clientConfig);
    expect((await eb.send(new DescribeRuleCommand({ Name: 'tg' }))).Name).toBe('tg');
    expect((await eb.send(new ListTargetsByRuleCommand({ Rule: 'tg' }))).Targets?.map((x) => x.Id)).toEqual([
      'b',
    ]);
    expect((await eb.send(new DescribeEventBusCommand({ Name: 'kept' }))).Name).toBe('kept');
  }, 60_000);
});
