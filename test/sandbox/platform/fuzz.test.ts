/**
 * Throws a few thousand random, malformed and truncated requests at one sandbox — unsigned and
 * validly signed — and checks that every answer is an AWS-shaped error (or a success), that nothing
 * hangs or fails internally, and that the server still serves real clients afterwards.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { makeTempDir, startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { NASTY_NAMES, StorageMismatch, namedOperations, prepareFixtures } from './nastyNames.js';
import { monitoringOperations, prepareMonitoringFixtures } from './nastyNamesMonitoring.js';
import { prepareWorkflowFixtures, workflowOperations } from './nastyNamesWorkflows.js';
import { rawRequest, type RawRequest, type RawResponse, type Signing } from './rawRequest.js';

/** Small deterministic PRNG so a failure can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 20240611;
const REQUESTS = 2000;
const rand = prng(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const int = (n: number): number => Math.floor(rand() * n);

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS'] as const;
const TARGETS = {
  logs: [
    'Logs_20140328',
    [
      'CreateLogGroup',
      'PutLogEvents',
      'GetLogEvents',
      'FilterLogEvents',
      'DescribeLogGroups',
      'TagResource',
      'PutMetricFilter',
      'TestMetricFilter',
      'PutResourcePolicy',
      'Nope',
    ],
  ],
  events: ['AWSEvents', ['PutRule', 'PutTargets', 'PutEvents', 'ListRules', 'DescribeRule', 'Nope']],
  states: [
    'AWSStepFunctions',
    [
      'CreateStateMachine',
      'StartExecution',
      'StartSyncExecution',
      'ValidateStateMachineDefinition',
      'DescribeExecution',
      'ListStateMachines',
      'Nope',
    ],
  ],
  monitoring: [
    'GraniteServiceVersion20100801',
    [
      'PutMetricData',
      'GetMetricData',
      'ListMetrics',
      'PutMetricAlarm',
      'DescribeAlarms',
      'SetAlarmState',
      'Nope',
    ],
  ],
} as const;
const QUERY_ACTIONS = [
  'CreateRole',
  'GetRole',
  'PutRolePolicy',
  'TagRole',
  'ListRoles',
  'UntagRole',
  'GetCallerIdentity',
  'Bogus',
  '',
];

function randomText(max: number): string {
  const alphabet = 'abcXYZ019 _-./:*?&=%{}[]"\'<>\\\n\u00e9\u2603';
  let s = '';
  for (let i = int(max); i > 0; i--) s += alphabet[int(alphabet.length)];
  return s;
}

/** Printable ASCII only: anything else is refused by Node's HTTP client before it is sent. */
function headerText(max: number): string {
  return randomText(max).replace(/[^\x20-\x7e]/g, '~');
}

function randomBytes(max: number): Buffer {
  const b = Buffer.alloc(int(max));
  for (let i = 0; i < b.length; i++) b[i] = int(256);
  return b;
}

function garbageJson(): string {
  const valid = [
    '{}',
    '{"logGroupName": 5}',
    '{"logGroupName": "fz", "logEvents": [{"timestamp": "x"}]}',
    '{"Name": null, "Targets": [[[]]]}',
    '{"limit": -1, "nextToken": "f/xyz"}',
    `{"logGroupName": "${'a'.repeat(600)}"}`,
    '{"filterPattern": "{ $.a = ", "logGroupName": "fz"}',
    '[1,2,3]',
    'null',
    '"just a string"',
    '{"definition": "{\\"StartAt\\": 1}", "name": "x", "roleArn": "arn:aws:iam::000000000000:role/none"}',
    '{"definition": "{\\"StartAt\\": \\"__proto__\\", \\"States\\": {\\"__proto__\\": {\\"Type\\": \\"constructor\\"}}}"}',
    '{"AlarmName": "__proto__", "Metrics": [{"Id": "constructor", "Expression": "toString(1)"}], "Threshold": "x"}',
    '{"logGroupName": "fz", "filterName": "f", "filterPattern": "{ $.__proto__ = 1 }", "metricTransformations": [{"dimensions": {"__proto__": "$.a"}}]}',
    '{"policyName": "constructor", "policyDocument": "{\\"Statement\\": {}}"}',
  ];
  const base = pick(valid);
  const mode = int(4);
  if (mode === 0) return base.slice(0, int(base.length)); // truncated
  if (mode === 1) return randomText(200);
  return base;
}

