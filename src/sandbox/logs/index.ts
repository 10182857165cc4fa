/**
 * CloudWatch Logs (awsJson 1.1, `Logs_20140328`): log groups, streams, events, retention, tags,
 * account-level resource policies, and metric filters that turn matching events into CloudWatch metrics.
 */
import type { LogResourcePolicies, LogWriter, MetricRecorder } from '../contracts.js';
import { awsJsonService } from '../protocols/awsJson.js';
import { enforceAccess, JSON_ACCESS_DENIED } from '../accessControl.js';
import { logsAccessRequests } from './authorization.js';
import type { SandboxService, ServiceDeps } from '../service.js';
import { groupOperations } from './groupOperations.js';
import { LogStore } from './logStore.js';
import { metricFilterOperations } from './metricFilterOperations.js';
import { MetricFilterPublisher } from './metricFilterPublisher.js';
import { resourcePolicyOperations } from './resourcePolicyOperations.js';
import { ResourcePolicyStore } from './resourcePolicyStore.js';
import { streamOperations } from './streamOperations.js';

export interface LogsService extends SandboxService {
  writer: LogWriter;
  resourcePolicies: LogResourcePolicies;
}

export interface LogsDeps extends ServiceDeps {
  /** Where metric filters publish (CloudWatch metrics sit beside Logs at the bottom of the graph). */
  metrics?: MetricRecorder;
}

export function createLogsService(deps: LogsDeps): LogsService {
  const store = new LogStore(deps.store, deps.clock);
  const policies = new ResourcePolicyStore(deps.store, deps.clock, deps.iam, (region, group) =>
    store.groupExists(region, group),
  );
  const publisher = new MetricFilterPublisher(deps.metrics, deps.log);
  store.onAppend((region, group, events) => publisher.apply(region, group, events));
  return {
    endpoint: awsJsonService({
      // PutLogEvents batches up to 1 MiB of messages; JSON escaping can grow them several times.
      maxBodyBytes: 8 * 1024 * 1024,
      signingName: 'logs',
      targetPrefix: 'Logs_20140328',
      version: '1.1',
      operations: {
        ...groupOperations(store),
        ...streamOperations(store),
        ...metricFilterOperations(store),
        ...resourcePolicyOperations(policies),
      },
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
    resourcePolicies: policies,
  };
}
