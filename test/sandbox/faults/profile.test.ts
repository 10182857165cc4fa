/**
 * Fault profiles as a person gives them: built-in names, a name with a seed to replay, JSON files;
 * and every way a profile can be wrong, each refused with one line that says where and what.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_PROFILE_NAMES,
  FaultProfileError,
  describeFaultProfile,
  hasAnyFault,
  loadFaultProfile,
  profileFromJson,
  ratesFor,
  replayHint,
} from '../../../src/sandbox/faults/index.js';
import { makeTempDir } from '../../helpers/sandbox.js';

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(FaultProfileError);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a FaultProfileError');
}

describe('built-in fault profiles', () => {
  it('none changes nothing; aws-like and hostile are what the README says', () => {
    expect(BUILTIN_PROFILE_NAMES).toEqual(['none', 'aws-like', 'hostile']);
    expect(hasAnyFault(loadFaultProfile('none', { seed: 1 }))).toBe(false);
    const awsLike = loadFaultProfile('aws-like', { seed: 1 });
    expect(awsLike.rates).toEqual({ throttling: 0.1, serverErrors: 0.02, latencyMs: 50, jitterMs: 25 });
    expect(awsLike).toMatchObject({
      iamPropagationSeconds: 10,
      lambdaPendingSeconds: 2,
      ruleDelaySeconds: 5,
      metricDelaySeconds: 120,
      roleSessions: false,
    });
    const hostile = loadFaultProfile('hostile', { seed: 1 });
    expect(hostile.rates).toEqual({ throttling: 0.3, serverErrors: 0.1, latencyMs: 50, jitterMs: 25 });
    expect(hostile.iamPropagationSeconds).toBe(10);
  });

  it('takes a seed after a colon, and draws (and says) one when none is given', () => {
    const seeded = loadFaultProfile('aws-like:4242');
    expect(seeded).toMatchObject({ name: 'aws-like', seed: 4242, seedDrawn: false });
    const drawn = loadFaultProfile('aws-like');
    expect(drawn.seedDrawn).toBe(true);
    expect(Number.isInteger(drawn.seed)).toBe(true);
    expect(replayHint(drawn)).toBe(`aws-like:${drawn.seed}`);
    expect(describeFaultProfile(seeded)).toBe(
      'aws-like (seed 4242): 10% throttled, 2% server errors, 50 ± 25 ms latency, IAM propagation 10 s, Lambda Pending 2 s, new rules/targets 5 s, metric data 120 s late (delays in sandbox seconds)',
    );
  });

  it.each([
    ['aws-lik', /unknown fault profile "aws-lik": use none, aws-like, hostile, or a path to a \.json file/],
    ['aws-like:99999999999', /seed must be a whole number from 0 to 4294967295/],
    ['', /empty fault profile/],
    ['./missing.json', /neither a built-in \(none, aws-like, hostile\) nor an existing file/],
  ])('refuses %j', (spec, message) => {
    expect(refusal(() => loadFaultProfile(spec, { cwd: makeTempDir() }))).toMatch(message);
  });
});

describe('fault profile files', () => {
  const write = (json: unknown): { dir: string; file: string } => {
    const dir = makeTempDir('course-cli-faults-');
    const file = path.join(dir, 'profile.json');
    fs.writeFileSync(file, typeof json === 'string' ? json : JSON.stringify(json));
    return { dir, file };
  };

  it('extends a built-in, overrides per service and per operation, keeps its seed', () => {
    const { dir } = write({
      extends: 'aws-like',
      seed: 7,
      throttling: 0.05,
      roleSessions: true,
      ruleDelaySeconds: 0,
      services: {
        lambda: { throttling: 0.5, operations: { CreateFunction: { throttling: 1, serverErrors: 0 } } },
        stepfunctions: { latencyMs: 200 },
      },
    });
    const p = loadFaultProfile('profile.json', { cwd: dir });
    expect(p).toMatchObject({ name: 'profile.json', seed: 7, seedDrawn: false, roleSessions: true });
    expect(p.rates).toEqual({ throttling: 0.05, serverErrors: 0.02, latencyMs: 50, jitterMs: 25 });
    expect(p.ruleDelaySeconds).toBe(0);
    expect(p.iamPropagationSeconds).toBe(10);
    expect(ratesFor(p, 's3', 'PutObject')).toEqual(p.rates);
    expect(ratesFor(p, 'lambda', 'Invoke')).toMatchObject({ throttling: 0.5, serverErrors: 0.02 });
    expect(ratesFor(p, 'lambda', 'CreateFunction')).toMatchObject({ throttling: 1, serverErrors: 0 });
    // The AWS CLI's service name stands for the signing name.
    expect(ratesFor(p, 'states', 'StartExecution')).toMatchObject({ latencyMs: 200, throttling: 0.05 });
    expect(replayHint(p)).toBe('profile.json');
  });

  it('without a seed draws one, and says how to replay it', () => {
    const { file } = write({ extends: 'hostile' });
    const p = loadFaultProfile(file, { seed: 99 });
    expect(p).toMatchObject({ seed: 99, seedDrawn: true });
    expect(replayHint(p)).toBe(`${file} with "seed": 99 added to it`);
  });

  it.each<[string, unknown, RegExp]>([
    ['not JSON', '{ "throttling": ', /is not valid JSON/],
    ['not an object', [1, 2], /must be a JSON object/],
    [
      'an unknown setting',
      { throttle: 0.1 },
      /unknown setting "throttle"; allowed: extends, seed, throttling/,
    ],
    ['a rate above 1', { throttling: 1.5 }, /throttling must be a fraction from 0 to 1/],
    ['a negative rate', { serverErrors: -0.1 }, /serverErrors must be a fraction from 0 to 1/],
    ['a rate as text', { throttling: '10%' }, /throttling must be a fraction/],
    [
      'rates summing above 1',
      { throttling: 0.7, serverErrors: 0.5 },
      /throttling \+ serverErrors is more than 1/,
    ],
    ['a latency out of range', { latencyMs: 60_000 }, /latencyMs must be a number from 0 to 30000/],
    ['an unknown base', { extends: 'aws' }, /extends must be one of none, aws-like, hostile/],
    ['a fractional seed', { seed: 1.5 }, /seed must be a whole number/],
    ['roleSessions as text', { roleSessions: 'yes' }, /roleSessions must be true or false/],
    [
      'a delay out of range',
      { iamPropagationSeconds: 7200 },
      /iamPropagationSeconds must be a number from 0 to 3600/,
    ],
    [
      'a metric delay as text',
      { metricDelaySeconds: '2 min' },
      /metricDelaySeconds must be a number from 0 to 3600/,
    ],
    [
      'an unknown service',
      { services: { lambd: {} } },
      /services\.lambd: unknown service; use one of s3, iam/,
    ],
    [
      'a prototype key',
      JSON.parse('{"services": {"__proto__": {}}}'),
      /services\.__proto__: unknown service/,
    ],
    [
      'a service named twice',
      { services: { states: {}, stepfunctions: {} } },
      /the same service is named twice/,
    ],
    [
      'a bad operation name',
      { services: { lambda: { operations: { 'create-function': {} } } } },
      /operations\.create-function: not an operation name/,
    ],
    [
      'an operation setting unknown',
      { services: { s3: { operations: { PutObject: { operations: {} } } } } },
      /services\.s3\.operations\.PutObject: unknown setting "operations"/,
    ],
    [
      'an override summing above 1',
      { throttling: 0.5, services: { s3: { serverErrors: 0.6 } } },
      /services\.s3\.throttling \+ serverErrors is more than 1/,
    ],
  ])('refuses %s, naming the file and the setting', (_what, json, message) => {
    const { file } = write(json);
    const line = refusal(() => loadFaultProfile(file));
    expect(line).toContain(file);
    expect(line).toMatch(message);
  });

  it('refuses a directory and a file too large to be a profile', () => {
    const dir = makeTempDir();
    expect(refusal(() => loadFaultProfile(dir))).toMatch(/is not a file/);
    const big = path.join(dir, 'big.json');
    fs.writeFileSync(big, `{"seed": 1, "x": "${'a'.repeat(300 * 1024)}"}`);
    expect(refusal(() => loadFaultProfile(big))).toMatch(/larger than 256 KiB/);
  });

  it('a metric delay alone is a fault, and says so', () => {
    const p = profileFromJson({ seed: 3, metricDelaySeconds: 90 }, 'late.json');
    expect(p.metricDelaySeconds).toBe(90);
    expect(hasAnyFault(p)).toBe(true);
    expect(describeFaultProfile(p)).toBe(
      'late.json (seed 3): metric data 90 s late (delays in sandbox seconds)',
    );
    expect(loadFaultProfile('none', { seed: 1 }).metricDelaySeconds).toBe(0);
  });

  it('a profile built from JSON in code is checked the same way', () => {
    expect(refusal(() => profileFromJson({ latencyMs: -1 }, 'inline'))).toBe(
      'fault profile inline: latencyMs must be a number from 0 to 30000.',
    );
  });
});
