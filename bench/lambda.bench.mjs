// Lambda invoke latency: warm median, and cold start next to the cost of spawning an empty Node
// process on the same machine (measured interleaved, so both see the same load).
import { spawn } from 'node:child_process';
import { IAMClient } from '@aws-sdk/client-iam';
import {
  LambdaClient,
  InvokeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import {
  LAMBDA_BASIC,
  LAMBDA_WAIT,
  clientConfig,
  createNodeFunction,
  createServiceRole,
  median,
  withSandbox,
} from './benchSupport.mjs';

function spawnEmptyNode() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    p.on('error', reject);
    p.on('exit', () => resolve(performance.now() - t0));
  });
}

export function run() {
  return withSandbox('course-cli-bench-lambda-', {}, async (sb) => {
    const config = clientConfig(sb);
    const iam = new IAMClient(config);
    const lambda = new LambdaClient(config);
    await createNodeFunction(lambda, {
      name: 'bench',
      roleArn: await createServiceRole(iam, 'bench-exec', 'lambda.amazonaws.com', LAMBDA_BASIC),
      files: { 'index.mjs': 'export const handler = async (e) => ({ ok: e.i });' },
    });
    const invoke = async (i) => {
      const t0 = performance.now();
      const out = await lambda.send(
        new InvokeCommand({ FunctionName: 'bench', Payload: Buffer.from(JSON.stringify({ i })) }),
      );
      if (out.FunctionError) throw new Error(`bench handler failed: ${Buffer.from(out.Payload).toString()}`);
      return performance.now() - t0;
    };

    // Warm: one environment, reused.
    for (let i = 0; i < 20; i++) await invoke(i);
    const warm = [];
    for (let i = 0; i < 200; i++) warm.push(await invoke(i));

    // Cold: a configuration change retires the environment, so the next invoke spawns a new one.
    const cold = [];
    const empty = [];
    for (let i = 0; i < 15; i++) {
      await lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: 'bench',
          Environment: { Variables: { ROUND: String(i) } },
        }),
      );
      // Until the update is done, invocations would still run the previous configuration.
      await waitUntilFunctionUpdatedV2({ client: lambda, ...LAMBDA_WAIT }, { FunctionName: 'bench' });
      empty.push(await spawnEmptyNode());
      cold.push(await invoke(i));
    }
    const warmMedian = median(warm);
    const coldMedian = median(cold);
    const emptyMedian = median(empty);
    const ratio = coldMedian / emptyMedian;
    return [
      {
        area: 'lambda',
        metric: 'invoke warm, median',
        target: '≤ 10 ms',
        measured: `${warmMedian.toFixed(2)} ms`,
        ok: warmMedian <= 10,
      },
      {
        area: 'lambda',
        metric: 'empty node process spawn, median',
        target: '',
        measured: `${emptyMedian.toFixed(1)} ms`,
        ok: null,
      },
      {
        area: 'lambda',
        metric: 'invoke cold, median (× empty spawn)',
        target: '≤ 1.5×',
        measured: `${coldMedian.toFixed(1)} ms (${ratio.toFixed(2)}×)`,
        ok: ratio <= 1.5,
      },
    ];
  });
}
