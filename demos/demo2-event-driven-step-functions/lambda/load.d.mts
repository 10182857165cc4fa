// Types for load.mjs (a Lambda entry point), for tests that run the handler in-process.
export declare function handler(
  event: unknown,
  context?: { awsRequestId?: string },
): Promise<Record<string, unknown>>;
