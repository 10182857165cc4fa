/** CloudWatch Logs (awsJson 1.1, `Logs_20140328`): log groups, streams, events, retention and tags. */
import type { LogWriter } from '../contracts.js';
import { notImplementedEndpoint } from '../notImplemented.js';
import type { SandboxService, ServiceDeps } from '../service.js';
import { LogStore } from './logStore.js';

export interface LogsService extends SandboxService {
  writer: LogWriter;
}

export function createLogsService(deps: ServiceDeps): LogsService {
  const store = new LogStore(deps.store, deps.clock);
  return { endpoint: notImplementedEndpoint('logs'), writer: store };
}