function garbageXml(): string {
  const docs = [
    '<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>',
    '<Delete><Object><Key>k</Key></Object>',
    '<?xml version="1.0"?><CreateBucketConfiguration><LocationConstraint>mars-1</LocationConstraint></CreateBucketConfiguration>',
    '<NotificationConfiguration><EventBridgeConfiguration/></NotificationConfiguration>',
    '<<<>>>',
  ];
  const d = pick(docs);
  return int(3) === 0 ? d.slice(0, int(d.length)) : d;
}

function garbageForm(): string {
  const parts = [`Action=${encodeURIComponent(pick(QUERY_ACTIONS))}`];
  if (int(2)) parts.push(`Version=${pick(['2010-05-08', '2011-06-15', 'x'])}`);
  for (let i = int(5); i > 0; i--) {
    const key = pick([
      'RoleName',
      'Tags.member.1.Key',
      'Tags.member.x.Value',
      'PolicyDocument',
      'MaxItems',
      'Marker',
      'AssumeRolePolicyDocument',
      'a.b.c',
      '',
    ]);
    parts.push(`${key}=${encodeURIComponent(randomText(40))}`);
  }
  if (int(4) === 0) parts.push('%%%&&==');
  return parts.join('&');
}

function randomPath(): string {
  return pick([
    '/',
    '/fuzz-bucket',
    `/fuzz-bucket/${encodeURIComponent(randomText(20))}`,
    '/fuzz-bucket?tagging',
    '/fuzz-bucket?list-type=2&max-keys=abc',
    '/2015-03-31/functions',
    `/2015-03-31/functions/${encodeURIComponent(randomText(10))}/invocations`,
    '/%E0%A4%A',
    '/../../etc/passwd',
    '//x//y',
    `/?Action=${pick(QUERY_ACTIONS)}`,
  ]);
}

function randomRequest(sign: (service: string) => Signing): { req: RawRequest; signing?: Signing } {
  const service = pick([
    'iam',
    'sts',
    'logs',
    'events',
    'states',
    'monitoring',
    's3',
    'lambda',
    'unsigned',
    'unsigned',
  ]);
  const headers: Record<string, string> = {};
  let body: string | Buffer = '';
  let method: string = pick(METHODS);
  let path = randomPath();
  if (service in TARGETS) {
    const [prefix, ops] = TARGETS[service as keyof typeof TARGETS];
    method = int(6) === 0 ? method : 'POST';
    path = '/';
    headers['content-type'] = pick([
      'application/x-amz-json-1.1',
      'application/x-amz-json-1.0',
      'text/plain',
    ]);
    headers['x-amz-target'] = int(8) === 0 ? headerText(20) : `${prefix}.${pick(ops)}`;
    body = garbageJson();
  } else if (service === 'iam' || service === 'sts') {
    method = int(6) === 0 ? method : 'POST';
    path = int(5) === 0 ? path : '/';
    headers['content-type'] = 'application/x-www-form-urlencoded; charset=utf-8';
    body = int(6) === 0 ? randomBytes(100) : garbageForm();
  } else if (service === 's3') {
    body = int(3) === 0 ? randomBytes(300) : garbageXml();
    if (int(2)) headers['content-md5'] = headerText(10);
  } else if (service === 'lambda') {
    path = `/2015-03-31/functions/${pick(['', 'fz', encodeURIComponent(randomText(8))])}${pick(['', '/invocations', '/policy', '/configuration'])}`;
    headers['content-type'] = 'application/json';
    body = garbageJson();
  } else {
    if (int(2)) headers['x-amz-target'] = headerText(30);
    if (int(2))
      headers['content-type'] = pick([
        'application/json',
        'application/x-www-form-urlencoded',
        'application/xml',
      ]);
    if (int(3) === 0)
      headers.authorization = pick([
        'AWS4-HMAC-SHA256',
        'Bearer x',
        `AWS4-HMAC-SHA256 Credential=${headerText(30)}`,
      ]);
    body = pick([randomBytes(200), garbageJson(), garbageXml(), garbageForm()]);
  }
  if (method === 'GET' || method === 'HEAD') body = '';
  return {
    req: { method, path, headers, body },
    signing: service === 'unsigned' ? undefined : sign(service),
  };
}

/** The error body AWS would send for the protocol the response claims. */
function isAwsShapedError(method: string, res: RawResponse): boolean {
  if (method === 'HEAD') return res.body === '';
  const type = String(res.headers['content-type'] ?? '');
  if (type.includes('json')) {
    try {
      const parsed = JSON.parse(res.body) as Record<string, unknown>;
      return typeof (parsed.__type ?? parsed.Type ?? res.headers['x-amzn-errortype']) === 'string';
    } catch {
      return false;
    }
  }
  if (type.includes('xml')) return /<Code>[^<]+<\/Code>/.test(res.body) && /<Message>/.test(res.body);
  return false;
}

