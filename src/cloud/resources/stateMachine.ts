/**
 * Step Functions state machines. Creation is retried while the new role propagates; an existing
 * state machine of ours is updated to the spec (definition, role, logging).
 */
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeStateMachineCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  ListTagsForResourceCommand,
  StopExecutionCommand,
  TagResourceCommand,
  UpdateStateMachineCommand,
  type LoggingConfiguration,
} from '@aws-sdk/client-sfn';
import { errorName, isNotFound } from '../awsErrors.js';
import type { AwsClients } from '../types.js';
import { tagsMatch } from '../naming.js';
import type { StateMachineSpec } from '../resourceTypes.js';
import { assertAdoptable, type KindTeardown, type ResourceContext } from './context.js';
import { retryWhileRolePropagates } from './iamPropagation.js';
import { removeIfOurs, sweepByPrefix } from './ownership.js';

export function stateMachineArn(ctx: { region: string; accountId: string }, name: string): string {
  return `arn:aws:states:${ctx.region}:${ctx.accountId}:stateMachine:${name}`;
}

function sfnTags(tags: Record<string, string>): Array<{ key: string; value: string }> {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

async function stateMachineTags(
  ctx: ResourceContext,
  arn: string,
): Promise<Record<string, string> | undefined> {
  try {
    const out = await ctx.clients.sfn.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    const map: Record<string, string> = {};
    for (const t of out.tags ?? []) if (t.key !== undefined) map[t.key] = t.value ?? '';
    return map;
  } catch (err) {
    if (isNotFound(err) || errorName(err) === 'InvalidArn') return undefined;
    throw err;
  }
}

function logging(spec: StateMachineSpec): LoggingConfiguration | undefined {
  if (!spec.logGroupArn) return undefined;
  return {
    level: 'ALL',
    includeExecutionData: true,
    destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: spec.logGroupArn } }],
  };
}

export async function createStateMachine(
  ctx: ResourceContext,
  spec: StateMachineSpec,
  name: string,
  ledgerNamedBefore: boolean,
): Promise<string> {
  const sfn = ctx.clients.sfn;
  const definition = JSON.stringify(spec.definition);
  try {
    const out = await retryWhileRolePropagates(ctx, spec.roleArn, `creating state machine ${name}`, () =>
      sfn.send(
        new CreateStateMachineCommand({
          name,
          definition,
          roleArn: spec.roleArn,
          type: spec.type ?? 'STANDARD',
          loggingConfiguration: logging(spec),
          tags: sfnTags(ctx.tags),
        }),
      ),
    );
    return out.stateMachineArn ?? stateMachineArn(ctx, name);
  } catch (err) {
    if (errorName(err) !== 'StateMachineAlreadyExists') throw err;
  }
  const arn = stateMachineArn(ctx, name);
  const tags = await stateMachineTags(ctx, arn);
  assertAdoptable(ctx, 'state-machine', name, tags, ledgerNamedBefore);
  await retryWhileRolePropagates(ctx, spec.roleArn, `updating state machine ${name}`, () =>
    sfn.send(
      new UpdateStateMachineCommand({
        stateMachineArn: arn,
        definition,
        roleArn: spec.roleArn,
        loggingConfiguration: logging(spec),
      }),
    ),
  );
  if (!tagsMatch(tags, ctx.demo, ctx.runId)) {
    await sfn.send(new TagResourceCommand({ resourceArn: arn, tags: sfnTags(ctx.tags) }));
  }
  return arn;
}

/** AWS deletes state machines asynchronously; one in DELETING is not a leftover. */
async function isBeingDeleted(ctx: ResourceContext, arn: string): Promise<boolean> {
  try {
    const out = await ctx.clients.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    return out.status === 'DELETING';
  } catch (err) {
    if (isNotFound(err)) return true;
    throw err;
  }
}

/**
 * Stop every RUNNING execution of a state machine; returns their ARNs. A STANDARD execution waiting
 * on a task or a Wait state would otherwise keep a deleted state machine in DELETING until it moves.
 */
export async function stopRunningExecutions(
  clients: Pick<AwsClients, 'sfn'>,
  stateMachine: string,
  cause = 'Stopped by course-cli teardown',
): Promise<string[]> {
  const stopped: string[] = [];
  let token: string | undefined;
  do {
    const page = await clients.sfn.send(
      new ListExecutionsCommand({ stateMachineArn: stateMachine, statusFilter: 'RUNNING', nextToken: token }),
    );
    for (const e of page.executions ?? []) {
      if (!e.executionArn) continue;
      try {
        await clients.sfn.send(new StopExecutionCommand({ executionArn: e.executionArn, cause }));
        stopped.push(e.executionArn);
      } catch (err) {
        // It finished between the listing and the stop: nothing to do.
        if (!isNotFound(err) && errorName(err) !== 'ExecutionDoesNotExist') throw err;
      }
    }
    token = page.nextToken;
  } while (token);
  return stopped;
}

export const stateMachineTeardown: KindTeardown = {
  async remove(ctx, ref) {
    const arn = ref.arn || stateMachineArn(ctx, ref.name);
    return removeIfOurs(ctx, {
      tags: await stateMachineTags(ctx, arn),
      remove: async () => {
        await stopRunningExecutions(ctx.clients, arn);
        await ctx.clients.sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
      },
    });
  },
  sweep(ctx) {
    return sweepByPrefix(ctx, {
      page: async (token) => {
        const out = await ctx.clients.sfn.send(new ListStateMachinesCommand({ nextToken: token }));
        return { items: out.stateMachines ?? [], next: out.nextToken };
      },
      name: (m) => m.name,
      arn: (m) => m.stateMachineArn || undefined,
      leaving: (arn) => isBeingDeleted(ctx, arn),
      tags: (_name, arn) => stateMachineTags(ctx, arn),
    });
  },
};
