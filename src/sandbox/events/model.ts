/** EventBridge's persisted state (buses, rules, targets) and the ARNs that name them. */
import { dictionary } from '../dictionary.js';
import type { PersistedDoc, StateStore } from '../store.js';
import { AwsError } from '../errors.js';

export const ACCOUNT_ID = '000000000000';
export const DEFAULT_BUS = 'default';

export interface TargetRecord {
  Id: string;
  Arn: string;
  RoleArn?: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
  RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
  DeadLetterConfig?: { Arn?: string };
}

export interface RuleStats {
  triggered: number;
  matched: number;
  invocations: number;
  failedInvocations: number;
}

export interface RuleRecord {
  name: string;
  arn: string;
  eventBusName: string;
  state: 'ENABLED' | 'DISABLED';
  description?: string;
  scheduleExpression?: string;
  eventPattern?: string;
  roleArn?: string;
  targets: TargetRecord[];
  tags: Array<{ Key: string; Value: string }>;
  /** Sandbox time a rate schedule counts from (set when the rule is created or re-enabled). */
  scheduleAnchor?: number;
  stats: RuleStats;
}

export interface BusRecord {
  name: string;
  arn: string;
  description?: string;
  creationTime: number;
  lastModifiedTime: number;
  tags: Array<{ Key: string; Value: string }>;
}

export interface RegionState {
  buses: Record<string, BusRecord>;
  /** Keyed by `<bus>/<rule name>`. */
  rules: Record<string, RuleRecord>;
}

export interface EventsState {
  regions: Record<string, RegionState>;
}

export function busArn(region: string, bus: string): string {
  return `arn:aws:events:${region}:${ACCOUNT_ID}:event-bus/${bus}`;
}

export function ruleArn(region: string, bus: string, name: string): string {
  return bus === DEFAULT_BUS
    ? `arn:aws:events:${region}:${ACCOUNT_ID}:rule/${name}`
    : `arn:aws:events:${region}:${ACCOUNT_ID}:rule/${bus}/${name}`;
}

export function ruleKey(bus: string, name: string): string {
  return `${bus}/${name}`;
}

export function emptyStats(): RuleStats {
  return { triggered: 0, matched: 0, invocations: 0, failedInvocations: 0 };
}

/** The one state document, with the default bus created on first use in each region. */
export class EventsModel {
  readonly doc: PersistedDoc<EventsState>;

  constructor(
    store: StateStore,
    private readonly now: () => number,
  ) {
    this.doc = store.doc<EventsState>('events/state.json', () => ({ regions: dictionary() }));
    // Region, bus and rule names are the client's: no prototype may answer for them.
    this.doc.data.regions = dictionary(this.doc.data.regions);
    for (const r of Object.values(this.doc.data.regions)) {
      r.buses = dictionary(r.buses);
      r.rules = dictionary(r.rules);
    }
  }

  region(region: string): RegionState {
    let r = this.doc.data.regions[region];
    if (!r) {
      const t = this.now();
      r = { buses: dictionary(), rules: dictionary() };
      r.buses[DEFAULT_BUS] = {
        name: DEFAULT_BUS,
        arn: busArn(region, DEFAULT_BUS),
        creationTime: t,
        lastModifiedTime: t,
        tags: [],
      };
      this.doc.data.regions[region] = r;
      this.doc.changed();
    }
    return r;
  }

  allRegions(): string[] {
    return Object.keys(this.doc.data.regions);
  }

  changed(): void {
    this.doc.changed();
  }

  /** Accepts a bus name or bus ARN (as the API does); default when absent. */
  busName(nameOrArn: string | undefined): string {
    if (!nameOrArn) return DEFAULT_BUS;
    const m = /^arn:aws[\w-]*:events:[^:]*:\d*:event-bus\/(.+)$/.exec(nameOrArn);
    return m ? m[1]! : nameOrArn;
  }

  requireBus(region: string, bus: string): BusRecord {
    const b = this.region(region).buses[bus];
    if (!b) throw new AwsError('ResourceNotFoundException', `Event bus ${bus} does not exist.`, 400);
    return b;
  }

  findRule(region: string, bus: string, name: string): RuleRecord | undefined {
    return this.region(region).rules[ruleKey(bus, name)];
  }

  requireRule(region: string, bus: string, name: string): RuleRecord {
    this.requireBus(region, bus);
    const rule = this.findRule(region, bus, name);
    if (!rule) {
      throw new AwsError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus}.`, 400);
    }
    return rule;
  }

  rulesOnBus(region: string, bus: string): RuleRecord[] {
    return Object.values(this.region(region).rules).filter((r) => r.eventBusName === bus);
  }
}

/** Opaque pagination tokens: the index to resume from. */
export function pageOf<T>(
  items: T[],
  nextToken: string | undefined,
  limit: number | undefined,
): { page: T[]; next?: string } {
  let start = 0;
  if (nextToken) {
    const n = Number(Buffer.from(nextToken, 'base64').toString('utf8'));
    if (!Number.isInteger(n) || n < 0)
      throw new AwsError('ValidationException', 'The NextToken provided is invalid.', 400);
    start = n;
  }
  const size = limit ?? 100;
  const page = items.slice(start, start + size);
  const nextIndex = start + size;
  return {
    page,
    next: nextIndex < items.length ? Buffer.from(String(nextIndex)).toString('base64') : undefined,
  };
}

/** Event timestamps as EventBridge writes them: ISO-8601 UTC, whole seconds. */
export function eventTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
