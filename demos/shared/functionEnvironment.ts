/**
 * Fault injection through configuration: change a function's environment variables
 * (UpdateFunctionConfiguration replaces the whole environment, so the current one is read first and
 * merged) and wait until Lambda has applied the change; read it back for checks.
 */
import {
  GetFunctionConfigurationCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import type { StepContext } from '../../src/course/model.js';

/** Set (string) or remove (undefined) variables; returns the environment now in effect. */
export async function changeEnvironment(
  ctx: StepContext<unknown>,
  functionName: string,
  changes: Record<string, string | undefined>,
): Promise<Record<string, string>> {
  const cfg = await ctx.aws.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
  const variables: Record<string, string> = { ...(cfg.Environment?.Variables ?? {}) };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete variables[k];
    else variables[k] = v;
  }
  await ctx.aws.lambda.send(
    new UpdateFunctionConfigurationCommand({
      FunctionName: functionName,
      Environment: { Variables: variables },
    }),
  );
  await ctx.out.progress(`Waiting for ${functionName}'s configuration update to finish`, () =>
    waitUntilFunctionUpdatedV2(
      { client: ctx.aws.lambda, maxWaitTime: 120, minDelay: 1, maxDelay: 5 },
      { FunctionName: functionName },
    ),
  );
  return variables;
}

/** The function's environment and last update status, read back. */
export async function readEnvironment(
  ctx: StepContext<unknown>,
  functionName: string,
): Promise<{ variables: Record<string, string>; lastUpdateStatus?: string }> {
  const cfg = await ctx.aws.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
  return { variables: cfg.Environment?.Variables ?? {}, lastUpdateStatus: cfg.LastUpdateStatus };
}
