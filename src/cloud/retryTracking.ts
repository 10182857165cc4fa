/**
 * Middleware that watches the SDK's retries on one client: each attempt's error (inside the retry
 * loop), then the call's outcome and `$metadata.attempts` (outside it), reported to the FaultTally.
 * When the SDK gives up on a fault it retries (throttling, a 5xx), the error becomes a
 * `ServiceBusyError`: one line that says what happened and what to do. Other errors (NotFound, a
 * validation error) pass through untouched, since callers act on their names.
 */
import { errorName, httpStatus, isRetriedFault, isThrottling } from './awsErrors.js';
import { ServiceBusyError } from './errors.js';
import type { FaultTally } from './faultTally.js';

type Handler = (args: unknown) => Promise<{ output?: { $metadata?: { attempts?: number } } }>;
type Middleware = (next: Handler, context: { commandName?: string }) => Handler;

interface TrackableClient {
  middlewareStack: {
    add(
      mw: Middleware,
      options: {
        step: 'initialize' | 'finalizeRequest';
        name: string;
        priority?: 'high' | 'low';
        override?: boolean;
      },
    ): void;
  };
}

/**
 * The name an attempt failed with: a network error has a code rather than an AWS name, and an error
 * answer without a body (to a HEAD request) only its status.
 */
function attemptErrorName(err: unknown): string {
  const name = errorName(err);
  const code = (err as { code?: unknown })?.code;
  if (name === 'Error' && typeof code === 'string') return code;
  const status = httpStatus(err);
  if ((name === 'Unknown' || name === 'UnknownError') && status !== undefined) return `HTTP ${status}`;
  return name;
}

function attemptsOf(value: unknown): number {
  const attempts = (value as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts;
  return typeof attempts === 'number' && attempts > 0 ? attempts : 1;
}

/** Track `client`'s retries into `tally`; `service` names the client in reports (e.g. `Lambda`). */
export function attachRetryTracking(client: object, service: string, tally: FaultTally): void {
  const attemptErrors = new WeakMap<object, string[]>();
  const stack = (client as TrackableClient).middlewareStack;
  // Inside the SDK's retry loop (finalizeRequest, after its high-priority retry middleware).
  stack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        const seen = attemptErrors.get(context) ?? [];
        seen.push(attemptErrorName(err));
        attemptErrors.set(context, seen);
        throw err;
      }
    },
    { step: 'finalizeRequest', name: 'courseCliAttemptErrors', priority: 'low', override: true },
  );
  // Outside everything else: the call as its caller sees it.
  stack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      try {
        const result = await next(args);
        tally.recordCall({
          service,
          operation,
          attempts: attemptsOf(result.output),
          retriedErrors: attemptErrors.get(context) ?? [],
        });
        return result;
      } catch (err) {
        const attempts = attemptsOf(err);
        const seen = attemptErrors.get(context) ?? [];
        const exhausted = isRetriedFault(err);
        tally.recordCall({
          service,
          operation,
          attempts,
          // The last attempt's error is the call's answer, not a retried one.
          retriedErrors: seen.slice(0, Math.max(0, attempts - 1)),
          gaveUpOn: exhausted ? errorName(err) : undefined,
        });
        if (!exhausted) throw err;
        throw new ServiceBusyError(service, operation, errorName(err), attempts, isThrottling(err), err);
      }
    },
    { step: 'initialize', name: 'courseCliRetryTracking', priority: 'high', override: true },
  );
}
