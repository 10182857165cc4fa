/**
 * The AWS/States metrics Step Functions publishes, read back through CloudWatch: per execution
 * outcome (ExecutionsSucceeded/Failed/TimedOut/Aborted) and per Lambda task (LambdaFunctions* by
 * LambdaFunctionArn for a function ARN, ServiceIntegrations* for `lambda:invoke`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateStateMachineCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { createFunction, createRole, waitForExecution } from './fixtures.js';

let sb: TestSandbox;
let sfn: SFNClient;
let cw: CloudWatchClient;
let role: string;

beforeAll(async () => {
  // Waits and timeouts of an hour pass in a few real seconds.
  sb = await startTestSandbox({ timeScale: 600 });
  sfn = new SFNClient(sb.clientConfig);
  cw = new CloudWatchClient(sb.clientConfig);
  role = await createRole(sb, 'sfn-metrics');
  const lambdaRole = await createRole(sb, 'sfn-metrics-fn', 'lambda.amazonaws.com');
  await createFunction(sb, lambdaRole, 'ok', 'async (e) => e');
  await createFunction(sb, lambdaRole, 'broken', "async () => { throw new Error('no'); }");
}, 60_000);
afterAll(() => sb?.stop());

async function machine(name: string, definition: object): Promise<string> {
  const out = await sfn.send(
    new CreateStateMachineCommand({ name, roleArn: role, definition: JSON.stringify(definition) }),
  );
  return out.stateMachineArn!;
}

async function sum(
  metricName: string,
  dimension: { Name: string; Value: string },
): Promise<number | undefined> {
  const now = sb.sandbox.clock.now();
  const out = await cw.send(
    new GetMetricStatisticsCommand({
      Namespace: 'AWS/States',
      MetricName: metricName,
      Dimensions: [dimension],
      StartTime: new Date(now - 86_400_000),
      EndTime: new Date(now + 60_000),
      Period: 86_400,
      Statistics: ['Sum'],
    }),
  );
  const points = out.Datapoints ?? [];
  return points.length === 0 ? undefined : points.reduce((n, d) => n + (d.Sum ?? 0), 0);
}

describe('AWS/States metrics', () => {
  it('counts timed-out and aborted executions', { timeout: 60_000 }, async () => {
    const slow = await machine('slow', {
      TimeoutSeconds: 60,
      StartAt: 'Nap',
      States: { Nap: { Type: 'Wait', Seconds: 3600, End: true } },
    });
    const timedOut = await sfn.send(new StartExecutionCommand({ stateMachineArn: slow }));
    expect((await waitForExecution(sfn, timedOut.executionArn!)).status).toBe('TIMED_OUT');
    // Stopped on a machine of its own without a timeout: at this time-scale the 60 s above pass in
    // 100 ms, which a loaded machine can spend between StartExecution and StopExecution.
    const patient = await machine('patient', {
      StartAt: 'Nap',
      States: { Nap: { Type: 'Wait', Seconds: 3600, End: true } },
    });
    const stopped = await sfn.send(new StartExecutionCommand({ stateMachineArn: patient }));
    await sfn.send(new StopExecutionCommand({ executionArn: stopped.executionArn, error: 'Manual' }));
    expect((await waitForExecution(sfn, stopped.executionArn!)).status).toBe('ABORTED');
    const bySlow = { Name: 'StateMachineArn', Value: slow };
    const byPatient = { Name: 'StateMachineArn', Value: patient };
    expect(await sum('ExecutionsStarted', bySlow)).toBe(1);
    expect(await sum('ExecutionsTimedOut', bySlow)).toBe(1);
    expect(await sum('ExecutionsAborted', bySlow)).toBeUndefined();
    expect(await sum('ExecutionsStarted', byPatient)).toBe(1);
    expect(await sum('ExecutionsAborted', byPatient)).toBe(1);
    expect(await sum('ExecutionsTimedOut', byPatient)).toBeUndefined();
  });

  it(
    'publishes LambdaFunctions* and ServiceIntegrations* for Lambda tasks',
    { timeout: 60_000 },
    async () => {
      const okArn = 'arn:aws:lambda:us-east-1:000000000000:function:ok';
      const sm = await machine('tasks', {
        StartAt: 'Direct',
        States: {
          Direct: { Type: 'Task', Resource: okArn, Next: 'Integrated' },
          Integrated: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'broken', 'Payload.$': '$' },
            End: true,
          },
        },
      });
      const run = await sfn.send(new StartExecutionCommand({ stateMachineArn: sm, input: '{"n":1}' }));
      expect((await waitForExecution(sfn, run.executionArn!)).status).toBe('FAILED');

      const byFunction = { Name: 'LambdaFunctionArn', Value: okArn };
      for (const name of ['LambdaFunctionsScheduled', 'LambdaFunctionsStarted', 'LambdaFunctionsSucceeded'])
        expect(await sum(name, byFunction), name).toBe(1);
      expect(await sum('LambdaFunctionsFailed', byFunction)).toBeUndefined();
      const byIntegration = {
        Name: 'ServiceIntegrationResourceArn',
        Value: 'arn:aws:states:::lambda:invoke',
      };
      for (const name of [
        'ServiceIntegrationsScheduled',
        'ServiceIntegrationsStarted',
        'ServiceIntegrationsFailed',
      ])
        expect(await sum(name, byIntegration), name).toBe(1);
      expect(await sum('ExecutionsFailed', { Name: 'StateMachineArn', Value: sm })).toBe(1);

      const listed = await cw.send(
        new ListMetricsCommand({ Namespace: 'AWS/States', Dimensions: [byFunction] }),
      );
      expect(listed.Metrics!.map((m) => m.MetricName).sort()).toEqual([
        'LambdaFunctionRunTime',
        'LambdaFunctionScheduleTime',
        'LambdaFunctionTime',
        'LambdaFunctionsScheduled',
        'LambdaFunctionsStarted',
        'LambdaFunctionsSucceeded',
      ]);
    },
  );
});
