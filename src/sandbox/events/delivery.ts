/**
 * Routing and delivery: match an event against a bus's enabled rules, transform it per target, and
 * hand it to Lambda, Step Functions, a CloudWatch Logs log group or another bus. Failures that AWS retries (throttling, 5xx) are
 * retried with exponential backoff on the sandbox clock within the target's RetryPolicy; permission
 * and missing-resource failures are not retried. Permanent failures count as FailedInvocations, are
 * logged, and are recorded against the dead-letter queue if one is configured (SQS is not emulated).
 */
import { runInBackground } from '../background.js';
import { randomUUID } from 'node:crypto';
import { AwsError } from '../errors.js';
import type { EventBridgeDeps } from './index.js';
import { parseEventPatternOrThrow, type EventPattern } from './eventPattern.js';
import { targetPayload } from './inputTransform.js';
import { ruleSettleKey, targetSettleKey } from './ruleSettling.js';
import { deliverToLogGroup } from './logTarget.js';
import { ACCOUNT_ID, eventTime, type EventsModel, type RuleRecord, type TargetRecord } from './model.js';

export type EventEnvelope = Record<string, unknown> & { id: string; time: string; region: string };

const DEFAULT_RETRIES = 185;
const DEFAULT_MAX_AGE_S = 86_400;
const MAX_BACKOFF_MS = 5 * 60_000;
/** Bus-to-bus forwarding depth at which an event is dropped (guards against rule loops). */
const MAX_HOPS = 5;

/** A delivery failure; `retryable` mirrors whether EventBridge would try again. */
class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

interface DeadLetter {
  ruleArn: string;
  targetId: string;
  dlqArn: string;
  eventId: string;
  reason: string;
}

export class EventRouter {
  private readonly patterns = new Map<string, EventPattern>();
  private readonly pendingRetries = new Set<{ cancel(): void }>();
  private statsTimer: NodeJS.Timeout | undefined;
  /** Events that ended in a DLQ (SQS is not emulated, so they are kept here and logged). */
  readonly deadLetters: DeadLetter[] = [];

  constructor(
    private readonly deps: EventBridgeDeps,
    private readonly model: EventsModel,
  ) {}

  /** Whether a rule's or target's last change is in force (see `SettlingChanges`). */
  private inForce(key: string, what: string): boolean {
    return this.deps.settle?.inForce(key, what) ?? true;
  }

