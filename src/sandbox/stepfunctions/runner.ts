/**
 * Running executions: start, stop, redrive, finish. Executions run in the server process
 * asynchronously; their history, status and output are kept in memory while running and persisted
 * when they end. A sandbox that stops aborts what is still running (see `shutdown`).
 */
import type { SandboxClock } from '../clock.js';
import type { LambdaInvoker, LogWriter, MetricRecorder } from '../contracts.js';
import { preparedDefinition, type Json } from './definition.js';
import { StateFailure } from './evaluator.js';
import { executionLogSink } from './executionLogs.js';
import { HistoryRecorder, NOT_TRUNCATED, type Thread } from './history.js';
import { runStates, type TopLevelHooks } from './interpreter.js';
import type {
  ExecutionData,
  ExecutionStatus,
  ExecutionSummary,
  RedriveCheckpoint,
  StateMachineRecord,
} from './records.js';
import { taskMetricsSink } from './taskMetrics.js';
import type { Registry } from './registry.js';
import { EXECUTION_TIMED_OUT, ExecutionAbortedSignal, jsonText, type RunEnv } from './runtime.js';
import {
  HISTORY_FULL_CAUSE,
  SANDBOX_STOPPED,
  compact,
  type ExecutionOutcome,
  type StopReason,
} from './executionEnd.js';

export { SANDBOX_STOPPED, type ExecutionOutcome };

export interface RunnerDeps {
  clock: SandboxClock;
  lambda: LambdaInvoker;
  logs: LogWriter;
  metrics: MetricRecorder;
  log: (line: string) => void;
  registry: Registry;
}

interface LiveExecution {
  arn: string;
  startDate: number;
  outcome?: ExecutionOutcome;
  sm: StateMachineRecord;
  /** Undefined for EXPRESS executions, which AWS does not list or describe. */
  summary?: ExecutionSummary;
  data: ExecutionData;
  recorder: HistoryRecorder;
  controller: AbortController;
  stopReason?: StopReason;
  checkpoint?: RedriveCheckpoint;
  done: Promise<void>;
}

export class ExecutionRunner {
  private readonly live = new Map<string, LiveExecution>();

  constructor(private readonly deps: RunnerDeps) {}

  /** Data of a running or finished execution. */
  dataOf(arn: string): ExecutionData | undefined {
    return this.live.get(arn)?.data ?? this.deps.registry.loadData(arn);
  }

  isRunning(arn: string): boolean {
    return this.live.has(arn);
  }

  runningOf(smArn: string): string[] {
    return [...this.live.values()].filter((l) => l.sm.arn === smArn).map((l) => l.arn);
  }

  start(sm: StateMachineRecord, arn: string, name: string, input: string, region: string): number {
    return this.begin(sm, arn, name, input, region).startDate;
  }

  /**
   * Run an EXPRESS execution to its end (StartSyncExecution); one still running after `limitMs` of
   * sandbox time is stopped as TIMED_OUT, as AWS ends synchronous executions at five minutes.
   */
  async runToEnd(
    sm: StateMachineRecord,
    arn: string,
    name: string,
    input: string,
    region: string,
    limitMs: number,
  ): Promise<ExecutionOutcome> {
    const live = this.begin(sm, arn, name, input, region);
    const timer = this.deps.clock.setTimer(limitMs, () => {
      this.stop(arn, { status: 'TIMED_OUT', error: 'States.Timeout' }).catch((err: unknown) =>
        this.deps.log(`stepfunctions: stopping ${arn}: ${(err as Error)?.message ?? String(err)}`),
      );
    });
    try {
      await live.done;
    } finally {
      timer.cancel();
    }
    return live.outcome!;
  }

  private begin(
    sm: StateMachineRecord,
    arn: string,
    name: string,
    input: string,
    region: string,
  ): LiveExecution {
    const now = this.deps.clock.now();
    const data: ExecutionData = {
      input,
      definition: sm.definition,
      roleArn: sm.roleArn,
      stateMachineUpdateDate: sm.updateDate ?? sm.creationDate,
      revisionId: sm.revisionId,
      loggingConfiguration: sm.loggingConfiguration,
      history: [],
    };
    const summary: ExecutionSummary | undefined =
      sm.type === 'STANDARD'
        ? {
            executionArn: arn,
            stateMachineArn: sm.arn,
            name,
            region,
            status: 'RUNNING',
            startDate: now,
            redriveCount: 0,
            resumable: false,
          }
        : undefined;
    if (summary) {
      this.deps.registry.executions[arn] = summary;
      this.deps.registry.changed();
    }
    const live = this.makeLive(sm, arn, summary, data);
    live.recorder.emit({ last: 0 }, 'ExecutionStarted', {
      input,
      inputDetails: NOT_TRUNCATED,
      roleArn: sm.roleArn,
    });
    // Written behind now too, so a sandbox that dies mid-execution still knows its input and start.
    if (summary) this.deps.registry.saveData(arn, data);
    this.metric(sm, 'ExecutionsStarted', 1);
    const def = preparedDefinition(sm.definition);
    live.done = this.inBackground(
      live,
      this.drive(live, def.StartAt, JSON.parse(input) as Json, undefined, now),
    );
    return live;
  }

