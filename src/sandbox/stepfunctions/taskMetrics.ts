/**
 * The per-task metrics Step Functions publishes in `AWS/States`, read off the execution history as it
 * is written: for a Task whose Resource is a function ARN, `LambdaFunctionsScheduled/Started/
 * Succeeded/Failed/TimedOut` and the `LambdaFunctionScheduleTime/RunTime/Time` durations, dimension
 * `LambdaFunctionArn`; for an optimised integration (`arn:aws:states:::lambda:invoke`) the same as
 * `ServiceIntegration*`, dimension `ServiceIntegrationResourceArn` (assumed to be the Task's
 * Resource, which AWS's documentation does not spell out).
 */
import type { MetricRecorder } from '../contracts.js';
import type { HistorySink } from './history.js';
import type { HistoryEvent } from './records.js';

interface OpenTask {
  prefix: 'LambdaFunction' | 'ServiceIntegration';
  dimension: { Name: string; Value: string };
  scheduledAt: number;
  startedAt?: number;
}

const CLOSING: Record<string, 'Succeeded' | 'Failed' | 'TimedOut'> = {
  Succeeded: 'Succeeded',
  Failed: 'Failed',
  TimedOut: 'TimedOut',
};

export function taskMetricsSink(opts: {
  metrics: MetricRecorder;
  region: string;
  onError: (message: string) => void;
}): HistorySink {
  /** Open tasks by the id of their latest event (each event of a task points back at the previous one). */
  const open = new Map<number, OpenTask>();
  const record = (
    task: OpenTask,
    metricName: string,
    value: number,
    unit: 'Count' | 'Milliseconds',
    at: number,
  ) => {
    opts.metrics.record({
      region: opts.region,
      namespace: 'AWS/States',
      metricName,
      dimensions: [task.dimension],
      value,
      unit,
      timestamp: at,
    });
  };

  return (event: HistoryEvent) => {
    try {
      const m = /^(LambdaFunction|Task)(Scheduled|Started|Succeeded|Failed|TimedOut)$/.exec(event.type);
      if (!m) return;
      const prefix = m[1] === 'Task' ? 'ServiceIntegration' : 'LambdaFunction';
      const phase = m[2]!;
      if (phase === 'Scheduled') {
        const details = event.details ?? {};
        const value =
          prefix === 'LambdaFunction'
            ? String(details.resource ?? '')
            : `arn:aws:states:::${String(details.resourceType ?? '')}:${String(details.resource ?? '')}`;
        const task: OpenTask = {
          prefix,
          dimension: {
            Name: prefix === 'LambdaFunction' ? 'LambdaFunctionArn' : 'ServiceIntegrationResourceArn',
            Value: value,
          },
          scheduledAt: event.timestamp,
        };
        open.set(event.id, task);
        record(task, `${prefix}sScheduled`, 1, 'Count', event.timestamp);
        return;
      }
      const task = open.get(event.previousEventId);
      if (!task || task.prefix !== prefix) return;
      open.delete(event.previousEventId);
      if (phase === 'Started') {
        task.startedAt = event.timestamp;
        open.set(event.id, task);
        record(task, `${prefix}sStarted`, 1, 'Count', event.timestamp);
        record(
          task,
          `${prefix}ScheduleTime`,
          event.timestamp - task.scheduledAt,
          'Milliseconds',
          event.timestamp,
        );
        return;
      }
      record(task, `${prefix}s${CLOSING[phase]!}`, 1, 'Count', event.timestamp);
      if (task.startedAt !== undefined)
        record(task, `${prefix}RunTime`, event.timestamp - task.startedAt, 'Milliseconds', event.timestamp);
      record(task, `${prefix}Time`, event.timestamp - task.scheduledAt, 'Milliseconds', event.timestamp);
    } catch (err) {
      opts.onError(`recording task metrics: ${(err as Error).message}`);
    }
  };
}
