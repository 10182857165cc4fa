// EventBridge: PutEvents → matching Lambda target started (warm median), and the steadiness of a
// rate(1 minute) schedule at time-scale 60 (one fire per real second, ±10%).
import fs from 'node:fs';
import path from 'node:path';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient, AddPermissionCommand } from '@aws-sdk/client-lambda';
import {
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  PutEventsCommand,
  DisableRuleCommand,
} from '@aws-sdk/client-eventbridge';
import {
  LAMBDA_BASIC,
  clientConfig,
  createNodeFunction,
  createServiceRole,
  median,
  withSandbox,
} from './benchSupport.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The handler stamps the wall-clock moment it starts, keyed by event id.
const handler = `
const fs = require('node:fs');
exports.handler = async (event) => {
  fs.appendFileSync(process.env.OUT_FILE, JSON.stringify({ id: event.id, t: performance.timeOrigin + performance.now() }) + '\\n');
};`;

function readStamps(file) {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

async function setup(sb, dir) {
  const config = clientConfig(sb);
  const iam = new IAMClient(config);
  const lambda = new LambdaClient(config);
  const eb = new EventBridgeClient(config);
  const roleArn = await createServiceRole(iam, 'bench-events-fn', 'lambda.amazonaws.com', LAMBDA_BASIC);
  const target = async (name, ruleArn) => {
    const file = path.join(dir, `${name}.jsonl`);
    const fn = await createNodeFunction(lambda, {
      name,
      roleArn,
      files: { 'index.js': handler },
      environment: { OUT_FILE: file },
    });
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: name,
        StatementId: 'events',
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: ruleArn,
      }),
    );
    return { arn: fn.FunctionArn, file };
  };
  return { eb, target };
}

async function putEventsLatency(sb, dir) {
  const { eb, target } = await setup(sb, dir);
  const { RuleArn } = await eb.send(
    new PutRuleCommand({ Name: 'bench-put', EventPattern: '{"source":["bench"]}' }),
  );
  const fn = await target('bench-put-target', RuleArn);
  await eb.send(new PutTargetsCommand({ Rule: 'bench-put', Targets: [{ Id: 'fn', Arn: fn.arn }] }));
  const samples = [];
  for (let i = 0; i < 35; i++) {
    const t0 = Date.now();
    const out = await eb.send(
      new PutEventsCommand({
        Entries: [{ Source: 'bench', DetailType: 'tick', Detail: JSON.stringify({ i }) }],
      }),
    );
    const id = out.Entries[0].EventId;
    let stamp;
    const deadline = Date.now() + 10_000;
    while (!(stamp = readStamps(fn.file).find((s) => s.id === id)) && Date.now() < deadline) await sleep(1);
    if (stamp && i >= 5) samples.push(stamp.t - t0); // the first few warm the environment
  }
  return median(samples);
}

async function scheduleIntervals(sb, dir) {
  const { eb, target } = await setup(sb, dir);
  const { RuleArn } = await eb.send(
    new PutRuleCommand({ Name: 'bench-tick', ScheduleExpression: 'rate(1 minute)' }),
  );
  const fn = await target('bench-tick-target', RuleArn);
  await eb.send(new PutTargetsCommand({ Rule: 'bench-tick', Targets: [{ Id: 'fn', Arn: fn.arn }] }));
  await sleep(11_500);
  await eb.send(new DisableRuleCommand({ Name: 'bench-tick' }));
  const times = readStamps(fn.file).map((s) => s.t);
  // The first fire includes the cold start; measure the steady intervals after it.
  const intervals = times.slice(2).map((t, i) => t - times[i + 1]);
  return intervals;
}

export async function run() {
  const ms = await withSandbox('course-cli-bench-events-', {}, putEventsLatency);
  const intervals = await withSandbox('course-cli-bench-events-', { timeScale: 60 }, scheduleIntervals);
  const med = intervals.length ? median(intervals) : NaN;
  const lo = Math.min(...intervals);
  const hi = Math.max(...intervals);
  return [
    {
      area: 'events',
      metric: 'PutEvents → Lambda target started, warm median',
      target: '≤ 20 ms',
      measured: `${ms.toFixed(1)} ms`,
      ok: ms <= 20,
    },
    {
      area: 'events',
      metric: 'rate(1 minute) at time-scale 60: interval between fires',
      target: '1000 ms ± 10%',
      measured: `median ${med.toFixed(0)} ms (min ${lo.toFixed(0)} / max ${hi.toFixed(0)}, n=${intervals.length})`,
      ok: intervals.length >= 5 && Math.abs(med - 1000) <= 100,
    },
  ];
}
