/**
 * Tearing down a state machine with an execution still running (a Wait of an hour): teardown stops
 * the execution first (StopExecution), so on AWS the state machine is deleted rather than left
 * DELETING behind an execution that will not move for an hour.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DescribeExecutionCommand,
  ListStateMachinesCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { connectTarget, type ConnectedTarget } from '../../src/cloud/target.js';
import { stopRunningExecutions } from '../../src/cloud/resources/stateMachine.js';

let home: string;
let target: ConnectedTarget;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'course-cloud-sfn-teardown-'));
  target = await connectTarget({ kind: 'sandbox', timeScale: 60 }, { home });
}, 60_000);

afterAll(async () => {
  await target?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

async function machineThatWaits(part: string) {
  const rm = target.resources('demo9');
  const role = await rm.role({
    part: 'sfn',
    description: 'test',
    trustedService: 'states.amazonaws.com',
    inlinePolicies: {
      none: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] },
    },
  });
  return rm.stateMachine({
    part,
    roleArn: role.arn,
    definition: {
      StartAt: 'Pause',
      States: { Pause: { Type: 'Wait', SecondsPath: '$.wait', End: true } },
    },
  });
}

const start = async (stateMachineArn: string, wait: number): Promise<string> =>
  (
    await target.clients.sfn.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ wait }) }),
    )
  ).executionArn!;

describe('stopRunningExecutions', () => {
  it('stops exactly the running executions, with its cause, and is a no-op the second time', async () => {
    const sm = await machineThatWaits('stops');
    const done = await start(sm.arn, 0);
    const running = [await start(sm.arn, 3600), await start(sm.arn, 3600)];
    await expect
      .poll(
        async () =>
          (await target.clients.sfn.send(new DescribeExecutionCommand({ executionArn: done }))).status,
      )
      .toBe('SUCCEEDED');

    expect((await stopRunningExecutions(target.clients, sm.arn)).sort()).toEqual([...running].sort());
    for (const executionArn of running) {
      const d = await target.clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect(d.status).toBe('ABORTED');
      expect(d.cause).toBe('Stopped by course-cli teardown');
    }
    expect(await stopRunningExecutions(target.clients, sm.arn)).toEqual([]);
  });
});

describe('state machine teardown', () => {
  it('stops running executions before it deletes the state machine', async () => {
    const sm = await machineThatWaits('teardown');
    await start(sm.arn, 3600);
    const mark = target.calls.mark();
    const report = await target.teardown('demo9');
    expect(report.failed).toEqual([]);
    expect(report.deleted.map((r) => r.name)).toContain(sm.name);
    const ops = target.calls
      .since(mark)
      .map((c) => c.operation)
      .filter((o) => o === 'StopExecution' || o === 'DeleteStateMachine');
    expect(ops).toEqual(['StopExecution', 'DeleteStateMachine', 'DeleteStateMachine']);
    const listed = await target.clients.sfn.send(new ListStateMachinesCommand({}));
    expect((listed.stateMachines ?? []).map((m) => m.name)).not.toContain(sm.name);
  });
});
