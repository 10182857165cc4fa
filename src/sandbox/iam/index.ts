/** IAM (awsQuery, global): roles, their trust policies, inline policies and tags. */
import type { IamDirectory } from '../contracts.js';
import { awsQueryService } from '../protocols/awsQuery.js';
import type { SandboxService, ServiceDeps } from '../service.js';
import { attachedPolicyOperations } from './attachedPolicyOperations.js';
import { roleOperations } from './roleOperations.js';
import { rolePolicyOperations } from './rolePolicyOperations.js';
import { RoleStore } from './roleStore.js';

export interface IamService extends SandboxService {
  directory: IamDirectory;
}

export const IAM_XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';

export function createIamService(deps: ServiceDeps): IamService {
  const roles = new RoleStore(deps.store);
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
    }),
    directory: roles,
  };
}
