import type { LogWriter } from '../contracts.js';
import { notImplementedEndpoint } from '../notImplemented.js';
import type { SandboxService, ServiceDeps } from '../service.js';

export interface LogsService extends SandboxService {
  writer: LogWriter;
}

export function createLogsService(_deps: ServiceDeps): LogsService {
  return {
    endpoint: notImplementedEndpoint('logs'),
    writer: { groupExists: () => false, append: () => false },
  };
}
