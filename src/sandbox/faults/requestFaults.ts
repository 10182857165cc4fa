/**
 * Request faults at the sandbox's front door: after a request is authenticated and before its
 * service sees it, it may be delayed (latency ± jitter), throttled with the service's own error, or
 * failed with a server error. Services never know. Every decision comes from the seeded dice, and
 * every fault injected is written to the sandbox log, so a failing run can be read and replayed.
 */
import type { AwsError } from '../errors.js';
import { FaultDice } from './faultDice.js';
import { FaultProfileError } from './loadProfile.js';
import { ratesFor, type FaultProfile } from './profile.js';
import { faultErrorsOf } from './serviceErrors.js';

/** One request as the injector sees it. */
export interface FaultableRequest {
  /** SigV4 signing name of the service. */
  service: string;
  /** The operation, when the service can tell it from the request before handling it. */
  operation: string | undefined;
  /** `role`: signed by a role session the sandbox issued (code the sandbox runs). */
  caller: 'root' | 'role';
  requestId: string;
}

export type FaultKind = 'throttling' | 'serverError';

/** The services the sandbox serves, with the operations each can name (to check overrides against). */
export type ServedOperations = ReadonlyMap<string, readonly string[] | undefined>;

export interface RequestFaultOptions {
  log: (line: string) => void;
  /** Real-time sleep (tests may pass their own). */
  sleep?: (ms: number) => Promise<void>;
}

export class RequestFaultInjector {
  private readonly dice: FaultDice;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly profile: FaultProfile,
    private readonly opts: RequestFaultOptions,
  ) {
    this.dice = new FaultDice(profile.seed);
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /**
   * Throw `FaultProfileError` if an override names a service the sandbox does not serve or an
   * operation that service does not have (a typo would otherwise silently do nothing).
   */
  static checkOverrides(profile: FaultProfile, served: ServedOperations): void {
    for (const [service, override] of profile.services) {
      if (!served.has(service)) {
        throw new FaultProfileError(
          `fault profile ${profile.name}: the sandbox does not serve "${service}".`,
        );
      }
      const known = served.get(service);
      if (!known) continue;
      for (const op of override.operations.keys()) {
        if (!known.includes(op)) {
          throw new FaultProfileError(
            `fault profile ${profile.name}: services.${service}.operations.${op}: ${service} has no operation ${op}.`,
          );
        }
      }
    }
  }

  /** Delay the request, then maybe throw the AWS error it meets instead of an answer. */
  async before(req: FaultableRequest): Promise<void> {
    if (req.caller === 'role' && !this.profile.roleSessions) return;
    const rates = ratesFor(this.profile, req.service, req.operation);
    const stream = `${req.caller}|${req.service}|${req.operation ?? '?'}`;
    const { n, values } = this.dice.next(stream);
    const [roll, jitterRoll, pick] = values;
    const delay = Math.max(0, rates.latencyMs + (jitterRoll * 2 - 1) * rates.jitterMs);
    if (delay > 0) await this.sleep(Math.round(delay));
    let kind: FaultKind | undefined;
    if (roll < rates.throttling) kind = 'throttling';
    else if (roll < rates.throttling + rates.serverErrors) kind = 'serverError';
    if (!kind) return;
    const errors = faultErrorsOf(req.service);
    const err: AwsError =
      kind === 'throttling'
        ? errors.throttling()
        : errors.serverErrors[Math.floor(pick * errors.serverErrors.length)]!();
    this.opts.log(
      `fault: ${kind === 'throttling' ? 'throttled' : 'failed'} ${req.service} ${req.operation ?? '(unknown operation)'} ` +
        `with ${err.code} ${err.statusCode} (${req.caller} request ${req.requestId}, draw ${n} of its stream, seed ${this.profile.seed})`,
    );
    throw err;
  }
}