  /** The full envelope for an event entering a bus. */
  envelope(fields: {
    region: string;
    source: string;
    detailType: string;
    detail: unknown;
    resources?: string[];
    time?: number;
  }): EventEnvelope {
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': fields.detailType,
      source: fields.source,
      account: ACCOUNT_ID,
      time: eventTime(fields.time ?? this.deps.clock.now()),
      region: fields.region,
      resources: fields.resources ?? [],
      detail: fields.detail,
    };
  }

  private compiled(text: string): EventPattern {
    let p = this.patterns.get(text);
    if (!p) {
      p = parseEventPatternOrThrow(text);
      this.patterns.set(text, p);
    }
    return p;
  }

  /** Deliver an event to every enabled pattern rule on the bus that matches it. */
  route(region: string, bus: string, event: EventEnvelope, hops = 0): void {
    if (hops > MAX_HOPS) {
      this.deps.log(`events: dropped event ${event.id} after ${MAX_HOPS} bus-to-bus hops`);
      return;
    }
    for (const rule of this.model.rulesOnBus(region, bus)) {
      if (rule.state !== 'ENABLED' || !rule.eventPattern) continue;
      if (!this.compiled(rule.eventPattern).matches(event)) continue;
      if (!this.inForce(ruleSettleKey(rule.arn), `rule ${rule.name} missed event ${event.id}`)) continue;
      rule.stats.matched++;
      this.metric(region, rule, 'MatchedEvents');
      this.fireRule(region, rule, event, hops);
    }
  }

  /** Send an event to all of a rule's targets (schedules come straight here). */
  fireRule(region: string, rule: RuleRecord, event: EventEnvelope, hops = 0): void {
    if (!this.inForce(ruleSettleKey(rule.arn), `rule ${rule.name} did not fire for event ${event.id}`))
      return;
    rule.stats.triggered++;
    this.metric(region, rule, 'TriggeredRules');
    this.statsChanged();
    const ingestionTime = eventTime(this.deps.clock.now());
    for (const target of rule.targets) {
      const settling = `target ${target.Id} of rule ${rule.name} missed event ${event.id}`;
      if (!this.inForce(targetSettleKey(rule.arn, target.Id), settling)) continue;
      const payload = targetPayload(target, { event, ruleArn: rule.arn, ruleName: rule.name, ingestionTime });
      const firstAttemptAt = this.deps.clock.now();
      runInBackground(
        `events: delivery of ${event.id} to ${target.Arn}`,
        () => this.attempt(region, rule, target, event, payload, hops, 0, firstAttemptAt),
        this.deps.log,
      );
    }
  }

  private async attempt(
    region: string,
    rule: RuleRecord,
    target: TargetRecord,
    event: EventEnvelope,
    payload: string,
    hops: number,
    retries: number,
    firstAttemptAt: number,
  ): Promise<void> {
    rule.stats.invocations++;
    this.metric(region, rule, 'Invocations');
    try {
      await this.invoke(region, rule, target, event, payload, hops);
      this.statsChanged();
      return;
    } catch (err) {
      const failure =
        err instanceof DeliveryError ? err : new DeliveryError(String((err as Error)?.message ?? err), true);
      const maxRetries = target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_RETRIES;
      const maxAgeMs = (target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_MAX_AGE_S) * 1000;
      const delay = Math.min(1000 * 2 ** retries, MAX_BACKOFF_MS);
      const age = this.deps.clock.now() + delay - firstAttemptAt;
      if (failure.retryable && retries < maxRetries && age <= maxAgeMs && !this.deps.clock.isStopped) {
        const timer = this.deps.clock.setTimer(delay, () => {
          this.pendingRetries.delete(timer);
          runInBackground(
            `events: retry of ${event.id} to ${target.Arn}`,
            () => this.attempt(region, rule, target, event, payload, hops, retries + 1, firstAttemptAt),
            this.deps.log,
          );
        });
        this.pendingRetries.add(timer);
        return;
      }
      this.failed(region, rule, target, event, failure.message);
    }
  }

  private failed(
    region: string,
    rule: RuleRecord,
    target: TargetRecord,
    event: EventEnvelope,
    reason: string,
  ): void {
    rule.stats.failedInvocations++;
    this.statsChanged();
    this.metric(region, rule, 'FailedInvocations');
    this.deps.log(
      `events: rule ${rule.name} failed to deliver event ${event.id} to target ${target.Id} (${target.Arn}): ${reason}`,
    );
    const dlqArn = target.DeadLetterConfig?.Arn;
    if (dlqArn) {
      this.deadLetters.push({ ruleArn: rule.arn, targetId: target.Id, dlqArn, eventId: event.id, reason });
      this.deps.log(
        `events: event ${event.id} sent to dead-letter queue ${dlqArn} (SQS is not emulated; recorded only)`,
      );
    }
  }

  private async invoke(
    region: string,
    rule: RuleRecord,
    target: TargetRecord,
    event: EventEnvelope,
    payload: string,
    hops: number,
  ): Promise<void> {
    const arn = target.Arn;
    const service = arn.split(':')[2];
    const targetRegion = arn.split(':')[3] || region;
    if (service === 'lambda') {
      try {
        await this.deps.lambda.invoke({
          region: targetRegion,
          functionName: arn,
          payload: Buffer.from(payload),
          invocationType: 'Event',
          caller: {
            servicePrincipal: 'events.amazonaws.com',
            sourceArn: rule.arn,
            sourceAccount: ACCOUNT_ID,
          },
        });
      } catch (err) {
        throw asDeliveryError(err);
      }
      return;
    }
    if (service === 'states') {
      const roleArn = target.RoleArn ?? rule.roleArn;
      if (!roleArn || !this.deps.iam.findRoleByArn(roleArn)) {
        throw new DeliveryError(`role ${roleArn ?? '(none)'} does not exist`, false);
      }
      if (!this.deps.iam.roleTrustsService(roleArn, 'events.amazonaws.com')) {
        throw new DeliveryError(`role ${roleArn} does not trust events.amazonaws.com`, false);
      }
      // EventBridge calls StartExecution with the target's role: it must allow it on this machine.
      if (
        this.deps.iam.authorize(roleArn, { action: 'states:StartExecution', resource: arn }) !== 'allowed'
      ) {
        throw new DeliveryError(
          `role ${roleArn} is not authorized to perform states:StartExecution on ${arn}`,
          false,
        );
      }
      try {
        await this.deps.stepFunctions.startExecution({
          region: targetRegion,
          stateMachineArn: arn,
          input: payload,
        });
      } catch (err) {
        throw asDeliveryError(err);
      }
      return;
    }
    if (service === 'logs') {
      const r = deliverToLogGroup(
        this.deps,
        { arn, transformed: target.InputTransformer !== undefined },
        { id: event.id, timeMs: Date.parse(event.time), ruleArn: rule.arn },
        payload,
      );
      if (!r.ok) throw new DeliveryError(r.reason, false);
      return;
    }
    if (service === 'events' && arn.includes(':event-bus/')) {
      const bus = this.model.busName(arn);
      if (!this.model.region(targetRegion).buses[bus])
        throw new DeliveryError(`event bus ${arn} does not exist`, false);
      this.route(targetRegion, bus, event, hops + 1);
      return;
    }
    throw new DeliveryError(`target type of ${arn} is not supported by the sandbox`, false);
  }

  private metric(region: string, rule: RuleRecord, metricName: string): void {
    this.deps.metrics.record({
      region,
      namespace: 'AWS/Events',
      metricName,
      dimensions: [{ Name: 'RuleName', Value: rule.name }],
      value: 1,
      unit: 'Count',
      timestamp: this.deps.clock.now(),
    });
  }

  /**
   * Counters change on every delivery; persisting the state document each time would put a file
   * write (with fsync) on the PutEvents hot path, so they are saved at most every couple of seconds.
   */
  private statsChanged(): void {
    if (this.statsTimer) return;
    this.statsTimer = setTimeout(() => {
      this.statsTimer = undefined;
      this.model.changed();
    }, 2000);
    this.statsTimer.unref();
  }

  stop(): void {
    if (this.statsTimer) clearTimeout(this.statsTimer);
    this.statsTimer = undefined;
    this.model.changed();
    for (const t of this.pendingRetries) t.cancel();
    this.pendingRetries.clear();
  }
}

/** Client errors (permissions, missing resources, bad input) are final; throttling and 5xx are retried. */
function asDeliveryError(err: unknown): DeliveryError {
  if (err instanceof AwsError) {
    const retryable =
      err.statusCode >= 500 || err.statusCode === 429 || /Throttl|TooManyRequests/.test(err.code);
    return new DeliveryError(`${err.code}: ${err.message}`, retryable);
  }
  return new DeliveryError(String((err as Error)?.message ?? err), true);
}
