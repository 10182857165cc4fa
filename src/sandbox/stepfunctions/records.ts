/** What the Step Functions service keeps: state machines, executions and their history. */

export type StateMachineType = 'STANDARD' | 'EXPRESS';
export type LogLevel = 'ALL' | 'ERROR' | 'FATAL' | 'OFF';

export interface LoggingConfiguration {
  level: LogLevel;
  includeExecutionData: boolean;
  destinations: Array<{ cloudWatchLogsLogGroup: { logGroupArn: string } }>;
}

export interface StateMachineRecord {
  arn: string;
  name: string;
  region: string;
  type: StateMachineType;
  definition: string;
  roleArn: string;
  loggingConfiguration: LoggingConfiguration;
  creationDate: number;
  updateDate?: number;
  revisionId?: string;
  status: 'ACTIVE' | 'DELETING';
  tags: Array<{ key: string; value: string }>;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** Small per-execution facts, kept together in one document for listing. */
export interface ExecutionSummary {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  region: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  redriveCount: number;
  redriveDate?: number;
  error?: string;
  cause?: string;
  /** Whether a redrive can resume (we know where it stopped); see `RedriveCheckpoint`. */
  resumable: boolean;
}

/** One history event as GetExecutionHistory returns it (timestamp in epoch ms). */
export interface HistoryEvent {
  timestamp: number;
  type: string;
  id: number;
  previousEventId: number;
  /** e.g. `stateEnteredEventDetails` → its members. */
  detailsKey?: string;
  details?: Record<string, unknown>;
}

/**
 * Where a failed or aborted execution stopped, so a redrive resumes there: the top-level state and
 * its input, and — for an inline Map or Parallel state — the results of iterations/branches that
 * succeeded, which are not run again.
 */
export interface RedriveCheckpoint {
  stateName: string;
  input: unknown;
  partialResults?: Array<{ index: number; output: unknown }>;
}

/** Larger per-execution data, one blob per execution. */
export interface ExecutionData {
  input: string;
  output?: string;
  /** The state machine as the execution started it (DescribeStateMachineForExecution). */
  definition: string;
  roleArn: string;
  stateMachineUpdateDate?: number;
  revisionId?: string;
  loggingConfiguration?: LoggingConfiguration;
  history: HistoryEvent[];
  checkpoint?: RedriveCheckpoint;
}
