/**
 * The run's closing line, and the classification behind it: the codes and statuses the cloud layer
 * treats as "AWS was busy" are exactly the ones the SDK's retry strategy retries, and every error
 * the sandbox injects is one of them.
 */
import { describe, expect, it } from 'vitest';
import { isThrottlingError, isTransientError } from '@smithy/core/retry';
import { isRetriedFault, isThrottling } from '../../src/cloud/awsErrors.js';
import { FaultTally } from '../../src/cloud/faultTally.js';
import { faultErrorsOf } from '../../src/sandbox/faults/index.js';
import { SERVICES_WITH_FAULT_ERRORS } from '../../src/sandbox/faults/serviceErrors.js';

const sdkError = (name: string, status?: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

describe('which errors are faults the SDK retries', () => {
  it("agrees with the SDK for every code and status it names, and for the sandbox's faults", () => {
    const names = [
      'SlowDown',
      'Throttling',
      'ThrottlingException',
      'TooManyRequestsException',
      'RequestLimitExceeded',
      'ProvisionedThroughputExceededException',
      'NoSuchKey',
      'AccessDenied',
      'ValidationException',
      'ResourceConflictException',
    ];
    for (const name of names) {
      for (const status of [400, 403, 404, 409, 429, 500, 501, 502, 503, 504]) {
        const err = sdkError(name, status);
        const sdkRetries = isThrottlingError(err as never) || isTransientError(err as never);
        expect(isRetriedFault(err), `${name} ${status}`).toBe(sdkRetries);
        expect(isThrottling(err), `${name} ${status}`).toBe(isThrottlingError(err as never));
      }
    }
    for (const service of SERVICES_WITH_FAULT_ERRORS) {
      const errors = faultErrorsOf(service);
      for (const e of [errors.throttling(), ...errors.serverErrors.map((f) => f())]) {
        expect(isRetriedFault(sdkError(e.code, e.statusCode)), `${service} ${e.code}`).toBe(true);
      }
      const t = errors.throttling();
      expect(isThrottling(sdkError(t.code, t.statusCode)), `${service} ${t.code}`).toBe(true);
    }
  });
});

describe('the closing line', () => {
  it('names each kind met, most frequent first, and says all were absorbed', () => {
    const tally = new FaultTally();
    tally.recordCall({
      service: 'S3',
      operation: 'GetObject',
      attempts: 3,
      retriedErrors: ['SlowDown', 'SlowDown'],
    });
    tally.recordCall({
      service: 'Lambda',
      operation: 'Invoke',
      attempts: 2,
      retriedErrors: ['ServiceException'],
    });
    tally.recordCall({ service: 'IAM', operation: 'GetRole', attempts: 1, retriedErrors: [] });
    tally.recordWait('iam-propagation');
    tally.recordWait('lambda-state');
    expect(tally.met).toBe(5);
    expect(tally.summary({ profile: 'aws-like', seed: 42 })).toBe(
      'Faults met under fault profile aws-like (seed 42): 5, all absorbed — 3 retried by the SDK (2 SlowDown, 1 ServiceException), 2 waited out by the CLI (1 IAM propagation, 1 Lambda Pending or updating).',
    );
    expect(tally.notable).toBe(true);
  });

  it('says what was not absorbed', () => {
    const tally = new FaultTally();
    tally.recordCall({ service: 'S3', operation: 'GetObject', attempts: 2, retriedErrors: ['SlowDown'] });
    tally.recordCall({
      service: 'Lambda',
      operation: 'CreateFunction',
      attempts: 10,
      retriedErrors: Array(9).fill('TooManyRequestsException'),
      gaveUpOn: 'TooManyRequestsException',
    });
    expect(tally.summary()).toBe(
      'Faults met: 11, 1 absorbed, 10 not — 1 retried by the SDK (1 SlowDown); not absorbed: Lambda CreateFunction refused 10 times (last: TooManyRequestsException).',
    );
  });

  it('under a profile, meeting nothing is called out; without one, Pending alone is ordinary', () => {
    expect(new FaultTally().summary({ profile: 'aws-like', seed: 1 })).toBe(
      'Faults met under fault profile aws-like (seed 1): none — a profile that injects nothing tests nothing.',
    );
    const tally = new FaultTally();
    tally.recordWait('lambda-state');
    expect(tally.notable).toBe(false);
    tally.recordWait('iam-propagation');
    expect(tally.notable).toBe(true);
  });
});