/** A request cut short: the head promises more body than is ever sent, then the socket closes. */
function truncatedRequest(endpoint: string, partial: string): Promise<void> {
  const url = new URL(endpoint);
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname, () => {
      socket.write(partial);
      setTimeout(() => socket.destroy(), 5);
    });
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
    socket.resume();
  });
}

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

describe('fuzzing the sandbox front door', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox();
  });
  afterAll(() => t.stop());

  it(`answers ${REQUESTS} random requests with AWS-shaped errors, never failing internally (seed ${SEED})`, async () => {
    const sign = (service: string): Signing => ({ ...t.sandbox.credentials, service });
    const requests = Array.from({ length: REQUESTS }, () => randomRequest(sign));
    const statuses = new Map<number, number>();
    const malformed: string[] = [];
    const internal: string[] = [];
    let reachedService = 0;
    await pool(requests, 12, async ({ req, signing }) => {
      const res = await rawRequest(t.sandbox.endpoint, req, { sign: signing, timeoutMs: 15_000 });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (signing && !/SignatureDoesNotMatch|IncompleteSignature/.test(res.body)) reachedService++;
      const what = `${signing?.service ?? 'unsigned'} ${req.method} ${req.path} ${JSON.stringify(req.headers)} → ${res.status} ${res.body.slice(0, 200)}`;
      // 501 NotImplemented is AWS's own answer for unsupported S3 features; other 5xx mean a crash.
      if (res.status >= 500 && res.status !== 501) internal.push(what);
      else if (res.status >= 400 && !isAwsShapedError(req.method, res)) malformed.push(what);
    });
    expect(internal, internal.slice(0, 5).join('\n')).toEqual([]);
    expect(malformed, malformed.slice(0, 5).join('\n')).toEqual([]);
    // Most random requests are refused; some signed ones (e.g. ListBuckets) legitimately succeed.
    const refused = [...statuses].filter(([s]) => s >= 400).reduce((n, [, c]) => n + c, 0);
    expect(refused).toBeGreaterThan(requests.length / 2);
    // The signer is right often enough that the garbage gets past authentication into the services.
    expect(reachedService).toBeGreaterThan(requests.length / 2);
  }, 90_000);

  it('survives truncated and non-HTTP input, then serves real SDK clients', async () => {
    const heads = [
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\nAction=Li',
      'PUT /fuzz-bucket/key HTTP/1.1\r\nHost: x\r\nContent-Length: 99999\r\n\r\nabc',
      'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab',
      'GET / HTTP/1.1\r\nHost: x\r\nAuthor',
      '\u0000\u0001\u0002garbage\r\n\r\n',
      'POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n',
    ];
    const partials = Array.from({ length: 300 }, (_, i) => heads[i % heads.length]!);
    await pool(partials, 12, (p) => truncatedRequest(t.sandbox.endpoint, p));

    const iam = new IAMClient(t.clientConfig);
    expect((await iam.send(new ListRolesCommand({}))).$metadata.httpStatusCode).toBe(200);
    const sts = new STSClient(t.clientConfig);
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe('000000000000');
    const logs = new CloudWatchLogsClient(t.clientConfig);
    expect((await logs.send(new DescribeLogGroupsCommand({}))).$metadata.httpStatusCode).toBe(200);
  });
});

/** Every file and folder under `dir`, as relative paths (symlinks listed, not followed). */
function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      out.push(child);
      if (entry.isDirectory()) walk(child);
    }
  };
  walk('');
  return out.sort();
}

const SIGNED_SERVICES: Array<[string, RawRequest]> = [
  [
    'logs',
    {
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Logs_20140328.CreateLogGroup',
      },
      body: '{"logGroupName":"g"}',
    },
  ],
  [
    'events',
    {
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.CreateEventBus' },
      body: '{"Name":"b"}',
    },
  ],
  [
    'states',
    {
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'AWSStepFunctions.ListStateMachines',
      },
      body: '{}',
    },
  ],
  [
    'monitoring',
    {
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData',
      },
      body: '{"Namespace":"n","MetricData":[{"MetricName":"m","Value":1}]}',
    },
  ],
  ['lambda', { method: 'GET', path: '/2015-03-31/functions' }],
  [
    'iam',
    {
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListRoles&Version=2010-05-08',
    },
  ],
  [
    'sts',
    {
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    },
  ],
  ['s3', { method: 'PUT', path: '/region-bucket' }],
];

