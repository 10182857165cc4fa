/**
 * In-process harness for the Step Functions service with fake neighbours: an IAM directory that
 * knows one role, a LogWriter that records, a metrics recorder that records, and a LambdaInvoker
 * that runs plain JS functions. Calls go through the real awsJson endpoint (minus HTTP).
 */
import { randomUUID } from 'node:crypto';
import { SandboxClock } from '../../../src/sandbox/clock.js';
import type {
  InvokeRequest,
  InvokeResult,
  LogEventInput,
  MetricDatum,
  RoleRecord,
} from '../../../src/sandbox/contracts.js';
import { AwsError } from '../../../src/sandbox/errors.js';
import {
  createStepFunctionsService,
  type StepFunctionsService,
} from '../../../src/sandbox/stepfunctions/index.js';
import { StateStore } from '../../../src/sandbox/store.js';
import { makeTempDir } from '../../helpers/sandbox.js';

export const ROLE_ARN = 'arn:aws:iam::000000000000:role/sfn-role';

export type FakeHandler = (event: unknown) => unknown;

export class FunctionError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Harness {
  service: StepFunctionsService;
  clock: SandboxClock;
  store: StateStore;
  functions: Map<string, FakeHandler>;
  invocations: Array<{ functionName: string; payload: unknown }>;
  logs: Array<{ group: string; stream: string; events: LogEventInput[] }>;
  metrics: MetricDatum[];
  call<T = Record<string, any>>(op: string, input: Record<string, unknown>): Promise<T>;
  /** Call expecting an AwsError; returns it. */
  fail(op: string, input: Record<string, unknown>): Promise<AwsError>;
  createMachine(name: string, definition: unknown, extra?: Record<string, unknown>): Promise<string>;
  run(smArn: string, input?: unknown, name?: string): Promise<Record<string, any>>;
  waitDone(executionArn: string): Promise<Record<string, any>>;
  history(executionArn: string): Promise<Array<Record<string, any>>>;
  stop(): Promise<void>;
}

export function lambdaArn(name: string): string {
  return `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
}

export async function createHarness(opts: { timeScale?: number; stateDir?: string } = {}): Promise<Harness> {
  const stateDir = opts.stateDir ?? makeTempDir('sfn-unit-');
  const store = new StateStore(stateDir);
  const clock = new SandboxClock(opts.timeScale ?? 1000);
  const functions = new Map<string, FakeHandler>();
  const invocations: Harness['invocations'] = [];
  const logs: Harness['logs'] = [];
  const metrics: MetricDatum[] = [];
  const role: RoleRecord = {
    roleName: 'sfn-role',
    roleId: 'AROA0000',
    arn: ROLE_ARN,
    path: '/',
    assumeRolePolicyDocument: '{}',
    createDate: new Date().toISOString(),
    inlinePolicies: {},
    tags: [],
  };
  const invoke = async (req: InvokeRequest): Promise<InvokeResult> => {
    const name = req.functionName.split(':').at(req.functionName.startsWith('arn:') ? 6 : 0)!;
    const fn = functions.get(name);
    if (!fn) {
      throw new AwsError('ResourceNotFoundException', `Function not found: ${lambdaArn(name)}`, 404);
    }
    const payload = JSON.parse(req.payload.toString('utf8')) as unknown;
    invocations.push({ functionName: name, payload });
    try {
      const out = await fn(payload);
      return {
        statusCode: 200,
        payload: Buffer.from(JSON.stringify(out ?? null)),
        executedVersion: '$LATEST',
      };
    } catch (err) {
      const e = err as Error & { errorType?: string };
      const body = { errorType: e.errorType ?? 'Error', errorMessage: e.message, trace: [] };
      return {
        statusCode: 200,
        payload: Buffer.from(JSON.stringify(body)),
        functionError: 'Unhandled',
        executedVersion: '$LATEST',
      };
    }
  };
  const service = createStepFunctionsService({
    store,
    clock,
    log: () => undefined,
    iam: {
      findRoleByArn: (arn) => (arn === ROLE_ARN ? role : undefined),
      roleTrustsService: (arn, principal) => arn === ROLE_ARN && principal === 'states.amazonaws.com',
      authorize: () => 'allowed',
      authorizeByResourcePolicies: () => 'allowed',
      issueRoleSession: () => ({ accessKeyId: 'ASIATEST', secretAccessKey: 'secret', sessionToken: 'token' }),
      findSession: () => undefined,
      revokeSession: () => undefined,
    },
    logs: {
      groupExists: () => true,
      append: (_region, group, stream, events) => {
        logs.push({ group, stream, events });
        return true;
      },
    },
    logPolicies: { permits: () => true, createLogDelivery: () => 'ok' },
    metrics: { record: (d) => void metrics.push(d) },
    lambda: { invoke },
  });

  const call = async <T = Record<string, any>>(op: string, input: Record<string, unknown>): Promise<T> => {
    const res = await service.endpoint.handle({
      method: 'POST',
      rawPath: '/',
      path: '/',
      rawQuery: '',
      query: new URLSearchParams(),
      headers: { 'x-amz-target': `AWSStepFunctions.${op}` },
      body: Buffer.from(JSON.stringify(input)),
      region: 'us-east-1',
      accountId: '000000000000',
      requestId: randomUUID(),
      accessKeyId: 'AKIA',
      endpoint: 'http://127.0.0.1:1',
    });
    return JSON.parse(String(res.body)) as T;
  };
  const fail = async (op: string, input: Record<string, unknown>): Promise<AwsError> => {
    try {
      await call(op, input);
    } catch (err) {
      if (err instanceof AwsError) return err;
      throw err;
    }
    throw new Error(`${op} was expected to fail`);
  };
  const waitDone = async (executionArn: string): Promise<Record<string, any>> => {
    for (let i = 0; i < 2000; i++) {
      const d = await call('DescribeExecution', { executionArn });
      if (d.status !== 'RUNNING') return d;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`execution ${executionArn} did not finish`);
  };
  const h: Harness = {
    service,
    clock,
    store,
    functions,
    invocations,
    logs,
    metrics,
    call,
    fail,
    createMachine: async (name, definition, extra = {}) =>
      (
        await call('CreateStateMachine', {
          name,
          definition: typeof definition === 'string' ? definition : JSON.stringify(definition),
          roleArn: ROLE_ARN,
          ...extra,
        })
      ).stateMachineArn as string,
    run: async (smArn, input = {}, name) => {
      const { executionArn } = await call('StartExecution', {
        stateMachineArn: smArn,
        input: JSON.stringify(input),
        name,
      });
      return waitDone(executionArn as string);
    },
    waitDone,
    history: async (executionArn) =>
      (await call('GetExecutionHistory', { executionArn, maxResults: 1000 })).events as Array<
        Record<string, any>
      >,
    stop: async () => {
      await service.stop?.();
      clock.stop();
      store.flushAll();
    },
  };
  return h;
}
