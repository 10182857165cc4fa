import { describe, expect, it } from 'vitest';
import { describeStopped, recordTeardown, teardownChecks } from '../../../demos/shared/teardownStep.js';
import type { CreatedResource } from '../../../src/cloud/resourceTypes.js';

const bucket: CreatedResource = { kind: 's3-bucket', name: 'b', arn: 'arn:aws:s3:::b' } as CreatedResource;
const role: CreatedResource = {
  kind: 'iam-role',
  name: 'r',
  arn: 'arn:aws:iam::1:role/r',
} as CreatedResource;

describe("a demo's teardown step", () => {
  it('keeps the report as counts and labels, and its checks pass only when nothing is left', () => {
    const clean = recordTeardown({ deleted: [bucket, role], alreadyGone: [], failed: [], leftovers: [] });
    expect(clean).toEqual({ deleted: 2, alreadyGone: 0, failed: [], leftovers: [] });
    expect(teardownChecks(clean, 'bucket, role', []).map((c) => [c.label, c.passed])).toEqual([
      ['deletions that failed', true],
      ['leftovers found by the tag sweep', true],
      ['bucket, role still listed', true],
    ]);
    const dirty = recordTeardown({
      deleted: [],
      alreadyGone: [bucket],
      failed: [{ resource: role, error: 'DeleteConflict: policies attached' }],
      leftovers: [bucket],
    });
    expect(dirty.failed).toEqual(['iam-role r: DeleteConflict: policies attached']);
    expect(teardownChecks(dirty, 'bucket, role', ['s3-bucket b']).map((c) => c.passed)).toEqual([
      false,
      false,
      false,
    ]);
    // No record (the run step did not get that far): the checks say so, they do not pass.
    expect(
      teardownChecks(undefined, 'x', [])
        .slice(0, 2)
        .map((c) => [c.passed, c.actual]),
    ).toEqual([
      [false, '["(teardown did not report)"]'],
      [false, '["(teardown did not report)"]'],
    ]);
  });

  it('names the executions it stopped', () => {
    expect(describeStopped([])).toBe('No execution was still running.');
    expect(describeStopped(['arn:aws:states:us-east-1:1:execution:m:run-1'])).toBe(
      'Stopped 1 running execution: run-1.',
    );
    expect(describeStopped(['arn:x:execution:m:a', 'arn:x:execution:m:b'])).toBe(
      'Stopped 2 running executions: a, b.',
    );
  });
});
