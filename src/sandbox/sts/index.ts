/**
 * STS (awsQuery): who is calling — the account root for the sandbox's own credentials, or the
 * assumed role of a session the sandbox issued. GetCallerIdentity needs no permission, as on AWS.
 */
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
          const p = ctx.wire.principal;
          if (p?.kind === 'role') {
            return { UserId: `${p.roleId}:${p.sessionName}`, Account: ctx.accountId, Arn: p.assumedRoleArn };
          }
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
