/**
 * Fires scheduled rules on the sandbox clock. Each enabled rule with a ScheduleExpression has one
 * timer set for its next fire time (absolute sandbox time, so intervals do not drift); when it fires
 * the rule's targets get a "Scheduled Event" and the timer is set again. Disabling, deleting or
 * updating a rule re-arms (or disarms) it; `armAll` re-arms everything from persisted state at start.
 */
import type { ClockTimer, SandboxClock } from '../clock.js';
import type { EventRouter } from './delivery.js';
import { ruleKey, type EventsModel, type RuleRecord } from './model.js';
import { parseScheduleExpression } from './schedule.js';

export class RuleScheduler {
  private readonly timers = new Map<string, ClockTimer>();

  constructor(
    private readonly clock: SandboxClock,
    private readonly model: EventsModel,
    private readonly router: EventRouter,
    private readonly log: (line: string) => void,
  ) {}

  private id(region: string, rule: RuleRecord): string {
    return `${region}|${ruleKey(rule.eventBusName, rule.name)}`;
  }

  disarm(region: string, rule: RuleRecord): void {
    const id = this.id(region, rule);
    this.timers.get(id)?.cancel();
    this.timers.delete(id);
  }

  /** (Re)set the rule's timer from its current state. */
  arm(region: string, rule: RuleRecord, after = this.clock.now()): void {
    this.disarm(region, rule);
    if (rule.state !== 'ENABLED' || !rule.scheduleExpression || this.clock.isStopped) return;
    const schedule = parseScheduleExpression(rule.scheduleExpression);
    const anchor = rule.scheduleAnchor ?? this.clock.now();
    const next = schedule.nextAfter(after, anchor);
    if (next === undefined) return;
    const id = this.id(region, rule);
    const timer = this.clock.setTimerAt(next, () => {
      if (this.timers.get(id) !== timer) return;
      this.timers.delete(id);
      // The rule may have changed or gone while the timer was pending.
      const current = this.model.findRule(region, rule.eventBusName, rule.name);
      if (!current || current.state !== 'ENABLED' || current.scheduleExpression !== rule.scheduleExpression)
        return;
      try {
        const event = this.router.envelope({
          region,
          source: 'aws.events',
          detailType: 'Scheduled Event',
          detail: {},
          resources: [current.arn],
          time: next,
        });
        this.router.fireRule(region, current, event);
      } catch (err) {
        this.log(`events: schedule of rule ${current.name} failed: ${(err as Error).message}`);
      }
      this.arm(region, current, Math.max(next, this.clock.now()));
    });
    this.timers.set(id, timer);
  }

  armAll(): void {
    for (const region of this.model.allRegions()) {
      for (const rule of Object.values(this.model.region(region).rules)) this.arm(region, rule);
    }
  }

  stop(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }
}
