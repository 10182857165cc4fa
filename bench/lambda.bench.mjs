// Lambda invoke latency: warm median, and cold start next to the cost of spawning an empty Node
// process on the same machine (measured interleaved, so both see the same load).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { IAMClient, CreateRoleCommand } from '@aws-sdk/client-iam';
import {
  LambdaClient,
  CreateFunctionCommand,
  InvokeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { startSandbox } from '../dist/src/sandbox/index.js';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function spawnEmptyNode() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    p.on('error', reject);
    p.on('exit', () => resolve(performance.now() - t0));
  });
}

export async function run() {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-cli-bench-lambda-'));
  const sb = await startSandbox({ stateDir });
  try {
    const config = {
      region: 'us-east-1',
      endpoint: sb.endpoint,
      credentials: sb.credentials,
      maxAttempts: 1,
    };
    const iam = new IAMClient(config);
    const lambda = new LambdaClient(config);
    const role = await iam.send(
      new CreateRoleCommand({
        RoleName: 'bench-exec',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    );
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'bench',
        Runtime: 'nodejs22.x',
        Role: role.Role.Arn,
        Handler: 'index.handler',
        Code: {
          ZipFile: zipSync({ 'index.mjs': strToU8('export const handler = async (e) => ({ ok: e.i });') }),
        },
      }),
    );
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
  } finally {
    await sb.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}
