/**
 * Which phases a run needs. A phase may build on what an earlier one left behind (demo1's recovery
 * repairs the hour its failure phase broke); it says so in `requires`. Running a phase without what
 * it needs would narrate a repair of something that never happened, so the runner adds the missing
 * phases (when the learner agrees) or refuses. Re-running a phase makes the phases built on it
 * stale: they must run again to be true.
 */
import { PHASES, type Demo, type PhaseId } from './model.js';

/** A phase was asked for without the phases it builds on, and nobody agreed to run them first. */
export class PhasePrerequisiteError extends Error {
  override readonly name = 'PhasePrerequisiteError';
}

/** The given phases, once each, in course order. */
export function inCourseOrder(ids: Iterable<PhaseId>): PhaseId[] {
  const set = new Set(ids);
  return PHASES.filter((p) => set.has(p));
}

/** Every phase `phase` builds on, directly or through another, in course order. */
export function prerequisitesOf(demo: Demo<unknown>, phase: PhaseId): PhaseId[] {
  const found = new Set<PhaseId>();
  const visit = (id: PhaseId): void => {
    for (const r of demo.phases.find((p) => p.id === id)?.requires ?? []) {
      if (!found.has(r)) {
        found.add(r);
        visit(r);
      }
    }
  };
  visit(phase);
  return inCourseOrder(found);
}

/** Phases built on `phase`, directly or through another, in course order. */
export function dependentsOf(demo: Demo<unknown>, phase: PhaseId): PhaseId[] {
  return inCourseOrder(
    demo.phases.filter((p) => prerequisitesOf(demo, p.id).includes(phase)).map((p) => p.id),
  );
}

/**
 * Phases that must run before `selected` can, because they are neither selected nor complete on
 * this deployment. In course order.
 */
export function missingPrerequisites(
  demo: Demo<unknown>,
  selected: PhaseId[],
  isComplete: (phase: PhaseId) => boolean,
): PhaseId[] {
  const chosen = new Set(selected);
  const missing = new Set<PhaseId>();
  for (const phase of selected) {
    for (const need of prerequisitesOf(demo, phase)) {
      if (!chosen.has(need) && !isComplete(need)) missing.add(need);
    }
  }
  return inCourseOrder(missing);
}

/** `a`, `a and b`, `a, b and c`. */
export function listPhases(ids: PhaseId[]): string {
  return ids.length <= 1 ? (ids[0] ?? '') : `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)}`;
}
