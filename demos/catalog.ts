/**
 * The course's demos, as the CLI lists them. Each entry loads its declaration lazily so that
 * `course-cli list` and `--help` stay fast (no AWS SDK loaded).
 */
import type { Demo } from '../src/course/model.js';

export interface CatalogEntry {
  id: string;
  slug: string;
  title: string;
  lesson: string;
  summary: string;
  /** Loads the declaration; undefined while the demo is not part of this release yet. */
  load?: () => Promise<Demo<any>>;
}

export const CATALOG: CatalogEntry[] = [
  {
    id: 'demo1',
    slug: 'scheduler-lambda',
    title: 'Scheduler Lambda',
    lesson: 'A clock is not an orchestrator.',
    summary:
      'An EventBridge schedule runs an hourly aggregation Lambda over S3 data. Late data makes it fail silently; you backfill and make it fail loudly.',
    load: async () => (await import('./demo1-scheduler-lambda/demo.js')).demo1 as Demo<any>,
  },
  {
    id: 'demo2',
    slug: 'event-driven-step-functions',
    title: 'Event rule + Step Functions',
    lesson: "Let the data's arrival start the work.",
    summary:
      'S3 Object Created events start a Step Functions pipeline (validate, transform, load) with retries, a quarantine path and redrive.',
  },
  {
    id: 'demo3',
    slug: 'hybrid-reconciliation',
    title: 'Hybrid late-data reconciliation',
    lesson: 'Schedule for completeness, events for freshness.',
    summary:
      'Events process each arrival; a scheduled reconciliation finds missing and stale partitions, reprocesses them idempotently and reports.',
  },
];

/** Find a demo by id or long name (case-insensitive). */
export function findDemo(name: string): CatalogEntry | undefined {
  const n = name.toLowerCase();
  return CATALOG.find((d) => d.id === n || d.slug === n || `${d.id}-${d.slug}` === n);
}
