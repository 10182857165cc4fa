/**
 * The one factory for SDK v3 clients. Every client of a target shares region, endpoint and
 * credentials, the same bounded retries (see `CLIENT_RETRIES`), the middleware that records each
 * call into the target's CallLog and the one that counts what the retries absorbed.
 * This module loads the SDK; `target.ts` imports it lazily.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { collectAttachments, sanitizeInput, type RecordingCallLog } from './callLog.js';
import type { FaultTally } from './faultTally.js';
import { attachRetryTracking } from './retryTracking.js';
import type { AwsClients } from './types.js';

export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface ClientSettings {
  region: string;
  /** Set for the sandbox and --endpoint; absent for real AWS. */
  endpoint?: string;
  /** Absent: the SDK's default chain (env, profile, SSO…), honouring `profile`. */
  credentials?: StaticCredentials;
  profile?: string;
  /** Attempts per call including the first (default `CLIENT_RETRIES.maxAttempts`). */
  maxAttempts?: number;
}

/**
 * How every client retries. Standard mode, as AWS recommends for all workloads: exponential backoff
 * with jitter (a longer base for throttling) and a retry quota. Adaptive mode was used before; its
 * client-side rate limiter is for throughput-heavy clients of one resource and may delay even first
 * attempts, while the CLI makes one call at a time. Ten attempts: a call then fails only if AWS
 * refuses it ten times running (at 40% refusals, about once in 10,000 calls), and the backoff
 * bounds the wait (at most 20 s between attempts).
 */
export const CLIENT_RETRIES = { retryMode: 'standard', maxAttempts: 10 } as const;

interface RecordableClient {
  middlewareStack: {
    add(
      mw: (
        next: (args: { input: unknown }) => Promise<unknown>,
        context: { commandName?: string },
      ) => (args: { input: unknown }) => Promise<unknown>,
      options: { step: 'initialize'; name: string; override?: boolean },
    ): void;
  };
}

/** Record every call of `client` (including its retries, as one call) into `log`. */
export function attachRecorder(client: object, service: string, log: RecordingCallLog): void {
  (client as RecordableClient).middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      const input = sanitizeInput(args.input);
      const attachments = collectAttachments(args.input);
      const startedAt = Date.now();
      const t0 = performance.now();
      try {
        const result = await next(args);
        log.record({
          service,
          operation,
          input,
          startedAt,
          durationMs: performance.now() - t0,
          outcome: 'ok',
          ...(attachments ? { attachments } : {}),
        });
        return result;
      } catch (err) {
        const e = err as { name?: string; message?: string };
        log.record({
          service,
          operation,
          input,
          startedAt,
          durationMs: performance.now() - t0,
          outcome: 'error',
          errorName: e?.name ?? 'Error',
          errorMessage: e?.message ?? String(err),
          ...(attachments ? { attachments } : {}),
        });
        throw err;
      }
    },
    { step: 'initialize', name: 'courseCliCallRecorder', override: true },
  );
}

/** Common config for every client of the target. */
export function baseConfig(s: ClientSettings): Record<string, unknown> {
  const config: Record<string, unknown> = {
    region: s.region,
    retryMode: CLIENT_RETRIES.retryMode,
    maxAttempts: s.maxAttempts ?? CLIENT_RETRIES.maxAttempts,
  };
  if (s.endpoint) config.endpoint = s.endpoint;
  if (s.credentials) config.credentials = s.credentials;
  if (s.profile) config.profile = s.profile;
  return config;
}

/** Build every client the demos use, each recording into `log` (and its retries into `tally`). */
export function buildClients(s: ClientSettings, log: RecordingCallLog, tally?: FaultTally): AwsClients {
  const base = baseConfig(s);
  const clients: AwsClients = {
    // Path-style only off AWS: local endpoints have no per-bucket DNS names.
    s3: new S3Client({ ...base, forcePathStyle: !!s.endpoint, followRegionRedirects: !s.endpoint }),
    iam: new IAMClient(base),
    sts: new STSClient(base),
    lambda: new LambdaClient(base),
    events: new EventBridgeClient(base),
    // StartSyncExecution goes to a `sync-` host on AWS; a local endpoint has no such name.
    sfn: new SFNClient({ ...base, disableHostPrefix: !!s.endpoint }),
    logs: new CloudWatchLogsClient(base),
    cloudwatch: new CloudWatchClient(base),
  };
  attachRecorder(clients.s3, 'S3', log);
  attachRecorder(clients.iam, 'IAM', log);
  attachRecorder(clients.sts, 'STS', log);
  attachRecorder(clients.lambda, 'Lambda', log);
  attachRecorder(clients.events, 'EventBridge', log);
  attachRecorder(clients.sfn, 'SFN', log);
  attachRecorder(clients.logs, 'CloudWatch Logs', log);
  attachRecorder(clients.cloudwatch, 'CloudWatch', log);
  if (tally)
    for (const [service, client] of namedClients(clients)) attachRetryTracking(client, service, tally);
  return clients;
}

/** Each client with the service name reports use for it. */
function namedClients(c: AwsClients): Array<[string, object]> {
  return [
    ['S3', c.s3],
    ['IAM', c.iam],
    ['STS', c.sts],
    ['Lambda', c.lambda],
    ['EventBridge', c.events],
    ['Step Functions', c.sfn],
    ['CloudWatch Logs', c.logs],
    ['CloudWatch', c.cloudwatch],
  ];
}

export function destroyClients(clients: AwsClients): void {
  for (const c of Object.values(clients) as Array<{ destroy(): void }>) c.destroy();
}

/**
 * The region the SDK would pick from env (AWS_REGION) or the profile, or undefined if none is set.
 * Used only when --region was not given.
 */
export async function resolveDefaultRegion(profile?: string): Promise<string | undefined> {
  const probe = new STSClient(profile ? { profile } : {});
  try {
    const region = await probe.config.region();
    return region || undefined;
  } catch {
    return undefined;
  } finally {
    probe.destroy();
  }
}

/** The credentials the default chain (or `profile`) finds, without calling AWS; undefined when none. */
export async function chainCredentials(
  profile: string | undefined,
  region: string,
): Promise<StaticCredentials | undefined> {
  const probe = new STSClient({ region, ...(profile ? { profile } : {}) });
  try {
    const creds = await probe.config.credentials();
    return creds?.accessKeyId ? creds : undefined;
  } catch {
    return undefined;
  } finally {
    probe.destroy();
  }
}
