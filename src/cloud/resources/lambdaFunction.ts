/**
 * Lambda functions. CreateFunction is retried while the new role propagates, then we wait for the
 * function to be Active. An existing function of ours is brought to the spec (code, then
 * configuration), waiting for each update to finish as Lambda requires.
 */
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  ListFunctionsCommand,
  ListTagsCommand,
  TagResourceCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  type LambdaClient,
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

async function waitActive(client: LambdaClient, name: string): Promise<void> {
  await waitUntilFunctionActiveV2({ client, ...WAIT }, { FunctionName: name });
}

async function waitUpdated(client: LambdaClient, name: string): Promise<void> {
  await waitUntilFunctionUpdatedV2({ client, ...WAIT }, { FunctionName: name });
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
    await waitActive(lambda, name);
    return out.FunctionArn ?? functionArn(ctx, name);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  // It exists: adopt it if it is ours, and bring it to the spec.
  const tags = await functionTags(ctx, name);
  assertAdoptable(ctx, 'lambda-function', name, tags, ledgerNamedBefore);
  await waitActive(lambda, name);
  await waitUpdated(lambda, name);
  await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: spec.zip }));
  await waitUpdated(lambda, name);
  await retryWhileRolePropagates(ctx, spec.roleArn, `updating function ${name}`, () =>
    lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, ...configuration(spec) })),
  );
  await waitUpdated(lambda, name);
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
