// Step Functions: a 3-task state machine over warm Lambdas, start to SUCCEEDED (median), and 200
// concurrent executions of it completing without error (total time).
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import {
  SFNClient,
  CreateStateMachineCommand,
  StartExecutionCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';
import {
  LAMBDA_BASIC,
  clientConfig,
  createNodeFunction,
  createServiceRole,
  median,
  withSandbox,
} from './benchSupport.mjs';

async function waitDone(sfn, executionArn) {
  for (;;) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== 'RUNNING') return d;
    await new Promise((r) => setTimeout(r, 1));
  }
}

export function run() {
  return withSandbox('course-cli-bench-sfn-', {}, async (sb) => {
    const config = clientConfig(sb);
    const iam = new IAMClient(config);
    const lambda = new LambdaClient(config);
    const sfn = new SFNClient(config);
    const lambdaRoleArn = await createServiceRole(iam, 'bench-fn', 'lambda.amazonaws.com', LAMBDA_BASIC);
    const sfnRoleArn = await createServiceRole(iam, 'bench-sfn', 'states.amazonaws.com', {
      statements: [
        {
          Effect: 'Allow',
          Action: 'lambda:InvokeFunction',
          Resource: 'arn:aws:lambda:us-east-1:000000000000:function:*',
        },
      ],
    });
    for (const name of ['one', 'two', 'three']) {
      await createNodeFunction(lambda, {
        name,
        roleArn: lambdaRoleArn,
        files: { 'index.mjs': 'export const handler = async (e) => ({ n: (e.n ?? 0) + 1 });' },
      });
      await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 60 }, { FunctionName: name });
    }
    const task = (fn, next) => ({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: fn, 'Payload.$': '$' },
      OutputPath: '$.Payload',
      ...(next ? { Next: next } : { End: true }),
    });
    const sm = await sfn.send(
      new CreateStateMachineCommand({
        name: 'bench-chain',
        roleArn: sfnRoleArn,
        definition: JSON.stringify({
          StartAt: 'One',
          States: { One: task('one', 'Two'), Two: task('two', 'Three'), Three: task('three') },
        }),
      }),
    );
    const once = async () => {
      const t0 = performance.now();
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn, input: '{"n":0}' }),
      );
      const d = await waitDone(sfn, executionArn);
      if (d.status !== 'SUCCEEDED') throw new Error(`bench execution ${d.status}: ${d.error} ${d.cause}`);
      arns.push(executionArn);
      return performance.now() - t0;
    };
    const arns = [];

    for (let i = 0; i < 10; i++) await once(); // warm the three functions
    const times = [];
    for (let i = 0; i < 50; i++) times.push(await once());
    const m = median(times);
    // Where the time goes: the execution's own span (first to last history event) minus the time
    // spent inside Lambda invocations (TaskStarted → TaskSucceeded) is the interpreter's overhead.
    const overheads = [];
    for (const executionArn of arns.slice(-20)) {
      const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      const t = (e) => e.timestamp.getTime();
      let inLambda = 0;
      let started = 0;
      for (const e of events) {
        if (e.type === 'TaskStarted') started = t(e);
        if (e.type === 'TaskSucceeded') inLambda += t(e) - started;
      }
      overheads.push(t(events.at(-1)) - t(events[0]) - inLambda);
    }

    // Definition checks: a definition never seen runs the ASL schema check (its validator builds
    // its schema anew each call); one seen before is answered from the cache.
    const validate = async (definition) => {
      const t = performance.now();
      const out = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition }));
      if (out.result !== 'OK') throw new Error(`bench definition FAIL: ${JSON.stringify(out.diagnostics)}`);
      return performance.now() - t;
    };
    const distinct = (i) =>
      JSON.stringify({ StartAt: 'One', States: { One: task(`fn-${i}`, 'Two'), Two: task('two') } });
    const fresh = [];
    for (let i = 0; i < 8; i++) fresh.push(await validate(distinct(i)));
    const seen = [];
    for (let i = 0; i < 8; i++) seen.push(await validate(distinct(i)));

    const t0 = performance.now();
    const results = await Promise.allSettled(Array.from({ length: 200 }, () => once()));
    const total = performance.now() - t0;
    const failures = results.filter((r) => r.status === 'rejected');

    return [
      {
        area: 'stepfunctions',
        metric: '3-task machine, warm Lambdas, start→SUCCEEDED median',
        target: '≤ 60 ms',
        measured: `${m.toFixed(1)} ms`,
        ok: m <= 60,
      },
      {
        area: 'stepfunctions',
        metric: '  of which outside Lambda (interpreter), median',
        target: '',
        measured: `${median(overheads).toFixed(1)} ms`,
        ok: null,
      },
      {
        area: 'stepfunctions',
        metric: 'ValidateStateMachineDefinition, new definition, median',
        target: '',
        measured: `${median(fresh).toFixed(1)} ms`,
        ok: null,
      },
      {
        area: 'stepfunctions',
        metric: '  the same definition again (cached check), median',
        target: '',
        measured: `${median(seen).toFixed(1)} ms`,
        ok: null,
      },
      {
        area: 'stepfunctions',
        metric: '200 concurrent executions of it',
        target: 'all succeed',
        measured: `${200 - failures.length}/200 in ${(total / 1000).toFixed(2)} s${failures.length ? ` (${failures[0].reason.message})` : ''}`,
        ok: failures.length === 0,
      },
    ];
  });
}
