/**
 * What the cloud layer gives the course runner and demos: SDK v3 clients built once for a target,
 * a clock that runs at the target's pace, the ledger-backed resource manager, and the record of
 * every call made. Demos see these interfaces only; they never learn which target they run on.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { STSClient } from '@aws-sdk/client-sts';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';

export type TargetKind = 'sandbox' | 'aws' | 'endpoint';

/** What the user asked for on the command line. */
export interface TargetSpec {
  kind: TargetKind;
  /** For `endpoint`: the URL (e.g. http://localhost:4566). */
  endpoint?: string;
  profile?: string;
  region?: string;
  /** Sandbox only: sandbox seconds per real second for an embedded sandbox. */
  timeScale?: number;
  /**
   * For an `endpoint` that is not loopback: the learner agreed to send it requests signed with
   * their credentials. Without it such an endpoint is refused before anything is sent.
   */
  remoteConfirmed?: boolean;
}

/** Every SDK v3 client a demo may use, all built by one factory for one target. */
export interface AwsClients {
  s3: S3Client;
  iam: IAMClient;
  sts: STSClient;
  lambda: LambdaClient;
  events: EventBridgeClient;
  sfn: SFNClient;
  logs: CloudWatchLogsClient;
  /** CloudWatch metrics (GetMetricData, …); the service Lambda and EventBridge publish their metrics to. */
  cloudwatch: CloudWatchClient;
}

/** Time as the target experiences it: real time on AWS, the (possibly scaled) sandbox clock locally. */
export interface TargetClock {
  /** Target time, epoch ms. */
  now(): number;
  /** Wait `targetMs` of target time. Resolves early (without throwing) if `signal` aborts. */
  sleep(targetMs: number, signal?: AbortSignal): Promise<void>;
  /** Real milliseconds that `targetMs` of target time takes. */
  toRealMs(targetMs: number): number;
  /** Target seconds per real second (1 on AWS). */
  readonly timeScale: number;
}

/** Facts about the connected target, for display (and for ARNs/console links). */
export interface TargetInfo {
  kind: TargetKind;
  /** Stable id used to key ledgers and progress: `sandbox`, `aws-<account>-<region>`, `endpoint-<host>-<port>`. */
  id: string;
  /** Human label, e.g. `sandbox (http://127.0.0.1:40123)` or `AWS account 123456789012 (us-east-1)`. */
  label: string;
  accountId: string;
  region: string;
  /** The endpoint URL when not real AWS (sandbox or --endpoint). */
  endpoint?: string;
  /** Console base for links (`https://<region>.console.aws.amazon.com`), only on real AWS. */
  consoleBase?: string;
}

/** One SDK call as seen by the recording middleware. */
export interface RecordedCall {
  /** SDK client service id, e.g. `S3`, `IAM`, `Lambda`, `EventBridge`, `SFN`, `CloudWatch Logs`, `CloudWatch`, `STS`. */
  service: string;
  /** SDK command name without `Command`, e.g. `PutObject`. */
  operation: string;
  input: unknown;
  startedAt: number;
  durationMs: number;
  outcome: 'ok' | 'error';
  /** Error name/code when it failed. */
  errorName?: string;
  errorMessage?: string;
  /**
   * The bytes of binary members (a function zip, an object body, an invoke payload) by member
   * path (`Code.ZipFile`, `Body`), so "show details" can write them to files the printed AWS CLI
   * command names. Absent for members too large to keep.
   */
  attachments?: Record<string, Uint8Array>;
}

/** Listens to calls as they complete (used by the runner for HOW narration and "show details"). */
export interface CallLog {
  /** All calls recorded since `mark` (a number returned by `mark()`). */
  since(mark: number): RecordedCall[];
  mark(): number;
  all(): RecordedCall[];
  /** The call as an AWS CLI v2 command line. */
  toCli(call: RecordedCall): string;
}
