/**
 * Which IAM action and resource each Lambda API operation needs: Invoke is `lambda:InvokeFunction`;
 * the others are `lambda:<Operation>`; all on the function's ARN when the request names one.
 */
import { passRoleRequests } from '../passRole.js';
import type { AccessRequest } from '../contracts.js';
import type { RestRequest } from '../protocols/restJson.js';

function functionArnOf(req: RestRequest, nameOrArn: string): string {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  const [name, qualifier] = nameOrArn.split(':');
  const q = req.query.get('Qualifier') ?? qualifier;
  const base = `arn:aws:lambda:${req.ctx.region}:${req.ctx.accountId}:function:${name}`;
  return q && q !== '$LATEST' ? `${base}:${q}` : base;
}

export function lambdaAccessRequests(operation: string, req: RestRequest): AccessRequest[] {
  const action = operation === 'Invoke' ? 'lambda:InvokeFunction' : `lambda:${operation}`;
  const fn = req.labels.FunctionName ?? req.labels.ARN ?? req.labels.Resource;
  const own = { action, resource: fn ? functionArnOf(req, fn) : '*' };
  if (operation !== 'CreateFunction' && operation !== 'UpdateFunctionConfiguration') return [own];
  let role: unknown;
  try {
    role = req.json().Role;
  } catch {
    return [own]; // the operation itself reports the unreadable body
  }
  return [own, ...passRoleRequests([role])];
}
