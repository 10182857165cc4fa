/**
 * Fault injection through configuration, as the demo's story needs it: change a function's
 * environment variables (UpdateFunctionConfiguration replaces the whole environment, so the
 * current one is read first and merged) and wait until Lambda has applied the change — polled in
 * target time (the SDK's waiter sleeps at least a second of real time between looks).
 */
import { GetFunctionConfigurationCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import type { StepContext } from '../../src/course/model.js';
import { waitInTargetTime } from './targetWait.js';

export class FunctionUpdateFailedError extends Error {
  override readonly name = 'FunctionUpdateFailedError';
}

/** Updates take seconds on AWS; two minutes is generous. */
const UPDATE_TIMEOUT_MS = 120_000;
const UPDATE_POLL_MS = 1_000;

/** Wait until the function's last update has finished (LastUpdateStatus Successful). */
async function waitForUpdate(ctx: StepContext<unknown>, functionName: string): Promise<void> {
  await waitInTargetTime(ctx, {
    label: `Waiting for ${functionName}'s configuration update to finish`,
    timeoutMs: UPDATE_TIMEOUT_MS,
    timeoutMessage: `${functionName} was still updating`,
    pollMs: UPDATE_POLL_MS,
    probe: async () => {
      const cfg = await ctx.aws.lambda.send(
        new GetFunctionConfigurationCommand({ FunctionName: functionName }),
      );
      if (cfg.LastUpdateStatus === 'Failed') {
        throw new FunctionUpdateFailedError(
          `updating ${functionName} failed: ${cfg.LastUpdateStatusReason ?? cfg.LastUpdateStatusReasonCode ?? ''}`,
        );
      }
      return cfg.LastUpdateStatus === 'Successful' ? true : undefined;
    },
  });
}

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
  await waitForUpdate(ctx, functionName);
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
