/** STS (awsQuery): who is calling. The sandbox has one identity, the account root. */
import { awsQueryService } from '../protocols/awsQuery.js';
import type { SandboxService, ServiceDeps } from '../service.js';

export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function createStsService(_deps: ServiceDeps): SandboxService {
  return {
    endpoint: awsQueryService({
      signingName: 'sts',
      xmlns: STS_XMLNS,
      version: '2011-06-15',
      operations: {
        GetCallerIdentity(_input, ctx) {
          return {
            UserId: ctx.accountId,
            Account: ctx.accountId,
            Arn: `arn:aws:iam::${ctx.accountId}:root`,
          };
        },
      },
    }),
  };
}
