/**
 * The moments after CreateFunction (State `Pending`) and after an update (LastUpdateStatus
 * `InProgress`), as Lambda has them: while Pending, invocations and updates fail with
 * ResourceConflictException; while an update is in progress, another update fails the same way and
 * invocations run the previous code and configuration. The windows are real time (brief by default,
 * so demo runs stay fast; longer when asked, e.g. to rehearse a slow AWS) and kept in memory: after a
 * restart every function is Active.
 */
import { AwsError } from '../errors.js';
import type { ConfigurationView, FunctionRecord } from './model.js';
import { functionArn } from './model.js';

/** Real milliseconds a create or update takes by default. */
export const DEFAULT_TRANSITION_MS = 150;

interface Window {
  kind: 'create' | 'update';
  /** `performance.now()` when it ends. */
  until: number;
  /** For an update: the function as it was, which invocations still run. */
  previous?: FunctionRecord;
}

export class FunctionTransitions {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly durationMs = DEFAULT_TRANSITION_MS) {}

  private current(key: string): Window | undefined {
    const w = this.windows.get(key);
    if (w && performance.now() >= w.until) {
      this.windows.delete(key);
      return undefined;
    }
    return w;
  }

  created(key: string): void {
    if (this.durationMs > 0)
      this.windows.set(key, { kind: 'create', until: performance.now() + this.durationMs });
  }

  /** An update began; `previous` is a copy of the function before it. */
  updated(key: string, previous: FunctionRecord): void {
    if (this.durationMs > 0)
      this.windows.set(key, { kind: 'update', until: performance.now() + this.durationMs, previous });
  }

  forget(key: string): void {
    this.windows.delete(key);
  }

  /** State and LastUpdateStatus as GetFunction reports them now. */
  view(key: string): ConfigurationView {
    const w = this.current(key);
    if (w?.kind === 'create') return { state: 'Pending' };
    if (w?.kind === 'update') return { lastUpdateStatus: 'InProgress' };
    return {};
  }

  /** Throw what Lambda answers an update that arrives during a transition. */
  assertUpdatable(key: string, fn: FunctionRecord): void {
    const w = this.current(key);
    if (w?.kind === 'create') throw pendingConflict();
    if (w?.kind === 'update') {
      throw new AwsError(
        'ResourceConflictException',
        `The operation cannot be performed at this time. An update is in progress for resource: ${functionArn(fn)}`,
        409,
      );
    }
  }

  /** The function an invocation runs now: Pending refuses it, an update in progress runs the previous one. */
  forInvoke(key: string, fn: FunctionRecord): FunctionRecord {
    const w = this.current(key);
    if (w?.kind === 'create') throw pendingConflict();
    return w?.previous ?? fn;
  }
}

function pendingConflict(): AwsError {
  return new AwsError(
    'ResourceConflictException',
    'The operation cannot be performed at this time. The function is currently in the following state: Pending',
    409,
  );
}
