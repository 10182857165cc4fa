/**
 * Lambda functions. CreateFunction is retried while the new role propagates, then we wait for the
 * function to be Active. An existing function of ours is brought to the spec (code, then
 * configuration), waiting for each update to finish as Lambda requires.
 */
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  ListFunctionsCommand,
  ListTagsCommand,
  TagResourceCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { errorName, errorMessage } from '../awsErrors.js';
import { tagsMatch } from '../naming.js';
import type { FunctionSpec } from '../resourceTypes.js';
import { assertAdoptable, type KindTeardown, type ResourceContext } from './context.js';
import { retryWhileRolePropagates } from './iamPropagation.js';
import { removeIfOurs, sweepByPrefix, unlessNotFound } from './ownership.js';

/**
 * Lambda is briefly Pending after a create and InProgress after an update (seconds on AWS, a moment
 * in the sandbox): poll soon, then back off.
 */
const WAIT = { maxWaitTime: 300, minDelay: 0.2, maxDelay: 5 };

export function functionArn(ctx: { region: string; accountId: string }, name: string): string {
  return `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${name}`;
}

/** The function's tags, or undefined when it does not exist. */
export async function functionTags(
  ctx: ResourceContext,
  name: string,
): Promise<Record<string, string> | undefined> {
  return unlessNotFound(async () => {
    const out = await ctx.clients.lambda.send(new ListTagsCommand({ Resource: functionArn(ctx, name) }));
    return out.Tags ?? {};
  });
}

/**
 * Wait until the function is Active (after a create) or its last update is done: look once, and if
 * Lambda is not there yet, say so, count the wait and let the SDK's waiter poll (bounded by WAIT).
 */
async function waitReady(ctx: ResourceContext, name: string, after: 'create' | 'update'): Promise<void> {
  const client = ctx.clients.lambda;
  // GetFunction, as the waiters ask: the first look is the waiter's first poll, done by hand.
  const cfg = (await client.send(new GetFunctionCommand({ FunctionName: name }))).Configuration ?? {};
  const ready = after === 'create' ? cfg.State === 'Active' : cfg.LastUpdateStatus === 'Successful';
  if (ready) return;
  const now = after === 'create' ? `State ${cfg.State}` : `LastUpdateStatus ${cfg.LastUpdateStatus}`;
  ctx.onWait?.(
    `Lambda is still ${after === 'create' ? 'creating' : 'updating'} function ${name} (${now}); waiting until it is ${after === 'create' ? 'Active' : 'updated'} (at most ${WAIT.maxWaitTime / 60} min)`,
    // Lambda makes every new or updated function wait a moment: ordinary, not a warning.
    true,
  );
  ctx.countWait?.('lambda-state');
  // The waiter polls at once (a round trip after the look above: a brief Pending is often over by
  // then), then backs off from WAIT.minDelay to WAIT.maxDelay.
  const waiter = after === 'create' ? waitUntilFunctionActiveV2 : waitUntilFunctionUpdatedV2;
  try {
    await waiter({ client, ...WAIT }, { FunctionName: name });
  } catch (err) {
    ctx.countWaitGaveUp?.(
      'lambda-state',
      after === 'create'
        ? `function ${name} did not become Active`
        : `function ${name}'s update did not finish`,
    );
    throw err;
  }
}

async function waitActive(ctx: ResourceContext, name: string): Promise<void> {
  await waitReady(ctx, name, 'create');
}

async function waitUpdated(ctx: ResourceContext, name: string): Promise<void> {
  await waitReady(ctx, name, 'update');
}

function configuration(spec: FunctionSpec) {
  return {
    Role: spec.roleArn,
    Runtime: spec.runtime,
    Handler: spec.handler,
    Description: spec.description,
    Timeout: spec.timeoutSeconds,
    MemorySize: spec.memoryMb,
    Environment: { Variables: spec.environment ?? {} },
  };
}

function isAlreadyExists(err: unknown): boolean {
  return errorName(err) === 'ResourceConflictException' && /exist/i.test(errorMessage(err));
}

export async function createFunction(
  ctx: ResourceContext,
  spec: FunctionSpec,
  name: string,
  ledgerNamedBefore: boolean,
): Promise<string> {
  const lambda = ctx.clients.lambda;
  try {
    const out = await retryWhileRolePropagates(ctx, spec.roleArn, `creating function ${name}`, () =>
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          ...configuration(spec),
          Code: { ZipFile: spec.zip },
          Tags: ctx.tags,
        }),
      ),
    );
    await waitActive(ctx, name);
    return out.FunctionArn ?? functionArn(ctx, name);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  // It exists: adopt it if it is ours, and bring it to the spec.
  const tags = await functionTags(ctx, name);
  assertAdoptable(ctx, 'lambda-function', name, tags, ledgerNamedBefore);
  await waitActive(ctx, name);
  await waitUpdated(ctx, name);
  await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: spec.zip }));
  await waitUpdated(ctx, name);
  await retryWhileRolePropagates(ctx, spec.roleArn, `updating function ${name}`, () =>
    lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, ...configuration(spec) })),
  );
  await waitUpdated(ctx, name);
  if (!tagsMatch(tags, ctx.demo, ctx.runId)) {
    await lambda.send(new TagResourceCommand({ Resource: functionArn(ctx, name), Tags: ctx.tags }));
  }
  return functionArn(ctx, name);
}

export const functionTeardown: KindTeardown = {
  async remove(ctx, ref) {
    return removeIfOurs(ctx, {
      tags: await functionTags(ctx, ref.name),
      remove: async () => {
        await ctx.clients.lambda.send(new DeleteFunctionCommand({ FunctionName: ref.name }));
      },
    });
  },
  sweep(ctx) {
    return sweepByPrefix(ctx, {
      page: async (marker) => {
        const out = await ctx.clients.lambda.send(new ListFunctionsCommand({ Marker: marker }));
        return { items: out.Functions ?? [], next: out.NextMarker };
      },
      name: (f) => f.FunctionName,
      arn: (f, name) => f.FunctionArn ?? functionArn(ctx, name),
      tags: (name) => functionTags(ctx, name),
    });
  },
};
