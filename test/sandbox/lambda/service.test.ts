/**
 * The Lambda service with fake neighbours (IAM, Logs, metrics, EventBridge publisher): the
 * in-process invoker's permission checks, async retries on a fast clock and the on-failure
 * destination event, and the metrics it records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { SandboxClock } from '../../../src/sandbox/clock.js';
import { StateStore } from '../../../src/sandbox/store.js';
import type { EventToPublish, LogEventInput, MetricDatum } from '../../../src/sandbox/contracts.js';
import type { WireRequest } from '../../../src/sandbox/protocols/types.js';
import { AwsError } from '../../../src/sandbox/errors.js';
import { createLambdaService, type LambdaService } from '../../../src/sandbox/lambda/index.js';
import { makeTempDir } from '../../helpers/sandbox.js';
import { zipOf } from './fixtures.js';

const ROLE = 'arn:aws:iam::000000000000:role/exec';
let service: LambdaService;
let clock: SandboxClock;
const published: EventToPublish[] = [];
const metrics: MetricDatum[] = [];
const logLines: Array<{ group: string; stream: string; events: LogEventInput[] }> = [];

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const buf = Buffer.from(body === undefined ? '' : JSON.stringify(body));
  const q = path.indexOf('?');
  const wire: WireRequest = {
    method,
    rawPath: q >= 0 ? path.slice(0, q) : path,
    path: q >= 0 ? path.slice(0, q) : path,
    rawQuery: q >= 0 ? path.slice(q + 1) : '',
    query: new URLSearchParams(q >= 0 ? path.slice(q + 1) : ''),
    headers: {},
    body: buf,
    region: 'us-east-1',
    accountId: '000000000000',
    requestId: randomUUID(),
    accessKeyId: 'AKIA',
    endpoint: 'http://127.0.0.1:1',
  };
  try {
    const out = await service.endpoint.handle(wire);
    const text = out.body ? out.body.toString() : '';
    return { status: out.status, json: text ? JSON.parse(text) : undefined };
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    const out = service.endpoint.errorResponse(err, wire);
    return { status: out.status, json: { code: err.code, ...JSON.parse(String(out.body)) } };
  }
}

beforeAll(() => {
  // 600 sandbox seconds per real second: AWS's one- and two-minute retry delays take 0.1 s and 0.2 s.
  clock = new SandboxClock(600);
  service = createLambdaService({
    store: new StateStore(makeTempDir()),
    clock,
    log: () => undefined,
    iam: {
      findRoleByArn: (arn) =>
        arn === ROLE
          ? {
              roleName: 'exec',
              roleId: 'AROA',
              arn,
              path: '/',
              assumeRolePolicyDocument: '{}',
              createDate: '',
              inlinePolicies: {},
              tags: [],
            }
          : undefined,
      roleTrustsService: (arn, principal) => arn === ROLE && principal === 'lambda.amazonaws.com',
      authorize: () => 'allowed',
      authorizeByResourcePolicies: () => 'allowed',
      issueRoleSession: () => ({ accessKeyId: 'ASIATEST', secretAccessKey: 'secret', sessionToken: 'token' }),
      findSession: () => undefined,
      revokeSession: () => undefined,
    },
    logs: {
      groupExists: () => true,
      append: (_region, group, stream, events) => {
        logLines.push({ group, stream, events });
        return true;
      },
    },
    metrics: { record: (d) => metrics.push(d) },
    self: {
      endpoint: () => 'http://127.0.0.1:1',
      credentials: { accessKeyId: 'AKIA', secretAccessKey: 's' },
    },
    // Logs reach the fake writer at once, so the test can read them when the destination fires.
    logFlushMs: 0,
    // Usable at once: the Pending/InProgress windows are tested in functions.test.ts.
    transitionMs: 0,
  });
  service.setEventPublisher({ publish: (e) => published.push(e) });
});
afterAll(async () => {
  await service?.stop?.();
  clock.stop();
});

async function create(name: string, source: string): Promise<void> {
  const res = await call('POST', '/2015-03-31/functions', {
    FunctionName: name,
    Runtime: 'nodejs22.x',
    Role: ROLE,
    Handler: 'index.handler',
    Code: { ZipFile: Buffer.from(zipOf({ 'index.mjs': source })).toString('base64') },
  });
  expect(res.status).toBe(201);
}

describe('Lambda invoker for other services', () => {
  it('refuses a service principal the resource policy does not allow, then honours SourceArn', async () => {
    await create('target', 'export const handler = async (e) => ({ ok: e.n });');
    const req = {
      region: 'us-east-1',
      functionName: 'target',
      payload: Buffer.from('{"n":1}'),
      invocationType: 'RequestResponse' as const,
      caller: {
        servicePrincipal: 'events.amazonaws.com',
        sourceArn: 'arn:aws:events:us-east-1:000000000000:rule/r1',
      },
    };
    await expect(service.invoker.invoke(req)).rejects.toMatchObject({
      code: 'AccessDeniedException',
      statusCode: 403,
    });
    const added = await call('POST', '/2015-03-31/functions/target/policy', {
      StatementId: 'only-r2',
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      SourceArn: 'arn:aws:events:us-east-1:000000000000:rule/r2',
    });
    expect(added.status).toBe(201);
    await expect(service.invoker.invoke(req)).rejects.toMatchObject({ code: 'AccessDeniedException' });
    await call('POST', '/2015-03-31/functions/target/policy', {
      StatementId: 'r1',
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      SourceArn: 'arn:aws:events:us-east-1:000000000000:rule/r1',
    });
    const out = await service.invoker.invoke(req);
    expect(JSON.parse(out.payload.toString())).toEqual({ ok: 1 });
    // A same-account caller (no service principal) needs no resource policy.
    const direct = await service.invoker.invoke({ ...req, caller: undefined });
    expect(direct.statusCode).toBe(200);
  });

  it('records AWS/Lambda metrics per invocation', () => {
    const forTarget = metrics.filter((m) => m.dimensions[0]?.Value === 'target');
    const names = new Set(forTarget.map((m) => m.metricName));
    expect(names).toEqual(new Set(['Invocations', 'Errors', 'Duration', 'Throttles']));
    expect(forTarget.every((m) => m.namespace === 'AWS/Lambda')).toBe(true);
    expect(forTarget.filter((m) => m.metricName === 'Invocations')).toHaveLength(2);
  });

  it('retries a failing async invocation twice, then sends the failure record to the EventBridge bus', async () => {
    await create('flaky', 'export const handler = async (e) => { throw new Error("bad " + e.id); };');
    const bus = 'arn:aws:events:us-east-1:000000000000:event-bus/default';
    const cfg = await call('PUT', '/2019-09-25/functions/flaky/event-invoke-config', {
      DestinationConfig: { OnFailure: { Destination: bus } },
    });
    expect(cfg.status).toBe(200);
    const start = clock.now();
    const res = await service.invoker.invoke({
      region: 'us-east-1',
      functionName: 'flaky',
      payload: Buffer.from('{"id":7}'),
      invocationType: 'Event',
    });
    expect(res.statusCode).toBe(202);
    const deadline = Date.now() + 15_000;
    while (published.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(published).toHaveLength(1);
    const ev = published[0]!;
    expect(ev).toMatchObject({
      source: 'lambda',
      detailType: 'Lambda Function Invocation Result - Failure',
      eventBusName: bus,
      detail: {
        version: '1.0',
        requestContext: {
          functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:flaky:$LATEST',
          condition: 'RetriesExhausted',
          approximateInvokeCount: 3,
        },
        requestPayload: { id: 7 },
        responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
        responsePayload: { errorType: 'Error', errorMessage: 'bad 7' },
      },
    });
    // Three attempts, about one and then two sandbox minutes apart.
    const starts = logLines
      .filter((l) => l.group === '/aws/lambda/flaky')
      .flatMap((l) => l.events.filter((e) => e.message.startsWith('START ')).map((e) => e.timestamp));
    expect(starts).toHaveLength(3);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(60_000);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(120_000);
    expect(starts[0]!).toBeGreaterThanOrEqual(start);
  });

  it('honours MaximumRetryAttempts 0 and sends successes to OnSuccess', async () => {
    await create(
      'once',
      'export const handler = async (e) => { if (e.fail) throw new Error("x"); return "fine"; };',
    );
    await call('PUT', '/2019-09-25/functions/once/event-invoke-config', {
      MaximumRetryAttempts: 0,
      DestinationConfig: {
        OnSuccess: { Destination: 'arn:aws:events:us-east-1:000000000000:event-bus/ok' },
        OnFailure: { Destination: 'arn:aws:events:us-east-1:000000000000:event-bus/bad' },
      },
    });
    published.length = 0;
    for (const payload of ['{"fail":true}', '{}']) {
      await service.invoker.invoke({
        region: 'us-east-1',
        functionName: 'once',
        payload: Buffer.from(payload),
        invocationType: 'Event',
      });
    }
    const deadline = Date.now() + 15_000;
    while (published.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const byType = Object.fromEntries(published.map((e) => [e.detailType, e]));
    expect(byType['Lambda Function Invocation Result - Success']).toMatchObject({
      detail: {
        requestContext: { condition: 'Success', approximateInvokeCount: 1 },
        responsePayload: 'fine',
      },
    });
    expect(byType['Lambda Function Invocation Result - Failure']).toMatchObject({
      detail: { requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 1 } },
    });
  });
});
