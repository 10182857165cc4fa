/** A handler's `Date` follows the sandbox clock, so time-scaled schedules and handlers agree. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { createFunction, createRole, decode } from './fixtures.js';

let t: TestSandbox;

beforeAll(async () => {
  // One real second is an hour of sandbox time: real and sandbox clocks diverge fast.
  t = await startTestSandbox({ timeScale: 3600 });
});
afterAll(async () => {
  await t?.stop();
});

it('handler time is sandbox time on cold and warm invocations', { timeout: 60_000 }, async () => {
  const lambda = new LambdaClient(t.clientConfig);
  const role = await createRole(t);
  await createFunction(lambda, role, 'clock-fn', {
    'index.mjs':
      'const atInit = Date.now();\n' +
      'export const handler = async () => ({ atInit, now: Date.now(), iso: new Date().toISOString() });',
  });
  for (let i = 0; i < 2; i++) {
    await new Promise((r) => setTimeout(r, 300)); // 300 ms real = 18 sandbox minutes
    const before = t.sandbox.clock.now();
    const res = await lambda.send(new InvokeCommand({ FunctionName: 'clock-fn' }));
    const after = t.sandbox.clock.now();
    const body = decode(res.Payload) as { atInit: number; now: number; iso: string };
    // Within the invocation the handler's clock ticks in real time from the sandbox time at its start.
    expect(body.now).toBeGreaterThanOrEqual(before - 1000);
    expect(body.now).toBeLessThanOrEqual(after);
    expect(new Date(body.iso).getTime()).toBeGreaterThanOrEqual(before - 1000);
    // Far from real time: the sandbox clock has raced ahead.
    expect(body.now - Date.now()).toBeGreaterThan(60_000);
    expect(body.atInit).toBeGreaterThan(Date.now() + 60_000);
  }
});
