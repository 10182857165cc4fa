/**
 * A connected target: its clients, clock, call log, and the ledger-backed operations the runner
 * and CLI use (resources for a demo, teardown, status). Loaded lazily by `connectTarget`, since it
 * pulls in the SDK.
 */
import fs from 'node:fs';
import { buildClients, destroyClients, type ClientSettings } from './clients.js';
import type { RecordingCallLog } from './callLog.js';
import { describeDeployment, type DeploymentDescription } from './deployment.js';
import { FaultTally, type FaultProfileInfo } from './faultTally.js';
import { Ledger } from './ledger.js';
import { lockLedger, lockLedgerNow, type HeldLedgerLock } from './ledgerLock.js';
import { LedgerResourceManager } from './resourceManager.js';
import type { TeardownReport } from './resourceTypes.js';
import { applyTeardown, type DemoTeardown, type TeardownProgress } from './teardown.js';
import { planTeardown, type TeardownStep } from './teardownPlan.js';
import type { AwsClients, TargetClock, TargetInfo } from './types.js';
import { testHooksFor } from './testHooks.js';

export interface ConnectedTarget {
  info: TargetInfo;
  clients: AwsClients;
  clock: TargetClock;
  calls: RecordingCallLog;
  /** Things the learner should know about the connection (e.g. an ignored --time-scale). */
  warnings: string[];
  /** What this connection's calls met of AWS's bad days, and how each was absorbed. */
  faults: FaultTally;
  /** The sandbox's fault profile, when it runs under one. */
  faultProfile?: FaultProfileInfo;
  /** The course-cli home this target keeps its ledgers under. */
  home: string;
  /** This connection started the sandbox it talks to (it stops with the connection). */
  ownsSandbox: boolean;
  /** Release the clients and ledger locks; stop the sandbox if this connection started it. */
  close(): Promise<void>;
  /**
   * Hold the demo's ledger against other processes until `close()`, waiting briefly for one that
   * holds it (LedgerBusyError names its pid). `resources` and the teardowns take it themselves;
   * calling this first is how a caller gets the brief wait instead of an immediate refusal.
   */
  lockLedger(demo: string): Promise<void>;
  /** The demo's ledger-backed ResourceManager (opens the ledger, creating it and its run id if new). */
  resources(
    demo: string,
    opts?: { onWait?: (message: string, ordinary?: boolean) => void },
  ): LedgerResourceManager;
  /** The demo's ledger, if a deployment exists (or was interrupted). */
  ledger(demo: string): Ledger | undefined;
  /** The teardown plan for the demo (empty when nothing is deployed). */
  planTeardown(demo: string): TeardownStep[];
  /** Tear the demo down (no-op report when nothing is deployed). */
  teardown(demo: string, opts?: { onProgress?: (p: TeardownProgress) => void }): Promise<TeardownReport>;
  /** Tear down every demo deployed on this target. */
  teardownAll(opts?: { onProgress?: (p: TeardownProgress) => void }): Promise<DemoTeardown[]>;
  /** What is deployed for the demo, for `status`; undefined when nothing is. */
  describeDeployment(demo: string): DeploymentDescription | undefined;
}

export interface ConnectParts {
  info: TargetInfo;
  settings: ClientSettings;
  clock: TargetClock;
  calls: RecordingCallLog;
  warnings: string[];
  home: string;
  faultProfile?: FaultProfileInfo;
  stop?: () => Promise<void>;
}

const EMPTY_REPORT = (): TeardownReport => ({ deleted: [], alreadyGone: [], failed: [], leftovers: [] });

export async function createConnectedTarget(parts: ConnectParts): Promise<ConnectedTarget> {
  // Before any client exists: a test hook on a target other than the local sandbox is refused.
  const hooks = testHooksFor(parts.info);

  const { info, home } = parts;
  const faults = new FaultTally();
  const clients = buildClients(parts.settings, parts.calls, faults);
  const managers = new Map<string, LedgerResourceManager>();
  // One Ledger instance per demo, shared by its manager and teardown, so neither writes a stale copy.
  const ledgers = new Map<string, Ledger>();
  const readLedger = (demo: string): Ledger | undefined => {
    const cached = ledgers.get(demo);
    // A cached ledger whose file is gone was archived by a teardown; one never written is still new.
    if (cached && (!cached.written || fs.existsSync(cached.file))) return cached;
    ledgers.delete(demo);
    managers.delete(demo);
    const ledger = Ledger.read(home, info.id, demo);
    if (ledger) ledgers.set(demo, ledger);
    return ledger;
  };
  // Ledgers this connection may write, held against other processes until close().
  const ledgerLocks = new Map<string, HeldLedgerLock>();
  const lockNow = (demo: string): void => {
    if (!ledgerLocks.has(demo)) ledgerLocks.set(demo, lockLedgerNow(home, info.id, demo));
  };
  const lockWaiting = async (demo: string): Promise<void> => {
    if (!ledgerLocks.has(demo)) ledgerLocks.set(demo, await lockLedger(home, info.id, demo));
  };
  let closed: Promise<void> | undefined;

  const target: ConnectedTarget = {
    info,
    clients,
    clock: parts.clock,
    calls: parts.calls,
    warnings: parts.warnings,
    faults,
    faultProfile: parts.faultProfile,
    home,
    ownsSandbox: info.kind === 'sandbox' && parts.stop !== undefined,
    close() {
      closed ??= (async () => {
        destroyClients(clients);
        for (const lock of ledgerLocks.values()) lock.release();
        ledgerLocks.clear();
        await parts.stop?.();
      })();
      return closed;
    },
    lockLedger: lockWaiting,
    resources(demo, opts) {
      lockNow(demo);
      let ledger = readLedger(demo);
      if (!ledger) {
        // New deployment (or the last one was torn down and archived): a new ledger and run id.
        ledger = Ledger.open(home, info.id, demo);
        ledgers.set(demo, ledger);
      }
      let manager = managers.get(demo);
      if (!manager || manager.runId !== ledger.runId) {
        manager = new LedgerResourceManager({
          clients,
          info,
          ledger,
          onWait: opts?.onWait,
          tally: faults,
          hooks,
          sleep: (ms) => parts.clock.sleep(ms),
        });
        managers.set(demo, manager);
      } else if (opts?.onWait) {
        manager.onWait = opts.onWait;
      }
      return manager;
    },
    ledger(demo) {
      return readLedger(demo);
    },
    planTeardown(demo) {
      const ledger = readLedger(demo);
      return ledger ? planTeardown(ledger) : [];
    },
    async teardown(demo, opts) {
      await lockWaiting(demo);
      const ledger = readLedger(demo);
      if (!ledger) return EMPTY_REPORT();
      const report = await applyTeardown({ clients, info, ledger, onProgress: opts?.onProgress, hooks });
      return report;
    },
    async teardownAll(opts) {
      const results: DemoTeardown[] = [];
      for (const demo of Ledger.readAll(home, info.id).map((l) => l.demo)) {
        await lockWaiting(demo);
        const ledger = readLedger(demo);
        if (!ledger) continue;
        const report = await applyTeardown({ clients, info, ledger, onProgress: opts?.onProgress, hooks });
        results.push({ demo, runId: ledger.runId, report });
      }
      return results;
    },
    describeDeployment(demo) {
      const ledger = readLedger(demo);
      return ledger ? describeDeployment(ledger, info) : undefined;
    },
  };
  return target;
}