  /** Resume a failed/aborted/timed-out STANDARD execution where it stopped. */
  redrive(sm: StateMachineRecord, summary: ExecutionSummary, data: ExecutionData): number {
    const now = this.deps.clock.now();
    const checkpoint = data.checkpoint!;
    summary.status = 'RUNNING';
    summary.redriveCount += 1;
    summary.redriveDate = now;
    delete summary.stopDate;
    delete summary.error;
    delete summary.cause;
    summary.resumable = false;
    delete data.output;
    this.deps.registry.changed();
    const live = this.makeLive(sm, summary.executionArn, summary, data);
    live.recorder.emit({ last: live.recorder.lastId }, 'ExecutionRedriven', {
      redriveCount: summary.redriveCount,
    });
    this.metric(sm, 'ExecutionsRedriven', 1);
    live.done = this.inBackground(
      live,
      this.drive(live, checkpoint.stateName, checkpoint.input as Json, checkpoint, now),
    );
    return now;
  }

  /**
   * An execution runs without anyone awaiting it. If even its own failure handling throws (input
   * too deeply nested to serialise, say), the execution still ends FAILED and the sandbox log says
   * why; nothing escapes as an unhandled rejection.
   */
  private inBackground(live: LiveExecution, running: Promise<void>): Promise<void> {
    return running.catch((err: unknown) => {
      this.deps.log(`stepfunctions: execution ${live.arn} failed: ${(err as Error)?.stack ?? String(err)}`);
      if (!this.live.has(live.arn)) return;
      try {
        this.finish(live, 'FAILED', 'States.Runtime', 'Internal sandbox error while running the execution.');
      } catch (again) {
        this.live.delete(live.arn);
        this.deps.log(`stepfunctions: could not record ${live.arn} as failed: ${String(again)}`);
      }
    });
  }

  /** Abort a running execution (StopExecution, DeleteStateMachine, sandbox stop). */
  async stop(arn: string, reason: StopReason): Promise<void> {
    const live = this.live.get(arn);
    if (!live) return;
    live.stopReason ??= reason;
    live.controller.abort();
    await live.done;
  }

  /** Abort everything still running and persist it as ABORTED (resumable by redrive). */
  async shutdown(): Promise<void> {
    await Promise.all(
      [...this.live.keys()].map((arn) => this.stop(arn, { status: 'ABORTED', ...SANDBOX_STOPPED })),
    );
    this.deps.registry.flushBlobs();
  }

  private makeLive(
    sm: StateMachineRecord,
    arn: string,
    summary: ExecutionSummary | undefined,
    data: ExecutionData,
  ): LiveExecution {
    // A full history ends a STANDARD execution (FAILED, States.Runtime), as on AWS.
    const onFull = summary
      ? () => {
          const l = this.live.get(arn);
          if (!l) return;
          l.stopReason ??= { status: 'FAILED', error: 'States.Runtime', cause: HISTORY_FULL_CAUSE };
          l.controller.abort();
        }
      : undefined;
    const recorder = new HistoryRecorder(data.history, () => this.deps.clock.now(), onFull);
    const sink = executionLogSink({
      logs: this.deps.logs,
      config: sm.loggingConfiguration,
      smName: sm.name,
      executionArn: arn,
      redriveCount: () => summary?.redriveCount ?? 0,
      now: this.deps.clock.now(),
      onError: (m) => this.deps.log(`stepfunctions: ${m}`),
    });
    if (sink) recorder.addSink(sink);
    recorder.addSink(
      taskMetricsSink({
        metrics: this.deps.metrics,
        region: sm.region,
        onError: (m) => this.deps.log(`stepfunctions: ${m}`),
      }),
    );
    const live: LiveExecution = {
      arn,
      startDate: summary?.redriveDate ?? summary?.startDate ?? this.deps.clock.now(),
      sm,
      summary,
      data,
      recorder,
      controller: new AbortController(),
      done: Promise.resolve(),
    };
    this.live.set(arn, live);
    return live;
  }

