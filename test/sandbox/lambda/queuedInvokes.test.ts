/**
 * Invocations waiting for an execution environment (every one of the function's ten is busy) when
 * the function is deleted: they fail with Lambda's ResourceNotFoundException at once, instead of
 * waiting forever for an environment that will never come.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DeleteFunctionCommand,
  InvokeCommand,
  LambdaClient,
  waitUntilFunctionActiveV2,
} from '@aws-sdk/client-lambda';
import { makeTempDir, startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { MAX_ENVIRONMENTS_PER_FUNCTION } from '../../../src/sandbox/lambda/environmentPool.js';
import { createFunction, createRole } from './fixtures.js';

let sb: TestSandbox;
let lambda: LambdaClient;
let role: string;

beforeAll(async () => {
  sb = await startTestSandbox();
  lambda = new LambdaClient({ ...sb.clientConfig, requestHandler: { requestTimeout: 60_000 } });
  role = await createRole(sb);
});
afterAll(async () => {
  await sb?.stop();
});

type Settled = { ok: true; functionError?: string } | { ok: false; name: string; message: string };

describe('queued invocations', () => {
  it('fail with ResourceNotFoundException when the function is deleted, instead of never settling', async () => {
    const marks = makeTempDir('course-queued-');
    await createFunction(
      lambda,
      role,
      'crowded',
      {
        'index.mjs': `import fs from 'node:fs';
export const handler = async () => {
  fs.writeFileSync(process.env.MARKS + '/' + process.pid, '');
  await new Promise((r) => setTimeout(r, 60_000));
};`,
      },
      { Timeout: 120, Environment: { Variables: { MARKS: marks } } },
    );
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 60 }, { FunctionName: 'crowded' });
    const calls: Array<Promise<Settled>> = [];
    for (let i = 0; i <= MAX_ENVIRONMENTS_PER_FUNCTION; i++) {
      calls.push(
        lambda.send(new InvokeCommand({ FunctionName: 'crowded' })).then(
          (o) => ({ ok: true, functionError: o.FunctionError }),
          (e: Error) => ({ ok: false, name: e.name, message: e.message }),
        ),
      );
    }
    // Every environment is busy; the last invocation waits for one.
    const until = Date.now() + 60_000;
    while (fs.readdirSync(marks).length < MAX_ENVIRONMENTS_PER_FUNCTION) {
      if (Date.now() > until) throw new Error(`only ${fs.readdirSync(marks).length} environments started`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'crowded' }));

    const unsettled = Symbol('unsettled');
    const outcomes = await Promise.race([
      Promise.all(calls),
      new Promise<typeof unsettled>((r) => setTimeout(() => r(unsettled), 15_000)),
    ]);
    expect(outcomes, 'invocations still unsettled 15 s after DeleteFunction').not.toBe(unsettled);
    const settled = outcomes as Settled[];
    const refused = settled.filter((o): o is Extract<Settled, { ok: false }> => !o.ok);
    expect(refused).toEqual([
      {
        ok: false,
        name: 'ResourceNotFoundException',
        message: `Function not found: arn:aws:lambda:us-east-1:000000000000:function:crowded`,
      },
    ]);
    // The ones that were running ended with the environment (killed), as errors, not hangs.
    expect(settled.filter((o) => o.ok).every((o) => o.ok && o.functionError === 'Unhandled')).toBe(true);
  }, 120_000);
});
