/**
 * A seed replays: the same seed gives the same faults in the same order (per operation, whatever
 * else interleaves), another seed gives others. Checked on the injector and on two real sandboxes.
 */
import { describe, expect, it } from 'vitest';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import {
  RequestFaultInjector,
  loadFaultProfile,
  profileFromJson,
  type FaultableRequest,
} from '../../../src/sandbox/faults/index.js';
import { startTestSandbox } from '../../helpers/sandbox.js';

const noSleep = (): Promise<void> => Promise.resolve();

async function outcomes(
  injector: RequestFaultInjector,
  requests: FaultableRequest[],
): Promise<Array<string | undefined>> {
  const out: Array<string | undefined> = [];
  for (const r of requests) {
    try {
      await injector.before(r);
      out.push(undefined);
    } catch (err) {
      out.push((err as Error & { code: string }).code);
    }
  }
  return out;
}

const req = (service: string, operation: string, caller: 'root' | 'role' = 'root'): FaultableRequest => ({
  service,
  operation,
  caller,
  requestId: 'r',
});

describe('fault decisions', () => {
  const sequence = Array.from({ length: 200 }, (_, i) =>
    i % 3 === 0 ? req('s3', 'GetObject') : i % 3 === 1 ? req('lambda', 'Invoke') : req('iam', 'GetRole'),
  );

  it('replay with the same seed, differ with another, and come at the profile rates', async () => {
    const run = (seed: number) =>
      outcomes(
        new RequestFaultInjector(loadFaultProfile(`hostile:${seed}`), {
          log: () => undefined,
          sleep: noSleep,
        }),
        sequence,
      );
    const a = await run(42);
    expect(await run(42)).toEqual(a);
    expect(await run(43)).not.toEqual(a);
    const throttled = a.filter((c) => c && /SlowDown|TooManyRequests|Throttling/.test(c)).length;
    const failed = a.filter((c) => c && !/SlowDown|TooManyRequests|Throttling/.test(c)).length;
    // hostile: 30% throttling, 10% server errors (200 draws: loose bounds, fixed seed).
    expect(throttled).toBeGreaterThan(35);
    expect(throttled).toBeLessThan(85);
    expect(failed).toBeGreaterThan(5);
    expect(failed).toBeLessThan(40);
  });

  it("one operation's faults do not depend on what interleaves with it", async () => {
    const profile = () => loadFaultProfile('hostile:7');
    const alone = await outcomes(
      new RequestFaultInjector(profile(), { log: () => undefined, sleep: noSleep }),
      Array.from({ length: 30 }, () => req('s3', 'GetObject')),
    );
    const mixed = await outcomes(
      new RequestFaultInjector(profile(), { log: () => undefined, sleep: noSleep }),
      Array.from({ length: 60 }, (_, i) =>
        i % 2 ? req('s3', 'GetObject') : req('lambda', 'Invoke', 'role'),
      ),
    );
    expect(mixed.filter((_, i) => i % 2 === 1)).toEqual(alone);
  });

  it('spares role sessions unless the profile says roleSessions: true', async () => {
    const roleCalls = Array.from({ length: 20 }, () => req('s3', 'GetObject', 'role'));
    const spared = profileFromJson({ seed: 1, throttling: 1 }, 'test');
    expect(await outcomes(new RequestFaultInjector(spared, { log: () => undefined }), roleCalls)).toEqual(
      Array(20).fill(undefined),
    );
    const hit = profileFromJson({ seed: 1, throttling: 1, roleSessions: true }, 'test');
    expect(await outcomes(new RequestFaultInjector(hit, { log: () => undefined }), roleCalls)).toEqual(
      Array(20).fill('SlowDown'),
    );
  });

  it('adds latency ± jitter, never below zero, the same for the same seed', async () => {
    const delays = async (seed: number): Promise<number[]> => {
      const slept: number[] = [];
      const p = profileFromJson({ seed, latencyMs: 50, jitterMs: 25 }, 'test');
      const injector = new RequestFaultInjector(p, {
        log: () => undefined,
        sleep: async (ms) => void slept.push(ms),
      });
      await outcomes(
        injector,
        Array.from({ length: 100 }, () => req('s3', 'PutObject')),
      );
      return slept;
    };
    const a = await delays(5);
    expect(a).toHaveLength(100);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(25);
    expect(Math.max(...a)).toBeLessThanOrEqual(75);
    expect(new Set(a).size).toBeGreaterThan(20);
    expect(await delays(5)).toEqual(a);
    const wide = profileFromJson({ seed: 5, latencyMs: 10, jitterMs: 100 }, 'test');
    const slept: number[] = [];
    await outcomes(
      new RequestFaultInjector(wide, { log: () => undefined, sleep: async (ms) => void slept.push(ms) }),
      Array.from({ length: 50 }, () => req('s3', 'PutObject')),
    );
    expect(slept.every((ms) => ms >= 0)).toBe(true);
  });

  it('refuses overrides naming what the sandbox does not serve', () => {
    const served = new Map([['lambda', ['Invoke', 'CreateFunction']]]);
    const op = profileFromJson({ services: { lambda: { operations: { Invok: {} } } } }, 'p.json');
    expect(() => RequestFaultInjector.checkOverrides(op, served)).toThrow(
      'fault profile p.json: services.lambda.operations.Invok: lambda has no operation Invok.',
    );
    const svc = profileFromJson({ services: { s3: {} } }, 'p.json');
    expect(() => RequestFaultInjector.checkOverrides(svc, served)).toThrow('the sandbox does not serve "s3"');
  });
});

describe('the same seed on two sandboxes', () => {
  it('meets the same faults in the same order', async () => {
    const run = async (seed: number): Promise<string[]> => {
      const log: string[] = [];
      const t = await startTestSandbox({
        faults: loadFaultProfile(`hostile:${seed}`),
        log: (l) => log.push(l),
      });
      try {
        const cfg = { ...t.clientConfig, maxAttempts: 1 };
        const iam = new IAMClient(cfg);
        const lambda = new LambdaClient(cfg);
        const out: string[] = [];
        for (let i = 0; i < 20; i++) {
          for (const call of [
            () => iam.send(new ListRolesCommand({})),
            () => lambda.send(new ListFunctionsCommand({})),
          ]) {
            out.push(
              await call().then(
                () => 'ok',
                (e: Error) => e.name,
              ),
            );
          }
        }
        // The sandbox log names each fault, and the seed that drew it.
        expect(log.filter((l) => l.startsWith('fault: ')).length).toBe(out.filter((o) => o !== 'ok').length);
        expect(log.find((l) => l.startsWith('fault: throttled'))).toContain(`seed ${seed}`);
        return out;
      } finally {
        await t.stop();
      }
    };
    const first = await run(2024);
    expect(first.some((o) => o !== 'ok')).toBe(true);
    expect(await run(2024)).toEqual(first);
  });
});