  private async drive(
    live: LiveExecution,
    startAt: string,
    input: Json,
    resume: RedriveCheckpoint | undefined,
    startedAt: number,
  ): Promise<void> {
    const { sm, summary, data } = live;
    const def = preparedDefinition(data.definition);
    const parsedInput = JSON.parse(data.input) as Json;
    const startTime = new Date(summary?.startDate ?? startedAt).toISOString();
    const execution: Record<string, unknown> = {
      Id: live.arn,
      Input: parsedInput,
      Name: summary?.name ?? live.arn.split(':')[7],
      RoleArn: sm.roleArn,
      StartTime: startTime,
      RedriveCount: summary?.redriveCount ?? 0,
    };
    if (summary?.redriveDate) execution.RedriveTime = new Date(summary.redriveDate).toISOString();
    const env: RunEnv = {
      recorder: live.recorder,
      clock: this.deps.clock,
      // Task states call Lambda with the state machine's role, which must allow lambda:InvokeFunction.
      lambda: { invoke: (req) => this.deps.lambda.invoke({ ...req, asRole: sm.roleArn }) },
      signal: live.controller.signal,
      region: sm.region,
      baseContext: { Execution: execution, StateMachine: { Id: sm.arn, Name: sm.name } },
      pace: { states: 0 },
    };
    const thread: Thread = { last: live.recorder.lastId };
    const hooks: TopLevelHooks = {
      resume: resume as TopLevelHooks['resume'],
      onStopped: (stateName, stateInput, memory) => {
        live.checkpoint = { stateName, input: stateInput, partialResults: memory?.succeeded };
      },
    };
    const timeout =
      typeof def.TimeoutSeconds === 'number'
        ? this.deps.clock.setTimer(def.TimeoutSeconds * 1000, () => {
            live.stopReason ??= {
              status: 'TIMED_OUT',
              error: 'States.Timeout',
              stopAt: startedAt + def.TimeoutSeconds! * 1000,
            };
            live.controller.abort(EXECUTION_TIMED_OUT);
          })
        : undefined;
    try {
      const output = await runStates(env, def, startAt, input, thread, hooks);
      if (live.stopReason) throw new ExecutionAbortedSignal();
      live.recorder.emit(thread, 'ExecutionSucceeded', {
        output: jsonText(output),
        outputDetails: NOT_TRUNCATED,
      });
      data.output = jsonText(output);
      this.finish(live, 'SUCCEEDED');
    } catch (err) {
      if (live.stopReason?.status === 'TIMED_OUT' && live.stopReason.stopAt !== undefined) {
        // AWS: one ExecutionTimedOut event pointing at no earlier event, carrying the error only;
        // DescribeExecution then shows neither error nor cause.
        const { error, cause, stopAt } = live.stopReason;
        live.recorder.emit({ last: 0 }, 'ExecutionTimedOut', compact({ error, cause }));
        this.finish(live, 'TIMED_OUT', undefined, undefined, stopAt);
      } else if (live.stopReason) {
        const { status, error, cause } = live.stopReason;
        const type = {
          TIMED_OUT: 'ExecutionTimedOut',
          ABORTED: 'ExecutionAborted',
          FAILED: 'ExecutionFailed',
        }[status];
        // A full history's ExecutionFailed follows the last recorded event (AWS: #25000 after #24999).
        live.recorder.emit(
          status === 'FAILED' ? { last: live.recorder.lastId } : thread,
          type,
          compact({ error, cause }),
        );
        this.finish(live, status, error, cause);
      } else {
        const f =
          err instanceof StateFailure
            ? err
            : new StateFailure(
                'States.Runtime',
                `Internal sandbox error: ${(err as Error)?.message ?? String(err)}`,
              );
        if (!(err instanceof StateFailure))
          this.deps.log(`stepfunctions: ${(err as Error)?.stack ?? String(err)}`);
        live.recorder.emit(thread, 'ExecutionFailed', compact({ error: f.error, cause: f.causeText }));
        this.finish(live, 'FAILED', f.error, f.causeText);
      }
    } finally {
      timeout?.cancel();
    }
  }

  private finish(
    live: LiveExecution,
    status: ExecutionStatus,
    error?: string,
    cause?: string,
    stopAt?: number,
  ): void {
    const now = stopAt ?? this.deps.clock.now();
    this.live.delete(live.arn);
    live.data.checkpoint = status === 'SUCCEEDED' ? undefined : live.checkpoint;
    const metricName = {
      SUCCEEDED: 'ExecutionsSucceeded',
      FAILED: 'ExecutionsFailed',
      ABORTED: 'ExecutionsAborted',
      TIMED_OUT: 'ExecutionsTimedOut',
      RUNNING: '',
    }[status];
    this.metric(live.sm, metricName, 1);
    live.outcome = {
      status,
      error,
      cause,
      output: live.data.output,
      startDate: live.startDate,
      stopDate: now,
    };
    const s = live.summary;
    if (!s) return;
    this.metric(live.sm, 'ExecutionTime', now - (s.redriveDate ?? s.startDate), 'Milliseconds');
    s.status = status;
    s.stopDate = now;
    if (error) s.error = error;
    if (cause) s.cause = cause;
    s.resumable = live.data.checkpoint !== undefined;
    this.deps.registry.saveData(live.arn, live.data);
    this.deps.registry.changed();
    this.deps.registry.prune();
  }

  private metric(
    sm: StateMachineRecord,
    name: string,
    value: number,
    unit: 'Count' | 'Milliseconds' = 'Count',
  ): void {
    try {
      this.deps.metrics.record({
        region: sm.region,
        namespace: 'AWS/States',
        metricName: name,
        dimensions: [{ Name: 'StateMachineArn', Value: sm.arn }],
        value,
        unit,
      });
    } catch (err) {
      this.deps.log(`stepfunctions: recording metric ${name}: ${(err as Error).message}`);
    }
  }
}
