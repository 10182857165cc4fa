/**
 * How demo1 ends: what this run showed, stated only as far as its own recorded observations support
 * it, then what the recovery did not fix and where the course goes next (demo2 and demo3).
 */
import type { Demo1State } from './state.js';

/** Sentences backed by what the failure and recovery phases read back on this run. */
export function closingObservations(s: Demo1State): string[] {
  const out: string[] = [];
  const sig = s.signals;
  const cmp = s.comparison;
  if (sig && sig.verdict === 'healthy' && cmp && cmp.curated !== cmp.raw) {
    out.push(
      `On this run the schedule fired ${sig.runs} time${sig.runs === 1 ? '' : 's'} after the data landed, every ` +
        `signal an on-call engineer watches stayed green, and still the hour said ${cmp.curated} records ` +
        `while raw/ held ${cmp.raw}.`,
    );
  } else if (cmp && cmp.curated !== cmp.raw) {
    out.push(`On this run the late hour's summary said ${cmp.curated} records while raw/ held ${cmp.raw}.`);
  }
  if (s.backfilled?.length) {
    out.push('It was right again only after you noticed and reprocessed it by hand (the backfill).');
  }
  if (s.loudFailure?.errorType === 'MissingInputError') {
    out.push(
      'An hour with no data now fails loudly: an error in the response, the logs and the Errors metric.',
    );
  }
  return out;
}

export const A_CLOCK_IS_NOT_AN_ORCHESTRATOR =
  'A clock is not an orchestrator. A schedule knows what time it is; it does not know whether the ' +
  'data for an hour has arrived, whether all of it has, or whether an earlier answer is now stale.';

export const WHAT_RECOVERY_DID_NOT_FIX =
  'What the recovery did not fix: REQUIRE_INPUT catches an hour with no files at all. The failure you ' +
  'saw was a partial hour — the first delivery on time, the rest late — and a partial hour still looks ' +
  'complete to a schedule: the next late delivery would be summarised short again, with every signal ' +
  'green, until someone recounts. A schedule cannot know a partial hour is partial; only the data ' +
  'arriving, or a later check against it, can tell.';

export const WHERE_NEXT =
  "That is the course's next move, from time-based jobs to event-triggered orchestration. demo2 lets " +
  "the data's arrival start the work: an S3 Object Created event, an EventBridge rule and a Step " +
  'Functions workflow that validates, transforms and loads each file, retries what is transient, ' +
  'quarantines what is bad, and can be redriven from the step that failed — so a late file is processed ' +
  'when it lands, not when a clock guesses. demo3 keeps a schedule for what events cannot see — a ' +
  'partition that never arrives — and uses it to reconcile: find hours that are missing or stale ' +
  'against raw/, reprocess them idempotently, and report each one as OK, RECONCILED, LATE or MISSING.';
