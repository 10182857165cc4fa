/**
 * Connect to a target: decide endpoint, region and credentials, build the clients, learn the account.
 * The SDK (and the sandbox) are imported lazily here, so commands that never touch a target
 * (`--help`, `list`) never load them.
 */
import path from 'node:path';
import { realClock, followingClock, ScaledClock } from './clock.js';
import { RecordingCallLog, artifactDirectory } from './callLog.js';
import {
  CredentialsError,
  InvalidTargetError,
  NoCredentialsError,
  TargetUnreachableError,
} from './errors.js';
import type { ConnectedTarget } from './connected.js';
import type { ClientSettings } from './clients.js';
import { chooseEndpointCredentials, isLoopbackEndpoint } from './endpointCredentials.js';
import type { TargetClock, TargetInfo, TargetSpec } from './types.js';
import type { FaultProfileInfo } from './faultTally.js';

export type { ConnectedTarget } from './connected.js';

export interface ConnectOptions {
  /** The course-cli home (ledgers, progress, sandbox state). */
  home: string;
  /** Diagnostic lines (sandbox internals). */
  log?: (line: string) => void;
  /**
   * A fault profile (`aws-like`, `hostile:42`, a .json file) for a sandbox this connection starts;
   * a sandbox already running keeps its own (see `course-cli sandbox start --faults`).
   */
  sandboxFaults?: string;
}

const SANDBOX_ACCOUNT = '000000000000';
const DEFAULT_REGION = 'us-east-1';

export function sandboxStateDir(home: string): string {
  return path.join(home, 'sandbox');
}

interface Resolved {
  info: TargetInfo;
  settings: ClientSettings;
  clock: TargetClock;
  cliExtra: string[];
  warnings: string[];
  faultProfile?: FaultProfileInfo;
  stop?: () => Promise<void>;
}

export async function connectTarget(spec: TargetSpec, opts: ConnectOptions): Promise<ConnectedTarget> {
  if (spec.timeScale !== undefined && !(spec.timeScale > 0 && Number.isFinite(spec.timeScale))) {
    throw new InvalidTargetError(`--time-scale must be a positive number, got ${spec.timeScale}.`);
  }
  const resolved =
    spec.kind === 'sandbox'
      ? await resolveSandbox(spec, opts)
      : spec.kind === 'aws'
        ? await resolveAws(spec, opts)
        : await resolveEndpoint(spec);
  try {
    const { createConnectedTarget } = await import('./connected.js');
    const artifacts = artifactDirectory(path.join(opts.home, 'artifacts', resolved.info.id));
    const calls = new RecordingCallLog(resolved.cliExtra, artifacts);
    return await createConnectedTarget({ ...resolved, home: opts.home, calls });
  } catch (err) {
    await resolved.stop?.();
    throw err;
  }
}

async function resolveSandbox(spec: TargetSpec, opts: ConnectOptions): Promise<Resolved> {
  // The sandbox's services load only when this run starts one itself (see sandbox/live.ts).
  const running = await import('../sandbox/live.js');
  const stateDir = sandboxStateDir(opts.home);
  const warnings: string[] = [];
  const region = DEFAULT_REGION;
  // A bad profile is refused before anything starts, whether or not it will be used.
  const faults = opts.sandboxFaults
    ? (await import('../sandbox/faults/index.js')).loadFaultProfile(opts.sandboxFaults)
    : undefined;
  const base = (
    endpoint: string,
    clock: TargetClock,
    faultProfile: FaultProfileInfo | undefined,
    stop?: () => Promise<void>,
  ): Resolved => ({
    info: {
      kind: 'sandbox',
      id: 'sandbox',
      label: `sandbox (${endpoint})`,
      accountId: SANDBOX_ACCOUNT,
      region,
      endpoint,
    },
    settings: { region, endpoint, credentials: running.loadOrCreateCredentials(stateDir) },
    clock,
    cliExtra: ['--endpoint-url', endpoint],
    warnings,
    faultProfile,
    stop,
  });

  for (let attempt = 0; attempt < 2; attempt++) {
    const live = await waitForLiveEndpoint(stateDir, running.readLiveLock);
    if (live) {
      const scale = live.timeScale ?? 1;
      if (spec.timeScale !== undefined && spec.timeScale !== scale) {
        warnings.push(
          `The sandbox already running at ${live.endpoint} uses time-scale ${scale}; --time-scale ${spec.timeScale} applies only to a sandbox this run starts.`,
        );
      }
      if (faults) {
        warnings.push(
          `The sandbox already running at ${live.endpoint} ${live.faults ? `uses fault profile ${live.faults.profile} (seed ${live.faults.seed})` : 'runs without a fault profile'}; COURSE_SANDBOX_FAULTS applies only to a sandbox this run starts.`,
        );
      } else if (live.faults) {
        warnings.push(
          `The sandbox at ${live.endpoint} runs under fault profile ${live.faults.profile} (seed ${live.faults.seed}): expect throttling, errors and delays the CLI retries or waits out.`,
        );
      }
      return base(live.endpoint, followingClock(live.clockAnchor, scale), live.faults);
    }
    const sandbox = await import('../sandbox/index.js');
    try {
      const sb = await sandbox.startSandbox({ stateDir, timeScale: spec.timeScale, log: opts.log, faults });
      const profile = sb.faults && { profile: sb.faults.name, seed: sb.faults.seed };
      if (sb.faults) {
        warnings.push(
          `Sandbox fault profile ${sandbox.describeFaultProfile(sb.faults)}. To meet the same faults again: COURSE_SANDBOX_FAULTS=${sandbox.replayHint(sb.faults)}.`,
        );
      }
      return base(sb.endpoint, new ScaledClock(() => sb.clock.now(), sb.clock.timeScale), profile, () =>
        sb.stop(),
      );
    } catch (err) {
      // Another process started one between our look and our start: use it.
      if (!(err instanceof sandbox.SandboxAlreadyRunningError) || attempt > 0) throw err;
    }
  }
  throw new Error('unreachable');
}

