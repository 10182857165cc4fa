/**
 * Alarms at work: evaluated on the sandbox clock as CloudWatch evaluates them (every minute, or
 * every period for high-resolution alarms, over the latest complete periods), and every change of
 * state recorded in the alarm's history and sent to EventBridge's default bus as a "CloudWatch Alarm
 * State Change" event. EventBridge sits above CloudWatch in the sandbox's service graph, so it is
 * reached only through the `EventPublisher` contract, bound once EventBridge exists.
 *
 * Alarm actions (SNS topics, Auto Scaling, Lambda) are kept and shown but not carried out: the
 * sandbox has no SNS, and the course routes alarm events through EventBridge rules instead.
 */
import type { ClockTimer, SandboxClock } from '../clock.js';
import type { EventPublisher } from '../contracts.js';
import { evaluateAlarm, evaluationRange, type EvaluationDatapoint } from './alarmEvaluation.js';
import type { AlarmRecord, AlarmState } from './alarmModel.js';
import { stateReason, stateReasonData } from './alarmReason.js';
import type { AlarmStore } from './alarmStore.js';
import { stateChangeDetail, stateHistoryData } from './alarmViews.js';
import { runDataQueries, type DataQuerySpec } from './metricQueries.js';
import type { MetricStore } from './metricStore.js';

/** Sandbox milliseconds between evaluation passes (the shortest alarm period CloudWatch allows). */
const TICK_MS = 10_000;

export interface AlarmEngineDeps {
  alarms: AlarmStore;
  metrics: MetricStore;
  clock: SandboxClock;
  log: (line: string) => void;
}

export class AlarmEngine {
  private publisher: EventPublisher | undefined;
  private timer: ClockTimer | undefined;
  /** When each alarm (by ARN) was last evaluated, epoch ms; absent means due now. */
  private readonly lastEvaluated = new Map<string, number>();

  constructor(private readonly deps: AlarmEngineDeps) {}

  setEventPublisher(publisher: EventPublisher): void {
    this.publisher = publisher;
  }

  start(): void {
    this.arm();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Evaluate the alarm at the next pass (after it was created, updated or set by hand). */
  reevaluateSoon(arn: string): void {
    this.lastEvaluated.delete(arn);
  }

  forget(arn: string): void {
    this.lastEvaluated.delete(arn);
  }

  private arm(): void {
    const now = this.deps.clock.now();
    const next = (Math.floor(now / TICK_MS) + 1) * TICK_MS;
    this.timer = this.deps.clock.setTimerAt(next, () => {
      this.tick();
      if (!this.deps.clock.isStopped && this.timer) this.arm();
    });
  }

  /** One pass: evaluate every alarm whose interval has come round. */
  tick(): void {
    const now = this.deps.clock.now();
    for (const alarm of this.deps.alarms.all()) {
      const interval = Math.min(alarm.config.period, 60) * 1000;
      const last = this.lastEvaluated.get(alarm.arn);
      if (last !== undefined && Math.floor(last / interval) === Math.floor(now / interval)) continue;
      this.lastEvaluated.set(alarm.arn, now);
      try {
        this.evaluate(alarm, now);
      } catch (err) {
        this.deps.log(`cloudwatch: evaluating alarm ${alarm.config.name} failed: ${(err as Error).message}`);
      }
    }
  }

  /** The alarm's datapoints in the evaluation range (by period start). */
  private datapoints(alarm: AlarmRecord, range: number[]): Map<number, EvaluationDatapoint> {
    const c = alarm.config;
    const queries: DataQuerySpec[] = c.metrics ?? [
      {
        id: 'm',
        returnData: true,
        metricStat: {
          namespace: c.namespace!,
          metricName: c.metricName!,
          dimensions: c.dimensions,
          period: c.period,
          stat: c.statistic ?? c.extendedStatistic!,
          unit: c.unit,
        },
      },
    ];
    const start = range[0]!;
    const end = range[range.length - 1]! + c.period * 1000;
    const results = runDataQueries(this.deps.metrics, alarm.region, queries, start, end);
    const returned = results.get(queries.find((q) => q.returnData)!.id);
    const out = new Map<number, EvaluationDatapoint>();
    // An expression that yields several time series cannot drive an alarm; it has no data.
    if (!returned || returned.series.length !== 1) return out;
    for (const [t, value] of returned.series[0]!.points) {
      if (t < start || t >= end || !Number.isFinite(value)) continue;
      out.set(t, { timestamp: t, value, sampleCount: returned.sampleCounts?.get(t) });
    }
    return out;
  }

  evaluate(alarm: AlarmRecord, now = this.deps.clock.now()): void {
    const c = alarm.config;
    const range = evaluationRange(now, c.period, c.evaluationPeriods);
    const outcome = evaluateAlarm({ config: c, range, datapoints: this.datapoints(alarm, range) });
    if (outcome.kind === 'retain' || outcome.value === alarm.state.value) return;
    this.changeState(alarm, {
      value: outcome.value,
      reason: stateReason(outcome, c, alarm.state.value),
      reasonData: stateReasonData(outcome, {
        queryDate: now,
        config: c,
        withSampleCounts: c.metrics === undefined,
      }),
      updatedAt: now,
    });
  }

  /** Move the alarm to a new state: record it, add history, tell EventBridge. */
  changeState(alarm: AlarmRecord, next: AlarmState): void {
    const previous = alarm.state;
    alarm.state = next;
    this.deps.alarms.changed();
    this.deps.alarms.addHistory({
      region: alarm.region,
      alarmName: alarm.config.name,
      type: 'StateUpdate',
      timestamp: next.updatedAt,
      summary: `Alarm updated from ${previous.value} to ${next.value}`,
      data: stateHistoryData(previous, next),
    });
    try {
      this.publisher?.publish({
        region: alarm.region,
        source: 'aws.cloudwatch',
        detailType: 'CloudWatch Alarm State Change',
        detail: stateChangeDetail(alarm, previous),
        resources: [alarm.arn],
        time: next.updatedAt,
      });
    } catch (err) {
      this.deps.log(
        `cloudwatch: publishing the state change of ${alarm.config.name} failed: ${(err as Error).message}`,
      );
    }
  }
}
