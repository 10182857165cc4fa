import type { IamDirectory } from '../contracts.js';
import { notImplementedEndpoint } from '../notImplemented.js';
import type { SandboxService, ServiceDeps } from '../service.js';

export interface IamService extends SandboxService {
  directory: IamDirectory;
}

export function createIamService(_deps: ServiceDeps): IamService {
  return {
    endpoint: notImplementedEndpoint('iam'),
    directory: { findRoleByArn: () => undefined, roleTrustsService: () => false },
  };
}
