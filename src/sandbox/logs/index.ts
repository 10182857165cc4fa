/** CloudWatch Logs (awsJson 1.1, `Logs_20140328`): log groups, streams, events, retention and tags. */
import type { LogWriter } from '../contracts.js';
import { awsJsonService } from '../protocols/awsJson.js';
import { enforceAccess, JSON_ACCESS_DENIED } from '../accessControl.js';
import { logsAccessRequests } from './authorization.js';
import type { SandboxService, ServiceDeps } from '../service.js';
import { groupOperations } from './groupOperations.js';
import { LogStore } from './logStore.js';
import { streamOperations } from './streamOperations.js';

export interface LogsService extends SandboxService {
  writer: LogWriter;
}

export function createLogsService(deps: ServiceDeps): LogsService {
  const store = new LogStore(deps.store, deps.clock);
  return {
    endpoint: awsJsonService({
      // PutLogEvents batches up to 1 MiB of messages; JSON escaping can grow them several times.
      maxBodyBytes: 8 * 1024 * 1024,
      signingName: 'logs',
      targetPrefix: 'Logs_20140328',
      version: '1.1',
      operations: { ...groupOperations(store), ...streamOperations(store) },
      authorize: (operation, input, ctx) => {
        if (deps.iam) {
          enforceAccess(
            deps.iam,
            ctx.wire.principal,
            logsAccessRequests(operation, input, ctx),
            JSON_ACCESS_DENIED,
          );
        }
      },
    }),
    writer: store,
  };
}