describe('nasty names, regions and keys at every operation that takes one', () => {
  let t: TestSandbox;
  let root: string;
  const packageModules = path.resolve('node_modules');
  let modulesBefore: string[];
  let rootBefore: string[];
  beforeAll(async () => {
    root = makeTempDir('course-cli-nasty-');
    t = await startTestSandbox({ stateDir: path.join(root, 'state') });
    modulesBefore = fs.readdirSync(packageModules).sort();
    rootBefore = fs.readdirSync(root).sort();
  });
  afterAll(async () => {
    await t.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it(`stores each of ${NASTY_NAMES.length} names correctly or answers with an AWS error, and writes nothing outside the state directory`, async () => {
    const { roleArn, statesRoleArn } = await prepareFixtures(t.clientConfig);
    await prepareMonitoringFixtures(t.clientConfig);
    await prepareWorkflowFixtures(t.clientConfig);
    const problems: string[] = [];
    let reachedServer = 0;
    let stored = 0;
    const operations = [
      ...namedOperations(t.clientConfig, roleArn, statesRoleArn),
      ...monitoringOperations(t.clientConfig),
      ...workflowOperations(t.clientConfig, statesRoleArn),
    ];
    for (const op of operations) {
      for (const name of NASTY_NAMES) {
        const label = `${op.what} ${JSON.stringify(name.length > 40 ? `${name.slice(0, 20)}…(${name.length})` : name)}`;
        let result: unknown;
        try {
          result = await op.run(name);
        } catch (err) {
          const e = err as { name?: string; $metadata?: { httpStatusCode?: number }; $fault?: string };
          const status = e.$metadata?.httpStatusCode;
          if (status === undefined) continue; // refused by the SDK itself, never sent
          reachedServer++;
          if (status >= 500 || e.$fault !== 'client') problems.push(`${label}: ${e.name} ${status}`);
          continue;
        }
        reachedServer++;
        try {
          await op.check?.(name, result);
          stored++;
        } catch (err) {
          const e = err as Error & { $metadata?: { httpStatusCode?: number } };
          problems.push(
            `${label}: stored, but reading it back failed: ${e instanceof StorageMismatch ? '' : `${e.name} `}${e.message}`,
          );
        }
      }
    }
    expect(problems, problems.slice(0, 8).join('\n')).toEqual([]);
    expect(reachedServer).toBeGreaterThan(200);
    // The AWS-valid nasty names (`constructor`, `__proto__`, `..`, …) really were stored somewhere.
    expect(stored).toBeGreaterThan(40);

    // Every nasty name as the credential scope's region, at every service.
    for (const region of NASTY_NAMES) {
      for (const [service, req] of SIGNED_SERVICES) {
        const res = await rawRequest(t.sandbox.endpoint, req, {
          sign: {
            ...t.sandbox.credentials,
            service,
            region,
            payloadHash: service === 's3' ? 'UNSIGNED-PAYLOAD' : undefined,
          },
        }).catch((err: Error) => ({ status: -1, headers: {}, body: err.message }));
        if (res.status === -1) continue; // a region Node will not put in a header (NUL)
        if (res.status < 400 || res.status >= 500 || !isAwsShapedError(req.method, res)) {
          problems.push(
            `region ${JSON.stringify(region.slice(0, 30))} at ${service}: ${res.status} ${res.body.slice(0, 120)}`,
          );
        }
      }
    }
    expect(problems, problems.slice(0, 8).join('\n')).toEqual([]);

    // The process is unharmed: no prototype was polluted and the server still answers.
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>).g).toBeUndefined();
    expect(
      (await new IAMClient(t.clientConfig).send(new ListRolesCommand({}))).$metadata.httpStatusCode,
    ).toBe(200);
    const logs = new CloudWatchLogsClient(t.clientConfig);
    expect((await logs.send(new DescribeLogGroupsCommand({}))).$metadata.httpStatusCode).toBe(200);

    // Nothing was written outside the state directory.
    expect(fs.readdirSync(root).sort()).toEqual(rootBefore);
    expect(fs.readdirSync(packageModules).sort()).toEqual(modulesBefore);
    expect(fs.existsSync('/tmp/course-cli-nasty-absolute')).toBe(false);
    expect(listTree(path.join(root, 'state')).every((p) => !p.startsWith('..'))).toBe(true);
  }, 240_000);
});
