/**
 * What a run met of AWS's bad days and how it got past each: responses the SDK retried (throttling,
 * server errors, dropped connections — counted from each call's attempts), waits the cloud layer
 * sat out (IAM propagation, Lambda still Pending or updating), and faults nothing could absorb.
 * The run's closing line is read from here.
 */

export type CloudWaitKind = 'iam-propagation' | 'lambda-state';

const WAIT_LABELS: Record<CloudWaitKind, string> = {
  'iam-propagation': 'IAM propagation',
  'lambda-state': 'Lambda Pending or updating',
};

/** One SDK call's attempts, as the retry tracking middleware saw them. */
export interface CallAttempts {
  /** The client's service, e.g. `Lambda`. */
  service: string;
  operation: string;
  /** Attempts made, the first included (`$metadata.attempts`). */
  attempts: number;
  /** What each attempt that was retried failed with (error names). */
  retriedErrors: string[];
  /** When the SDK gave up on a fault it retries: the last error's name. */
  gaveUpOn?: string;
}

/** The fault profile a run is under, when the target is a sandbox with one. */
export interface FaultProfileInfo {
  profile: string;
  seed: number;
}

function countText(counts: Map<string, number>): string {
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, n]) => `${n} ${name}`)
    .join(', ');
}

const sum = (counts: Map<string, number>): number => [...counts.values()].reduce((a, b) => a + b, 0);

export class FaultTally {
  private readonly retried = new Map<string, number>();
  private readonly waits = new Map<string, number>();
  private readonly unabsorbed: string[] = [];
  /** Failed attempts of calls the SDK gave up on: faults met, none absorbed. */
  private refused = 0;

  recordCall(call: CallAttempts): void {
    if (call.gaveUpOn) {
      this.refused += call.attempts;
      this.unabsorbed.push(
        `${call.service} ${call.operation} refused ${call.attempts} time${call.attempts === 1 ? '' : 's'} (last: ${call.gaveUpOn})`,
      );
      return;
    }
    const retries = Math.max(0, call.attempts - 1);
    for (let i = 0; i < retries; i++) {
      const name = call.retriedErrors[i] ?? 'an unreported error';
      this.retried.set(name, (this.retried.get(name) ?? 0) + 1);
    }
  }

  recordWait(kind: CloudWaitKind): void {
    const label = WAIT_LABELS[kind];
    this.waits.set(label, (this.waits.get(label) ?? 0) + 1);
  }

  /**
   * A wait recorded with `recordWait` ran out before AWS was ready: it absorbed nothing, so it moves
   * from the waits to the faults not absorbed, with `what` saying which.
   */
  recordWaitGaveUp(kind: CloudWaitKind, what: string): void {
    const label = WAIT_LABELS[kind];
    const n = this.waits.get(label) ?? 0;
    if (n <= 1) this.waits.delete(label);
    else this.waits.set(label, n - 1);
    this.refused += 1;
    this.unabsorbed.push(`${label}: ${what}`);
  }

  /** Responses the SDK retried past. */
  get sdkRetries(): number {
    return sum(this.retried);
  }

  /** Waits the cloud layer sat out. */
  get cloudWaits(): number {
    return sum(this.waits);
  }

  /** Faults met that nothing absorbed (each refused attempt of a call that failed for good). */
  get notAbsorbed(): number {
    return this.refused;
  }

  /** Faults met, absorbed or not. */
  get met(): number {
    return this.sdkRetries + this.cloudWaits + this.notAbsorbed;
  }

  /**
   * Whether the run met anything out of the ordinary. Lambda's Pending after a create is ordinary
   * (every run meets it), so it alone does not make the closing line worth printing.
   */
  get notable(): boolean {
    return (
      this.sdkRetries + this.notAbsorbed > 0 ||
      this.cloudWaits > (this.waits.get(WAIT_LABELS['lambda-state']) ?? 0)
    );
  }

  /** The run's closing line. */
  summary(profile?: FaultProfileInfo): string {
    const under = profile ? ` under fault profile ${profile.profile} (seed ${profile.seed})` : '';
    if (this.met === 0) {
      return `Faults met${under}: none${profile ? ' — a profile that injects nothing tests nothing' : ''}.`;
    }
    const parts: string[] = [];
    if (this.sdkRetries > 0) parts.push(`${this.sdkRetries} retried by the SDK (${countText(this.retried)})`);
    if (this.cloudWaits > 0)
      parts.push(`${this.cloudWaits} waited out by the CLI (${countText(this.waits)})`);
    const absorbed = this.sdkRetries + this.cloudWaits;
    const head =
      this.notAbsorbed === 0
        ? `${this.met}, all absorbed`
        : `${this.met}, ${absorbed} absorbed, ${this.notAbsorbed} not`;
    const tail = this.notAbsorbed > 0 ? `; not absorbed: ${this.unabsorbed.join('; ')}` : '';
    return `Faults met${under}: ${head}${parts.length ? ` — ${parts.join(', ')}` : ''}${tail}.`;
  }
}
