/** IAM (awsQuery, global): roles, their trust policies, inline policies and tags. */
import type { IamDirectory } from '../contracts.js';
import { awsQueryService } from '../protocols/awsQuery.js';
import { enforceAccess, QUERY_ACCESS_DENIED } from '../accessControl.js';
import { iamAccessRequests } from './authorization.js';
import type { SandboxService, ServiceDeps } from '../service.js';
import { attachedPolicyOperations } from './attachedPolicyOperations.js';
import { roleOperations } from './roleOperations.js';
import { rolePolicyOperations } from './rolePolicyOperations.js';
import { RoleStore } from './roleStore.js';
import { AccessDirectory } from './accessDirectory.js';

export interface IamService extends SandboxService {
  directory: IamDirectory;
}

export const IAM_XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';

export interface IamDeps extends ServiceDeps {
  /** Sandbox ms before role changes reach other services (IAM propagation); default 0, at once. */
  propagationMs?: number;
}

export function createIamService(deps: IamDeps): IamService {
  const roles = new RoleStore(deps.store);
  const directory = new AccessDirectory(roles, {
    clock: deps.clock,
    delayMs: deps.propagationMs ?? 0,
    log: deps.log,
  });
  return {
    endpoint: awsQueryService({
      signingName: 'iam',
      xmlns: IAM_XMLNS,
      version: '2010-05-08',
      operations: {
        ...roleOperations(roles, deps.clock),
        ...rolePolicyOperations(roles),
        ...attachedPolicyOperations(roles),
      },
      authorize: (action, input, ctx) =>
        enforceAccess(
          directory,
          ctx.wire.principal,
          iamAccessRequests(action, input as Record<string, unknown>),
          QUERY_ACCESS_DENIED,
        ),
    }),
    directory,
  };
}
