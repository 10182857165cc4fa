/**
 * The nasty-name table (nastyNames.ts) at the workflow operations that came after the first sweep:
 * Step Functions definitions (state names as StartAt, Next and Parameters keys) through
 * validation, creation, executions and EXPRESS sync executions; EventBridge log-group targets and
 * input transformer variables; Lambda's LoggingConfig log group.
 */
import {
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  FilterLogEventsCommand,
  PutResourcePolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import { RemoveTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';
import { StorageMismatch, type ClientConfig, type NamedOperation } from './nastyNames.js';

function same(what: string, actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new StorageMismatch(
      `${what}: stored ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
    );
  }
}

/** A machine whose states are named `n`: a Pass into a Choice into a Succeed. */
function machineNamed(n: string): string {
  return JSON.stringify({
    StartAt: n,
    States: {
      [n]: { Type: 'Pass', Parameters: { [n]: n }, Next: `${n}-choice` },
      [`${n}-choice`]: {
        Type: 'Choice',
        Choices: [{ Variable: '$', IsPresent: true, Next: `${n}-done` }],
        Default: `${n}-done`,
      },
      [`${n}-done`]: { Type: 'Succeed' },
    },
  });
}

const LOG_GROUP_ARN = (n: string): string => `arn:aws:logs:us-east-1:000000000000:log-group:${n}`;

async function executionOutput(sfn: SFNClient, executionArn: string): Promise<string | undefined> {
  for (let i = 0; i < 100; i++) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== 'RUNNING') return d.output;
    await new Promise((r) => setTimeout(r, 20));
  }
  return undefined;
}

/** The messages in a log group, once something has arrived (briefly waited for). */
async function messagesIn(logs: CloudWatchLogsClient, logGroupName: string): Promise<string[]> {
  for (let i = 0; i < 100; i++) {
    const out = await logs.send(new FilterLogEventsCommand({ logGroupName }));
    if ((out.events ?? []).length > 0) return out.events!.map((e) => e.message ?? '');
    await new Promise((r) => setTimeout(r, 20));
  }
  return [];
}

/** Resources the operations need: a rule for log-group targets, a policy letting events write logs. */
export async function prepareWorkflowFixtures(cfg: ClientConfig): Promise<void> {
  await new CloudWatchLogsClient(cfg).send(
    new PutResourcePolicyCommand({
      policyName: 'nasty-events-to-logs',
      policyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: 'arn:aws:logs:us-east-1:000000000000:log-group:*',
          },
        ],
      }),
    }),
  );
  await new EventBridgeClient(cfg).send(
    new PutRuleCommand({ Name: 'nasty-log-rule', EventPattern: '{"source":["nasty.logs"]}' }),
  );
}

export function workflowOperations(cfg: ClientConfig, roleArn: string): NamedOperation[] {
  const sfn = new SFNClient({ ...cfg, disableHostPrefix: true });
  const events = new EventBridgeClient(cfg);
  const logs = new CloudWatchLogsClient(cfg);
  const lambda = new LambdaClient(cfg);
  const smArn = (n: string) => `arn:aws:states:us-east-1:000000000000:stateMachine:${n}`;
  let groupCreated = false;

  return [
    // ---- Step Functions: definitions whose state names are nasty
    {
      what: 'states ValidateStateMachineDefinition (state names)',
      run: (n) => sfn.send(new ValidateStateMachineDefinitionCommand({ definition: machineNamed(n) })),
      check: (n, result) => {
        // A name of up to 80 characters validates (the States Language's only rule for names);
        // longer ones are diagnosed, as AWS diagnoses them.
        const out = result as { result?: string; diagnostics?: Array<{ code?: string; message?: string }> };
        if ([...n].length <= 80) {
          same(`validation of states named ${n}`, [out.result, out.diagnostics], ['OK', []]);
        } else {
          same(`result for states named ${n}`, out.result, 'FAIL');
          same(
            `diagnostics for states named ${n}`,
            out.diagnostics?.every((d) => d.code && d.message),
            true,
          );
        }
      },
    },
    {
      what: 'states ValidateStateMachineDefinition (Next to a missing state of that name)',
      run: (n) =>
        sfn.send(
          new ValidateStateMachineDefinitionCommand({
            definition: JSON.stringify({
              StartAt: 'A',
              States: { A: { Type: 'Pass', Next: n }, B: { Type: 'Succeed' } },
            }),
          }),
        ),
      check: (n, result) =>
        same(
          `missing target ${n}`,
          (result as { diagnostics?: Array<{ code?: string }> }).diagnostics?.some(
            (d) => d.code === 'MISSING_TRANSITION_TARGET',
          ),
          true,
        ),
    },
    {
      what: 'states CreateStateMachine + StartExecution through states named after it',
      run: (n) =>
        sfn.send(
          new CreateStateMachineCommand({ name: 'nasty-states', definition: machineNamed(n), roleArn }),
        ),
      check: async (n) => {
        const started = await sfn.send(
          new StartExecutionCommand({ stateMachineArn: smArn('nasty-states'), input: '{}' }),
        );
        const output = await executionOutput(sfn, started.executionArn!);
        same(`execution through states named ${n}`, output && Object.entries(JSON.parse(output)), [[n, n]]);
        await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: smArn('nasty-states') }));
      },
    },
    {
      what: 'states StartSyncExecution (EXPRESS, states and execution named after it)',
      run: async (n) => {
        await sfn.send(
          new CreateStateMachineCommand({
            name: 'nasty-express',
            type: 'EXPRESS',
            definition: machineNamed(n),
            roleArn,
          }),
        );
        try {
          return await sfn.send(
            new StartSyncExecutionCommand({
              stateMachineArn: smArn('nasty-express'),
              name: n,
              input: JSON.stringify({ [n]: 1 }),
            }),
          );
        } finally {
          await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: smArn('nasty-express') }));
        }
      },
      check: (n, result) => {
        const out = result as { status?: string; output?: string };
        same(
          `sync execution ${n}`,
          [out.status, out.output && Object.entries(JSON.parse(out.output))],
          ['SUCCEEDED', [[n, n]]],
        );
      },
    },

    // ---- EventBridge: log groups as targets, input transformer variables
    {
      what: 'events PutTargets (log group named after it, input path named after it) + PutEvents',
      run: async (n) => {
        groupCreated = await logs.send(new CreateLogGroupCommand({ logGroupName: n })).then(
          () => true,
          () => false,
        );
        return events.send(
          new PutTargetsCommand({
            Rule: 'nasty-log-rule',
            Targets: [
              {
                Id: 'log',
                Arn: LOG_GROUP_ARN(n),
                InputTransformer: {
                  InputPathsMap: { [n]: '$.detail.value' },
                  InputTemplate: `{"timestamp": <aws.events.event.ingestion-time>, "message": <${n}>}`,
                },
              },
            ],
          }),
        );
      },
      check: async (n) => {
        await events.send(
          new PutEventsCommand({
            Entries: [{ Source: 'nasty.logs', DetailType: n, Detail: JSON.stringify({ value: n }) }],
          }),
        );
        // Delivered through the input transformer's variable named `n`, into the group named `n`.
        if (groupCreated) same(`log target ${n}`, await messagesIn(logs, n), [n]);
        await events.send(new RemoveTargetsCommand({ Rule: 'nasty-log-rule', Ids: ['log'] }));
      },
    },

    // ---- Lambda: LoggingConfig's log group
    {
      what: 'lambda UpdateFunctionConfiguration LoggingConfig.LogGroup + Invoke',
      run: (n) =>
        lambda.send(
          new UpdateFunctionConfigurationCommand({
            FunctionName: 'nasty-fn',
            LoggingConfig: { LogFormat: 'JSON', LogGroup: n },
          }),
        ),
      check: async (n) => {
        await waitUntilFunctionUpdatedV2(
          { client: lambda, maxWaitTime: 30, minDelay: 0.2 },
          { FunctionName: 'nasty-fn' },
        );
        const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'nasty-fn' }));
        same(`function log group ${n}`, config.LoggingConfig?.LogGroup, n);
        const out = await lambda.send(new InvokeCommand({ FunctionName: 'nasty-fn', Payload: '{}' }));
        same(`invoke logging to ${n}`, out.StatusCode, 200);
      },
    },
  ];
}
