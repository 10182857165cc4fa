/**
 * Lambda resource-policy statements (AddPermission). The statement id names the ledger entry and
 * the function is its parent. Only a function whose tags are ours gets a statement; an existing
 * statement with the same id is adopted when it says the same thing, replaced otherwise.
 */
import { AddPermissionCommand, GetPolicyCommand, RemovePermissionCommand } from '@aws-sdk/client-lambda';
import { errorName, errorMessage } from '../awsErrors.js';
import { ResourceConflictError } from '../errors.js';
import { describeTagMismatch, tagsMatch } from '../naming.js';
import type { PermissionSpec } from '../resourceTypes.js';
import type { KindTeardown, ResourceContext } from './context.js';
import { functionArn, functionTags } from './lambdaFunction.js';
import { removeIfOurs, unlessNotFound } from './ownership.js';

interface PolicyStatementJson {
  Sid?: string;
  Principal?: { Service?: string } | string;
  Action?: string;
  Condition?: { ArnLike?: Record<string, string> };
}

async function existingStatement(
  ctx: ResourceContext,
  spec: PermissionSpec,
): Promise<PolicyStatementJson | undefined> {
  return unlessNotFound(async () => {
    const out = await ctx.clients.lambda.send(new GetPolicyCommand({ FunctionName: spec.functionName }));
    const policy = JSON.parse(out.Policy ?? '{}') as { Statement?: PolicyStatementJson[] };
    return policy.Statement?.find((s) => s.Sid === spec.statementId);
  });
}

function sameStatement(s: PolicyStatementJson, spec: PermissionSpec): boolean {
  const principal = typeof s.Principal === 'string' ? s.Principal : s.Principal?.Service;
  return (
    principal === spec.principal &&
    s.Action === (spec.action ?? 'lambda:InvokeFunction') &&
    s.Condition?.ArnLike?.['AWS:SourceArn'] === spec.sourceArn
  );
}

function add(ctx: ResourceContext, spec: PermissionSpec) {
  return ctx.clients.lambda.send(
    new AddPermissionCommand({
      FunctionName: spec.functionName,
      StatementId: spec.statementId,
      Action: spec.action ?? 'lambda:InvokeFunction',
      Principal: spec.principal,
      SourceArn: spec.sourceArn,
    }),
  );
}

/**
 * `functionKnownOurs`: the ledger confirms this run created the function, so its tags need no
 * extra round trip.
 */
export async function createPermission(
  ctx: ResourceContext,
  spec: PermissionSpec,
  functionKnownOurs = false,
): Promise<string> {
  if (!functionKnownOurs) {
    const tags = await functionTags(ctx, spec.functionName);
    // A missing function is reported by AddPermission itself, with AWS's words.
    if (tags !== undefined && !tagsMatch(tags, ctx.demo, ctx.runId)) {
      throw new ResourceConflictError(
        'lambda-function',
        spec.functionName,
        describeTagMismatch(tags, ctx.runId),
      );
    }
  }
  try {
    await add(ctx, spec);
  } catch (err) {
    if (errorName(err) !== 'ResourceConflictException' || !/exist/i.test(errorMessage(err))) throw err;
    const current = await existingStatement(ctx, spec);
    if (!current || !sameStatement(current, spec)) {
      await ctx.clients.lambda.send(
        new RemovePermissionCommand({ FunctionName: spec.functionName, StatementId: spec.statementId }),
      );
      await add(ctx, spec);
    }
  }
  return functionArn(ctx, spec.functionName);
}

export const permissionTeardown: KindTeardown = {
  async remove(ctx, ref) {
    const functionName = ref.parent ?? '';
    return removeIfOurs(ctx, {
      // The statement lives in its function: no function, no statement.
      tags: await functionTags(ctx, functionName),
      refusal: (mismatch) => `its function ${mismatch.replace(/^it /, '')}`,
      remove: async () => {
        await ctx.clients.lambda.send(
          new RemovePermissionCommand({ FunctionName: functionName, StatementId: ref.name }),
        );
      },
    });
  },
  // Statements live inside functions; the function sweep covers them.
  sweep: async () => [],
};
