/**
 * What every demo's teardown step does the same way: stop a state machine's running executions
 * before its resources go, keep the teardown flow's report in the demo's state, and check it — no
 * deletion failed, nothing still tagged with the run, nothing the demo created still listed.
 * (The flow itself has already listed each deletion, failure and leftover to the learner.)
 */
import type { AwsClients } from '../../src/cloud/types.js';
import type { CreatedResource, TeardownReport } from '../../src/cloud/resourceTypes.js';
import { stopRunningExecutions } from '../../src/cloud/resources/stateMachine.js';
import type { CheckResult } from '../../src/course/model.js';
import { executionName } from '../../src/course/execution/followExecution.js';
import { expectEqual } from './checks.js';

/** What a demo keeps of a teardown, for its checks. */
export interface TeardownRecord {
  deleted: number;
  alreadyGone: number;
  /** `kind name: error` of each deletion that failed. */
  failed: string[];
  /** `kind name` of each resource the sweep still found tagged with the run. */
  leftovers: string[];
}

const label = (r: CreatedResource): string => `${r.kind} ${r.name}`;

export function recordTeardown(report: TeardownReport): TeardownRecord {
  return {
    deleted: report.deleted.length,
    alreadyGone: report.alreadyGone.length,
    failed: report.failed.map((f) => `${label(f.resource)}: ${f.error}`),
    leftovers: report.leftovers.map(label),
  };
}

/**
 * The teardown's checks: no failed deletion, no leftover, and nothing of `listed` (what the demo
 * created, as the List calls were asked about it) in `remaining`.
 */
export function teardownChecks(
  record: TeardownRecord | undefined,
  listed: string,
  remaining: string[],
): CheckResult[] {
  return [
    expectEqual('deletions that failed', [], record?.failed ?? ['(teardown did not report)']),
    expectEqual('leftovers found by the tag sweep', [], record?.leftovers ?? ['(teardown did not report)']),
    expectEqual(`${listed} still listed`, [], remaining),
  ];
}

/** The running executions of a state machine, stopped; none when it is already gone. */
export async function stopRunningExecutionsIfAny(
  aws: Pick<AwsClients, 'sfn'>,
  stateMachineArn: string,
): Promise<string[]> {
  try {
    return await stopRunningExecutions(aws, stateMachineArn);
  } catch (err) {
    if ((err as Error).name === 'StateMachineDoesNotExist') return [];
    throw err;
  }
}

/** The stopped executions (ARNs) in a sentence, by name. */
export function describeStopped(stopped: string[]): string {
  if (stopped.length === 0) return 'No execution was still running.';
  const n = stopped.length;
  return `Stopped ${n} running execution${n === 1 ? '' : 's'}: ${stopped.map(executionName).join(', ')}.`;
}
