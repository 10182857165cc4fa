/** An endpoint for a service whose operations are not built yet: every call is an AWS-shaped error. */
import { awsJsonService } from './protocols/awsJson.js';
import type { ServiceEndpoint } from './protocols/types.js';

export function notImplementedEndpoint(signingName: string): ServiceEndpoint {
  return awsJsonService({
    signingName,
    targetPrefix: `__none_${signingName}`,
    version: '1.1',
    operations: {},
  });
}