/** A live lock with its endpoint filled in (a sandbox that is still starting gets a moment). */
async function waitForLiveEndpoint<T extends { endpoint: string }>(
  stateDir: string,
  read: (dir: string) => T | undefined,
): Promise<T | undefined> {
  for (let i = 0; i < 50; i++) {
    const live = read(stateDir);
    if (!live || live.endpoint) return live;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

/** The endpoint the SDK's environment sends AWS calls to instead of AWS (`sandbox env` sets one). */
function environmentEndpoint(): string | undefined {
  const value = (process.env.AWS_ENDPOINT_URL_STS || process.env.AWS_ENDPOINT_URL || '').trim();
  return value || undefined;
}

function sameOrigin(a: string, b: string | undefined): boolean {
  if (!b) return false;
  try {
    const [x, y] = [new URL(a), new URL(b)];
    const local = (h: string): string => (h === 'localhost' || h === '[::1]' ? '127.0.0.1' : h);
    return x.protocol === y.protocol && local(x.hostname) === local(y.hostname) && x.port === y.port;
  } catch {
    return false;
  }
}

/**
 * `--target aws` (or the AWS account offered in the menu) whose credentials do not lead to AWS: a
 * shell set up with `sandbox env` points AWS_ENDPOINT_URL at this home's sandbox, and any emulator
 * answers as account 000000000000. Recognise both, so the learner is never told that the sandbox is
 * "your AWS account" with a cost warning.
 */
async function resolveAws(spec: TargetSpec, opts: ConnectOptions): Promise<Resolved> {
  const redirected = environmentEndpoint();
  if (redirected) {
    const { readLiveLock } = await import('../sandbox/live.js');
    if (sameOrigin(redirected, readLiveLock(sandboxStateDir(opts.home))?.endpoint)) {
      const sandbox = await resolveSandbox({ kind: 'sandbox' }, opts);
      sandbox.warnings.push(
        `AWS_ENDPOINT_URL (${redirected}) points at this home's sandbox (set by "sandbox env"), so this run uses the sandbox, not an AWS account.`,
      );
      return sandbox;
    }
    const endpoint = await resolveEndpoint({ ...spec, kind: 'endpoint', endpoint: redirected });
    endpoint.warnings.push(
      `AWS_ENDPOINT_URL is set (${redirected}): this run talks to that endpoint, not to AWS.`,
    );
    return endpoint;
  }
  const { resolveDefaultRegion } = await import('./clients.js');
  const region = spec.region ?? (await resolveDefaultRegion(spec.profile)) ?? DEFAULT_REGION;
  const settings: ClientSettings = { region, profile: spec.profile };
  const accountId = await callerAccount(settings, spec.profile);
  const cliExtra = [...(spec.profile ? ['--profile', spec.profile] : []), '--region', region];
  if (accountId === SANDBOX_ACCOUNT) {
    // No AWS account has this id; only emulators answer with it (an endpoint_url in the AWS config).
    return {
      info: {
        kind: 'endpoint',
        id: `endpoint-configured-${region}`,
        label: `an AWS emulator your AWS configuration points at (account ${accountId}, ${region})`,
        accountId,
        region,
      },
      settings,
      clock: realClock(),
      cliExtra,
      warnings: [
        `The credentials answer as account ${accountId}, which only emulators use: your AWS configuration sends requests to an endpoint other than AWS.`,
      ],
    };
  }
  return {
    info: {
      kind: 'aws',
      id: `aws-${accountId}-${region}`,
      label: `AWS account ${accountId} (${region})`,
      accountId,
      region,
      consoleBase: `https://${region}.console.aws.amazon.com`,
    },
    settings,
    clock: realClock(),
    cliExtra,
    warnings: [],
  };
}

async function resolveEndpoint(spec: TargetSpec): Promise<Resolved> {
  let url: URL;
  try {
    url = new URL(spec.endpoint ?? '');
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new InvalidTargetError(
      `--endpoint needs an http(s) URL such as http://localhost:4566, got "${spec.endpoint ?? ''}".`,
    );
  }
  const endpoint = url.origin;
  if (!isLoopbackEndpoint(url) && !spec.remoteConfirmed) {
    // The CLI asks first; nothing (no signature, no key id) leaves this machine without a yes.
    throw new InvalidTargetError(
      `${endpoint} is not on this machine, and sending it requests was not confirmed: answer the question, or add --yes.`,
    );
  }
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const { resolveDefaultRegion } = await import('./clients.js');
  const region = spec.region ?? (await resolveDefaultRegion(spec.profile)) ?? DEFAULT_REGION;
  const chosen = await chooseEndpointCredentials(spec, url, region);
  const settings: ClientSettings = {
    region,
    endpoint,
    profile: spec.profile,
    credentials: chosen.source === 'test' ? chosen.credentials : undefined,
  };
  let accountId = SANDBOX_ACCOUNT;
  try {
    accountId = await callerAccount(settings, spec.profile);
  } catch (err) {
    if (err instanceof TargetUnreachableError) throw err;
    // Some emulators lack STS; the account only labels things there.
  }
  const host = url.hostname.toLowerCase().replace(/[^a-z0-9.]+/g, '-');
  return {
    info: {
      kind: 'endpoint',
      id: `endpoint-${host}-${port}`,
      label: `endpoint ${endpoint} (${region})`,
      accountId,
      region,
      endpoint,
    },
    settings,
    clock: realClock(),
    cliExtra: ['--endpoint-url', endpoint, '--region', region],
    warnings: [],
  };
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
]);

/** STS GetCallerIdentity → account id, with credential failures turned into one actionable line. */
async function callerAccount(settings: ClientSettings, profile: string | undefined): Promise<string> {
  const [{ STSClient, GetCallerIdentityCommand }, { baseConfig }] = await Promise.all([
    import('@aws-sdk/client-sts'),
    import('./clients.js'),
  ]);
  const sts = new STSClient({ ...baseConfig(settings), maxAttempts: 2 });
  try {
    const out = await sts.send(new GetCallerIdentityCommand({}));
    if (!out.Account) throw new CredentialsError('STS GetCallerIdentity returned no account id.');
    return out.Account;
  } catch (err) {
    throw classifyCredentialFailure(err, profile, settings.endpoint);
  } finally {
    sts.destroy();
  }
}

/** Turn an SDK failure while identifying the caller into a named, actionable error. */
export function classifyCredentialFailure(err: unknown, profile?: string, endpoint?: string): Error {
  if (err instanceof CredentialsError || err instanceof NoCredentialsError) return err;
  const e = err as { name?: string; message?: string; code?: string; cause?: { code?: string } };
  const name = e?.name ?? '';
  const message = e?.message ?? String(err);
  const code = e?.code ?? e?.cause?.code ?? '';
  const login = profile ? `aws sso login --profile ${profile}` : 'aws sso login --profile <name>';
  if (NETWORK_CODES.has(code) || /ECONNREFUSED|ENOTFOUND|getaddrinfo/.test(message)) {
    return new TargetUnreachableError(endpoint ?? 'AWS STS', code || message);
  }
  if (/sso|token.*(expired|refresh)|session.*expired/i.test(message) && /sso/i.test(message + name)) {
    return new CredentialsError(`Your AWS SSO session has expired or is missing: run "${login}".`, err);
  }
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    if (profile && /profile/i.test(message) && /not (found|exist)|could not resolve/i.test(message)) {
      return new CredentialsError(
        `AWS profile "${profile}" was not found: check ~/.aws/config or run "aws configure --profile ${profile}".`,
        err,
      );
    }
    return new NoCredentialsError(profile);
  }
  if (name === 'ExpiredToken' || name === 'ExpiredTokenException' || /expired/i.test(message)) {
    return new CredentialsError(
      `Your AWS credentials have expired: refresh them (e.g. "${login}" or new keys via "aws configure").`,
      err,
    );
  }
  if (
    ['InvalidClientTokenId', 'SignatureDoesNotMatch', 'UnrecognizedClientException', 'AccessDenied'].includes(
      name,
    )
  ) {
    return new CredentialsError(
      `AWS rejected the credentials (${name}): check them with "aws sts get-caller-identity${profile ? ` --profile ${profile}` : ''}" or run "aws configure".`,
      err,
    );
  }
  return new CredentialsError(
    `Could not identify your AWS account (${name || 'error'}: ${message.split('\n')[0]}); check "aws sts get-caller-identity".`,
    err,
  );
}
