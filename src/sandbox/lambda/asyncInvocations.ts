/**
 * Asynchronous (Event) invocations: queued, run as soon as an environment is free, retried on
 * function error up to MaximumRetryAttempts (default 2) after about 1 and then 2 minutes of sandbox
 * time, dropped once older than MaximumEventAgeInSeconds, and then sent to the configured
 * destination (EventBridge bus or another function) as AWS's invocation record.
 * The queue lives in memory only: events not yet delivered are lost when the sandbox stops.
 */
import { runInBackground } from '../background.js';
import type { EventPublisher, LambdaInvoker } from '../contracts.js';
import type { SandboxClock } from '../clock.js';
import type { FunctionRecord } from './model.js';
import { LATEST, functionArn } from './model.js';
import type { RunResult } from './functionRunner.js';

export const DEFAULT_MAX_RETRIES = 2;
export const DEFAULT_MAX_EVENT_AGE_SECONDS = 21_600;
/** Sandbox ms before retry 1, 2 (AWS waits about one minute, then two). */
const RETRY_DELAYS_MS = [60_000, 120_000];

interface QueuedEvent {
  requestId: string;
  region: string;
  functionName: string;
  payload: string;
  queuedAt: number;
  attempts: number;
}

export interface AsyncDeps {
  clock: SandboxClock;
  /** Look the function up again at each attempt (it may have been updated or deleted). */
  find(region: string, name: string): FunctionRecord | undefined;
  run(fn: FunctionRecord, payload: string, requestId: string): Promise<RunResult>;
  publisher(): EventPublisher | undefined;
  invoker: LambdaInvoker;
  log(line: string): void;
}

type Condition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

function parseOrRaw(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export class AsyncInvocations {
  private stopped = false;
  /** Events queued or waiting for a retry (for tests and diagnostics). */
  inFlight = 0;

  constructor(private readonly deps: AsyncDeps) {}

  enqueue(fn: FunctionRecord, payload: string, requestId: string): void {
    const ev: QueuedEvent = {
      requestId,
      region: fn.region,
      functionName: fn.name,
      payload,
      queuedAt: this.deps.clock.now(),
      attempts: 0,
    };
    this.inFlight++;
    setImmediate(() => this.attemptInBackground(ev));
  }

  stop(): void {
    this.stopped = true;
  }

  private async attempt(ev: QueuedEvent): Promise<void> {
    const fn = this.deps.find(ev.region, ev.functionName);
    if (this.stopped || !fn) {
      this.inFlight--;
      return;
    }
    ev.attempts++;
    let result: RunResult;
    try {
      result = await this.deps.run(fn, ev.payload, ev.requestId);
    } catch (err) {
      this.deps.log(`lambda async invocation ${ev.requestId} could not run: ${(err as Error).message}`);
      this.inFlight--;
      return;
    }
    const config = fn.eventInvokeConfig;
    if (!result.functionError) {
      this.finish(fn, ev, 'Success', result);
      return;
    }
    const maxRetries = config?.maximumRetryAttempts ?? DEFAULT_MAX_RETRIES;
    const maxAgeMs = (config?.maximumEventAgeInSeconds ?? DEFAULT_MAX_EVENT_AGE_SECONDS) * 1000;
    if (ev.attempts > maxRetries) {
      this.finish(fn, ev, 'RetriesExhausted', result);
      return;
    }
    const delay = RETRY_DELAYS_MS[Math.min(ev.attempts - 1, RETRY_DELAYS_MS.length - 1)]!;
    if (this.deps.clock.now() + delay - ev.queuedAt > maxAgeMs) {
      this.finish(fn, ev, 'EventAgeExceeded', result);
      return;
    }
    this.deps.clock.setTimer(delay, () => this.attemptInBackground(ev));
  }

  private attemptInBackground(ev: QueuedEvent): void {
    runInBackground(`lambda async invocation ${ev.requestId}`, () => this.attempt(ev), this.deps.log);
  }

  private finish(fn: FunctionRecord, ev: QueuedEvent, condition: Condition, result: RunResult): void {
    this.inFlight--;
    const dest =
      condition === 'Success'
        ? fn.eventInvokeConfig?.destinationConfig?.OnSuccess?.Destination
        : fn.eventInvokeConfig?.destinationConfig?.OnFailure?.Destination;
    if (!dest) return;
    const record = {
      version: '1.0',
      timestamp: new Date(this.deps.clock.now()).toISOString(),
      requestContext: {
        requestId: ev.requestId,
        functionArn: functionArn(fn, LATEST),
        condition,
        approximateInvokeCount: ev.attempts,
      },
      requestPayload: parseOrRaw(ev.payload),
      responseContext: {
        statusCode: 200,
        executedVersion: LATEST,
        ...(result.functionError ? { functionError: result.functionError } : {}),
      },
      responsePayload: parseOrRaw(result.payload.toString('utf8')),
    };
    this.deliver(fn, dest, condition, record);
  }

  private deliver(fn: FunctionRecord, dest: string, condition: Condition, record: object): void {
    const service = dest.split(':')[2];
    if (service === 'events') {
      const publisher = this.deps.publisher();
      if (!publisher) {
        this.deps.log(`lambda destination ${dest}: no event publisher is connected`);
        return;
      }
      publisher.publish({
        region: fn.region,
        source: 'lambda',
        detailType: `Lambda Function Invocation Result - ${condition === 'Success' ? 'Success' : 'Failure'}`,
        detail: record,
        resources: [dest, functionArn(fn, LATEST)],
        eventBusName: dest,
      });
      return;
    }
    if (service === 'lambda') {
      runInBackground(
        `lambda destination ${dest}`,
        () =>
          this.deps.invoker.invoke({
            region: dest.split(':')[3] ?? fn.region,
            functionName: dest,
            payload: Buffer.from(JSON.stringify(record)),
            invocationType: 'Event',
          }),
        this.deps.log,
      );
      return;
    }
    this.deps.log(`lambda destination ${dest}: ${service} destinations are not available in the sandbox`);
  }
}
