/**
 * demo3's "The outage ends" step against a real embedded sandbox: while an execution of the state
 * machine is still running (a reconciliation waiting out its grace period), the step does not lift
 * the outage; it waits for the execution to finish first, so no reconciliation meets the fix halfway
 * and the next one is the first to see it. (Under a metric delay the page arrives late and the
 * outage falls inside the next reconciliation's grace period: that run used to repair hour 03 alone.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { connectTarget, type ConnectedTarget } from '../../../src/cloud/target.js';
import { targetTime } from '../../../src/course/targetTime.js';
import type { StepContext } from '../../../src/course/model.js';
import { recoverySteps } from '../../../demos/demo3-hybrid-reconciliation/steps/recovery.js';
import { initialDemo3State, type Demo3State } from '../../../demos/demo3-hybrid-reconciliation/state.js';
import { RecordingIO } from '../../course/fakes.js';
import { zipOf } from '../../sandbox/lambda/fixtures.js';

let home: string;
let target: ConnectedTarget;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'course-demo3-outage-'));
  // A sandbox minute in one real second.
  target = await connectTarget({ kind: 'sandbox', timeScale: 60 }, { home });
}, 60_000);

afterAll(async () => {
  await target?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

const trust = (service: string): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });

describe("demo3's outage ends only when no reconciliation is running", () => {
  it('waits for the running execution to finish before removing SIMULATE_OUTAGE', async () => {
    const aws = target.clients;
    const state: Demo3State = initialDemo3State({});
    const fnRole = await aws.iam.send(
      new CreateRoleCommand({
        RoleName: 'process-role',
        AssumeRolePolicyDocument: trust('lambda.amazonaws.com'),
      }),
    );
    const fn = await aws.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'process-partition',
        Runtime: 'nodejs22.x',
        Role: fnRole.Role!.Arn!,
        Handler: 'index.handler',
        Code: { ZipFile: zipOf({ 'index.mjs': 'export const handler = async () => ({});' }) },
        Environment: { Variables: { SIMULATE_OUTAGE: 'true', BUCKET: 'b' } },
      }),
    );
    state.functions.process = { name: 'process-partition', arn: fn.FunctionArn! };
    const machineRole = await aws.iam.send(
      new CreateRoleCommand({
        RoleName: 'machine-role',
        AssumeRolePolicyDocument: trust('states.amazonaws.com'),
      }),
    );
    const machine = await aws.sfn.send(
      new CreateStateMachineCommand({
        name: 'reconcile-orders',
        roleArn: machineRole.Role!.Arn!,
        // A reconciliation in its grace period: two minutes of waiting.
        definition: JSON.stringify({
          StartAt: 'GracePeriod',
          States: { GracePeriod: { Type: 'Wait', Seconds: 120, End: true } },
        }),
      }),
    );
    state.stateMachine = { name: 'reconcile-orders', arn: machine.stateMachineArn! };
    const running = await aws.sfn.send(
      new StartExecutionCommand({ stateMachineArn: machine.stateMachineArn! }),
    );
    state.outage = { startedAt: target.clock.now() };

    const ctx: StepContext<Demo3State> = {
      aws,
      target: target.info,
      clock: target.clock,
      time: targetTime('sandbox', target.clock),
      resources: target.resources('demo3'),
      state,
      out: new RecordingIO(false),
      calls: target.calls,
      signal: new AbortController().signal,
      teardown: () => target.teardown('demo3'),
    };
    const step = recoverySteps.find((s) => s.id === 'outage-ends')!;
    await step.run(ctx);

    const execution = await aws.sfn.send(
      new DescribeExecutionCommand({ executionArn: running.executionArn! }),
    );
    expect(execution.status).toBe('SUCCEEDED');
    // The outage was lifted only after the reconciliation in flight had finished.
    expect(state.outage.endedAt).toBeGreaterThanOrEqual(execution.stopDate!.getTime());
    const cfg = await aws.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'process-partition' }),
    );
    expect(cfg.Environment?.Variables).toEqual({ BUCKET: 'b' });
    expect((await step.check(ctx)).filter((r) => !r.passed)).toEqual([]);
  }, 60_000);
});
