/**
 * What a fault profile says: how often requests are throttled or fail with a server error, how much
 * latency each one gets, and how long the sandbox's eventually consistent parts (IAM, Lambda's
 * Pending state, EventBridge rules and targets, CloudWatch metric data) take to catch up. A profile is data; the injector,
 * IAM, Lambda and EventBridge each read the part that concerns them.
 */

/** The knobs that apply per request; overridable per service and per operation. */
export interface RequestFaultRates {
  /** Share of requests refused with the service's own throttling error, 0–1. */
  throttling: number;
  /** Share of requests failed with a 500/503 server error, 0–1. */
  serverErrors: number;
  /** Latency added to every request, in real milliseconds… */
  latencyMs: number;
  /** …plus or minus up to this much, drawn per request. */
  jitterMs: number;
}

/** Overrides for one service (by SigV4 signing name), and within it for single operations. */
export interface ServiceFaultOverride {
  rates: Partial<RequestFaultRates>;
  /** By operation name as AWS spells it (`CreateFunction`, `PutObject`). */
  operations: Map<string, Partial<RequestFaultRates>>;
}

export interface FaultProfile {
  /** A built-in profile's name, or the file the profile came from. */
  name: string;
  /** Seeds every random draw: the same seed gives the same faults in the same order. */
  seed: number;
  /** True when no seed was given and one was drawn at random (printed so a run can be replayed). */
  seedDrawn: boolean;
  /** The rates every request gets unless an override says otherwise. */
  rates: RequestFaultRates;
  /** By signing name (`s3`, `lambda`, `iam`, `sts`, `logs`, `events`, `states`, `monitoring`). */
  services: Map<string, ServiceFaultOverride>;
  /**
   * Whether requests signed by role sessions (code the sandbox runs, e.g. a Lambda handler) get
   * request faults too. Off by default: the handlers are the lessons' subject and keep the SDK's
   * default retries, so faults aimed at the learner's tools should not rewrite the story.
   */
  roleSessions: boolean;
  /** Sandbox seconds before a new role, trust policy or permission policy is in force elsewhere. */
  iamPropagationSeconds: number;
  /** Sandbox seconds a Lambda function stays Pending after creation (InProgress after an update). */
  lambdaPendingSeconds: number;
  /** Sandbox seconds before a new EventBridge rule, or a new or changed target, takes effect. */
  ruleDelaySeconds: number;
  /**
   * Sandbox seconds between a CloudWatch datapoint being published (by a service about itself, a
   * metric filter or PutMetricData) and GetMetricData, GetMetricStatistics, ListMetrics and alarms
   * seeing it; AWS's own metrics typically arrive one to three minutes late.
   */
  metricDelaySeconds: number;
}

export const NO_RATES: RequestFaultRates = { throttling: 0, serverErrors: 0, latencyMs: 0, jitterMs: 0 };

/** Whether the profile changes anything at all (the `none` profile does not). */
export function hasAnyFault(p: FaultProfile): boolean {
  const active = (r: Partial<RequestFaultRates>): boolean =>
    !!(r.throttling || r.serverErrors || r.latencyMs || r.jitterMs);
  return (
    active(p.rates) ||
    [...p.services.values()].some((s) => active(s.rates) || [...s.operations.values()].some(active)) ||
    p.iamPropagationSeconds > 0 ||
    p.lambdaPendingSeconds > 0 ||
    p.ruleDelaySeconds > 0 ||
    p.metricDelaySeconds > 0
  );
}

/** The rates for one request: the profile's, then the service's overrides, then the operation's. */
export function ratesFor(p: FaultProfile, service: string, operation: string | undefined): RequestFaultRates {
  const svc = p.services.get(service);
  if (!svc) return p.rates;
  const op = operation === undefined ? undefined : svc.operations.get(operation);
  return { ...p.rates, ...svc.rates, ...(op ?? {}) };
}
