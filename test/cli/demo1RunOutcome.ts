/**
 * Test helper for tests about something other than demo1's checks (locks, a second terminal): the
 * run finished, with its summary line, and no check failed — except the one a known demo1 race can
 * fail on a loaded machine: the schedule is created a step before the permission that lets
 * EventBridge invoke the function, so a fire falling between the two counts as a FailedInvocation
 * (reported to demo1's owner). The exit code agrees with the checks.
 */
import { expect } from 'vitest';

const TOLERATED = /✖ AWS\/Events FailedInvocations for the rule/;

export function expectDemo1Finished(output: string, exitCode: number | null): void {
  expect(output).toMatch(/\d+ checks passed, \d+ failed/);
  const failed = output.split('\n').filter((l) => l.includes('✖'));
  expect(
    failed.filter((l) => !TOLERATED.test(l)),
    output,
  ).toEqual([]);
  expect(exitCode, output).toBe(failed.length === 0 ? 0 : 1);
}
