/**
 * demo1's CloudWatch metrics: the function's AWS/Lambda Invocations and Errors and the rule's
 * AWS/Events Invocations and FailedInvocations, read with GetMetricData in one-minute periods.
 */
import type { StepContext } from '../../src/course/model.js';
import {
  lambdaMetric,
  readMetrics,
  ruleMetric,
  type MetricReading,
  type MetricRef,
} from '../shared/metrics.js';
import { need, type Demo1State } from './state.js';

type Ctx = StepContext<Demo1State>;

export type ScheduleMetricKey = 'fnInvocations' | 'fnErrors' | 'ruleInvocations' | 'ruleFailed';
export type ScheduleMetrics = Record<ScheduleMetricKey, MetricReading>;

export function scheduleMetricRefs(state: Demo1State): Record<ScheduleMetricKey, MetricRef> {
  const fn = need(state.functionName, 'the function');
  const rule = need(state.ruleName, 'the rule');
  return {
    fnInvocations: lambdaMetric(fn, 'Invocations'),
    fnErrors: lambdaMetric(fn, 'Errors'),
    ruleInvocations: ruleMetric(rule, 'Invocations'),
    ruleFailed: ruleMetric(rule, 'FailedInvocations'),
  };
}

export async function readScheduleMetrics(ctx: Ctx, from: number, to: number): Promise<ScheduleMetrics> {
  return readMetrics(ctx.aws.cloudwatch, scheduleMetricRefs(ctx.state), { startTime: from, endTime: to });
}
