/**
 * Routing, delivery and schedules with in-process fakes for Lambda, Step Functions and IAM, so the
 * behaviour (payload shaping, retries, failure counting, scheduled events) is checked precisely.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SandboxClock } from '../../../src/sandbox/clock.js';
import type { InvokeRequest, MetricDatum, StartExecutionRequest } from '../../../src/sandbox/contracts.js';
import { AwsError } from '../../../src/sandbox/errors.js';
import { createEventBridgeService, type EventBridgeService } from '../../../src/sandbox/events/index.js';
import { StateStore } from '../../../src/sandbox/store.js';
import { makeTempDir } from '../../helpers/sandbox.js';

const fnArn = 'arn:aws:lambda:us-east-1:000000000000:function:f';
const smArn = 'arn:aws:states:us-east-1:000000000000:stateMachine:sm';
const goodRole = 'arn:aws:iam::000000000000:role/events-role';
const untrustingRole = 'arn:aws:iam::000000000000:role/lambda-role';

interface Harness {
  svc: EventBridgeService;
  clock: SandboxClock;
  invokes: InvokeRequest[];
  executions: StartExecutionRequest[];
  metrics: MetricDatum[];
  logs: string[];
  call(op: string, input: unknown): Promise<Record<string, unknown>>;
  lambdaBehaviour: (req: InvokeRequest) => void;
}

const harnesses: Harness[] = [];

function harness(timeScale = 1, stateDir = makeTempDir()): Harness {
  const clock = new SandboxClock(timeScale, Date.parse('2024-05-01T10:00:30Z'));
  const h = {
    clock,
    invokes: [],
    executions: [],
    metrics: [],
    logs: [],
    lambdaBehaviour: () => undefined,
  } as unknown as Harness;
  h.svc = createEventBridgeService({
    store: new StateStore(stateDir),
    clock,
    log: (l) => h.logs.push(l),
    metrics: { record: (d) => h.metrics.push(d) },
    iam: {
      findRoleByArn: (arn) => ([goodRole, untrustingRole].includes(arn) ? ({ arn } as never) : undefined),
      roleTrustsService: (arn, principal) => arn === goodRole && principal === 'events.amazonaws.com',
      authorize: () => 'allowed',
      authorizeByResourcePolicies: () => 'allowed',
      issueRoleSession: () => ({ accessKeyId: 'ASIATEST', secretAccessKey: 'secret', sessionToken: 'token' }),
      findSession: () => undefined,
      revokeSession: () => undefined,
    },
    lambda: {
      invoke: async (req) => {
        h.invokes.push(req);
        h.lambdaBehaviour(req);
        return { statusCode: 202, payload: Buffer.alloc(0), executedVersion: '$LATEST' };
      },
    },
    stepFunctions: {
      startExecution: async (req) => {
        h.executions.push(req);
        return { executionArn: `${req.stateMachineArn}:x`, startDate: 0 };
      },
    },
    // Log-group targets are tested through the real Logs service (test/sandbox/events/logTargets.test.ts).
    logs: { groupExists: () => false, append: () => false },
    logPolicies: { permits: () => false, createLogDelivery: () => 'accessDenied' },
  });
  h.call = async (op, input) => {
    const res = await h.svc.endpoint.handle({
      method: 'POST',
      rawPath: '/',
      path: '/',
      rawQuery: '',
      query: new URLSearchParams(),
      headers: { 'x-amz-target': `AWSEvents.${op}` },
      body: Buffer.from(JSON.stringify(input)),
      region: 'us-east-1',
      accountId: '000000000000',
      requestId: 'r',
      accessKeyId: 'AKIA',
      endpoint: 'http://127.0.0.1',
    });
    return JSON.parse(String(res.body)) as Record<string, unknown>;
  };
  harnesses.push(h);
  return h;
}

afterEach(async () => {
  for (const h of harnesses.splice(0)) {
    await h.svc.stop?.();
    h.clock.stop();
  }
});

const until = async (cond: () => boolean, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

const putEvent = (h: Harness, detail: unknown, source = 'my.app') =>
  h.call('PutEvents', {
    Entries: [{ Source: source, DetailType: 'thing happened', Detail: JSON.stringify(detail) }],
  });

describe('delivery to targets', () => {
  it('invokes a Lambda target asynchronously as events.amazonaws.com with the rule ARN, full event as payload', async () => {
    const h = harness();
    await h.call('PutRule', {
      Name: 'r',
      EventPattern: '{"source":["my.app"],"detail":{"n":[{"numeric":[">",1]}]}}',
    });
    await h.call('PutTargets', { Rule: 'r', Targets: [{ Id: 'f', Arn: fnArn }] });
    await putEvent(h, { n: 1 });
    const out = await putEvent(h, { n: 2 });
    await until(() => h.invokes.length === 1);
    const req = h.invokes[0]!;
    expect(req).toMatchObject({
      functionName: fnArn,
      invocationType: 'Event',
      caller: {
        servicePrincipal: 'events.amazonaws.com',
        sourceArn: 'arn:aws:events:us-east-1:000000000000:rule/r',
      },
    });
    const event = JSON.parse(req.payload.toString());
    expect(event).toMatchObject({
      version: '0',
      id: (out.Entries as Array<{ EventId: string }>)[0]!.EventId,
      'detail-type': 'thing happened',
      source: 'my.app',
      account: '000000000000',
      region: 'us-east-1',
      resources: [],
      detail: { n: 2 },
    });
    expect(event.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const names = h.metrics.map((m) => m.metricName);
    expect(names).toEqual(expect.arrayContaining(['MatchedEvents', 'TriggeredRules', 'Invocations']));
    expect(h.metrics[0]).toMatchObject({
      namespace: 'AWS/Events',
      dimensions: [{ Name: 'RuleName', Value: 'r' }],
    });
  });

  it('disabled rules do not deliver', async () => {
    const h = harness();
    await h.call('PutRule', { Name: 'r', EventPattern: '{"source":["my.app"]}', State: 'DISABLED' });
    await h.call('PutTargets', { Rule: 'r', Targets: [{ Id: 'f', Arn: fnArn }] });
    await putEvent(h, {});
    await new Promise((r) => setTimeout(r, 50));
    expect(h.invokes).toHaveLength(0);
  });

  it('applies Input, InputPath and InputTransformer', async () => {
    const h = harness();
    await h.call('PutRule', { Name: 'r', EventPattern: '{"source":["my.app"]}' });
    await h.call('PutTargets', {
      Rule: 'r',
      Targets: [
        { Id: 'const', Arn: `${fnArn}:const`, Input: '{"fixed":true}' },
        { Id: 'path', Arn: `${fnArn}:path`, InputPath: '$.detail.object' },
        {
          Id: 'tpl',
          Arn: `${fnArn}:tpl`,
          InputTransformer: {
            InputPathsMap: {
              key: '$.detail.object.key',
              size: '$.detail.object.size',
              obj: '$.detail.object',
              nope: '$.detail.nope',
            },
            InputTemplate:
              '{"key": <key>, "quoted": "file <key> of <size> bytes", "size": <size>, "obj": <obj>, "rule": "<aws.events.rule-name>", "arn": <aws.events.rule-arn>, "missing": <nope>}',
          },
        },
        {
          Id: 'str',
          Arn: `${fnArn}:str`,
          InputTransformer: {
            InputPathsMap: { k: '$.detail.object.key' },
            InputTemplate: '"Object <k> arrived"',
          },
        },
      ],
    });
    await putEvent(h, { object: { key: 'in/"a".csv', size: 5 } });
    await until(() => h.invokes.length === 4);
    const by = (suffix: string) => h.invokes.find((i) => i.functionName.endsWith(suffix))!.payload.toString();
    expect(JSON.parse(by(':const'))).toEqual({ fixed: true });
    expect(JSON.parse(by(':path'))).toEqual({ key: 'in/"a".csv', size: 5 });
    expect(JSON.parse(by(':tpl'))).toEqual({
      key: 'in/"a".csv',
      quoted: 'file in/"a".csv of 5 bytes',
      size: 5,
      obj: { key: 'in/"a".csv', size: 5 },
      rule: 'r',
      arn: 'arn:aws:events:us-east-1:000000000000:rule/r',
      missing: null,
    });
    expect(JSON.parse(by(':str'))).toBe('Object in/"a".csv arrived');
  });

  it('an AccessDeniedException from Lambda is a failed invocation, not retried, logged and sent to the DLQ', async () => {
    const h = harness();
    h.lambdaBehaviour = () => {
      throw new AwsError('AccessDeniedException', 'not allowed', 403);
    };
    await h.call('PutRule', { Name: 'r', EventPattern: '{"source":["my.app"]}' });
    await h.call('PutTargets', {
      Rule: 'r',
      Targets: [{ Id: 'f', Arn: fnArn, DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:dlq' } }],
    });
    await putEvent(h, {});
    await until(() => (h.svc.ruleStats('us-east-1', 'r')?.failedInvocations ?? 0) === 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(h.invokes).toHaveLength(1);
    expect(h.metrics.filter((m) => m.metricName === 'FailedInvocations')).toHaveLength(1);
    expect(h.logs.join('\n')).toMatch(/rule r failed to deliver event .* AccessDeniedException/);
    expect(h.logs.join('\n')).toMatch(/dead-letter queue arn:aws:sqs/);
  });

  it('retries throttled deliveries with backoff up to MaximumRetryAttempts', async () => {
    const h = harness(1000);
    h.lambdaBehaviour = () => {
      throw new AwsError('TooManyRequestsException', 'Rate exceeded', 429);
    };
    await h.call('PutRule', { Name: 'r', EventPattern: '{"source":["my.app"]}' });
    await h.call('PutTargets', {
      Rule: 'r',
      Targets: [{ Id: 'f', Arn: fnArn, RetryPolicy: { MaximumRetryAttempts: 3 } }],
    });
    await putEvent(h, {});
    await until(() => (h.svc.ruleStats('us-east-1', 'r')?.failedInvocations ?? 0) === 1);
    expect(h.invokes).toHaveLength(4);
    expect(h.svc.ruleStats('us-east-1', 'r')).toMatchObject({
      invocations: 4,
      failedInvocations: 1,
      triggered: 1,
    });
  });

  it('Step Functions targets need a role that exists and trusts events.amazonaws.com', async () => {
    const h = harness();
    await h.call('PutRule', { Name: 'r', EventPattern: '{"source":["my.app"]}' });
    await h.call('PutTargets', {
      Rule: 'r',
      Targets: [
        { Id: 'good', Arn: smArn, RoleArn: goodRole, InputPath: '$.detail' },
        { Id: 'untrusting', Arn: `${smArn}2`, RoleArn: untrustingRole },
        { Id: 'missing', Arn: `${smArn}3`, RoleArn: 'arn:aws:iam::000000000000:role/none' },
      ],
    });
    await putEvent(h, { go: 1 });
    await until(() => (h.svc.ruleStats('us-east-1', 'r')?.failedInvocations ?? 0) === 2);
    expect(h.executions).toHaveLength(1);
    expect(h.executions[0]).toMatchObject({ stateMachineArn: smArn, input: '{"go":1}', region: 'us-east-1' });
  });

  it('routes to another bus, whose rules then deliver', async () => {
    const h = harness();
    await h.call('CreateEventBus', { Name: 'other' });
    await h.call('PutRule', { Name: 'fwd', EventPattern: '{"source":["my.app"]}' });
    await h.call('PutTargets', {
      Rule: 'fwd',
      Targets: [{ Id: 'b', Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/other' }],
    });
    await h.call('PutRule', { Name: 'there', EventBusName: 'other', EventPattern: '{"source":["my.app"]}' });
    await h.call('PutTargets', { Rule: 'there', EventBusName: 'other', Targets: [{ Id: 'f', Arn: fnArn }] });
    await putEvent(h, {});
    await until(() => h.invokes.length === 1);
    expect(h.invokes[0]!.caller?.sourceArn).toBe('arn:aws:events:us-east-1:000000000000:rule/other/there');
  });

  it('publisher.publish puts AWS events (S3 Object Created) on the default bus', async () => {
    const h = harness();
    await h.call('PutRule', {
      Name: 's3',
      EventPattern: JSON.stringify({
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { object: { key: [{ prefix: 'incoming/' }] } },
      }),
    });
    await h.call('PutTargets', { Rule: 's3', Targets: [{ Id: 'f', Arn: fnArn }] });
    const publish = (key: string) =>
      h.svc.publisher.publish({
        region: 'us-east-1',
        source: 'aws.s3',
        detailType: 'Object Created',
        detail: { bucket: { name: 'b' }, object: { key }, reason: 'PutObject' },
        resources: ['arn:aws:s3:::b'],
      });
    publish('other/x.csv');
    publish('incoming/x.csv');
    await until(() => h.invokes.length === 1);
    const event = JSON.parse(h.invokes[0]!.payload.toString());
    expect(event).toMatchObject({
      source: 'aws.s3',
      account: '000000000000',
      resources: ['arn:aws:s3:::b'],
      detail: { object: { key: 'incoming/x.csv' } },
    });
  });
});

describe('schedules', () => {
  it('rate(1 minute) fires Scheduled Events at whole minutes on the sandbox clock', async () => {
    const h = harness(600); // one sandbox minute per 100 ms
    await h.call('PutRule', { Name: 'tick', ScheduleExpression: 'rate(1 minute)' });
    await h.call('PutTargets', { Rule: 'tick', Targets: [{ Id: 'f', Arn: fnArn }] });
    await until(() => h.invokes.length >= 3);
    const events = h.invokes.map((i) => JSON.parse(i.payload.toString()));
    expect(events[0]).toMatchObject({
      version: '0',
      source: 'aws.events',
      'detail-type': 'Scheduled Event',
      account: '000000000000',
      region: 'us-east-1',
      resources: ['arn:aws:events:us-east-1:000000000000:rule/tick'],
      detail: {},
    });
    const times = events.map((e) => Date.parse(e.time));
    expect(times.every((t) => t % 60_000 === 0)).toBe(true);
    expect(times[1]! - times[0]!).toBe(60_000);
    expect(times[2]! - times[1]!).toBe(60_000);
  });

  it('DisableRule stops the schedule and EnableRule restarts it', async () => {
    const h = harness(600);
    await h.call('PutRule', { Name: 'tick', ScheduleExpression: 'rate(1 minute)' });
    await h.call('PutTargets', { Rule: 'tick', Targets: [{ Id: 'f', Arn: fnArn }] });
    await until(() => h.invokes.length >= 1);
    await h.call('DisableRule', { Name: 'tick' });
    const n = h.invokes.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(h.invokes.length).toBe(n);
    await h.call('EnableRule', { Name: 'tick' });
    await until(() => h.invokes.length > n);
  });

  it('a restarted service re-arms schedules from persisted state', async () => {
    const dir = makeTempDir();
    const first = harness(600, dir);
    await first.call('PutRule', { Name: 'tick', ScheduleExpression: 'rate(1 minute)' });
    await first.call('PutTargets', { Rule: 'tick', Targets: [{ Id: 'f', Arn: fnArn }] });
    await first.svc.stop?.();
    first.clock.stop();
    // state is written behind; give the store its tick
    await new Promise((r) => setTimeout(r, 20));
    const second = harness(600, dir);
    await until(() => second.invokes.length >= 1);
    expect(first.invokes.length).toBe(0);
  });
});
