/**
 * The course's demos, as the CLI lists them. Each entry is the demo's own metadata (its `meta.ts`,
 * which imports nothing heavy) plus a lazy loader for the declaration, so that `course-cli list`
 * and `--help` stay fast (no AWS SDK loaded).
 */
import type { Demo, DemoMeta } from '../src/course/model.js';
import { DEMO1_META } from './demo1-scheduler-lambda/meta.js';
import { DEMO2_META } from './demo2-event-driven-step-functions/meta.js';
import { DEMO3_META } from './demo3-hybrid-reconciliation/meta.js';

export interface CatalogEntry extends Pick<
  DemoMeta,
  'id' | 'slug' | 'title' | 'lesson' | 'summary' | 'options'
> {
  /** Loads the declaration; undefined while the demo is not part of this release yet. */
  load?: () => Promise<Demo<any>>;
}

export const CATALOG: CatalogEntry[] = [
  {
    ...DEMO1_META,
    load: async () => (await import('./demo1-scheduler-lambda/demo.js')).demo1 as Demo<any>,
  },
  {
    ...DEMO2_META,
    load: async () => (await import('./demo2-event-driven-step-functions/demo.js')).demo2 as Demo<any>,
  },
  {
    ...DEMO3_META,
    load: async () => (await import('./demo3-hybrid-reconciliation/demo.js')).demo3 as Demo<any>,
  },
];

/** Find a demo by id or long name (case-insensitive). */
export function findDemo(name: string): CatalogEntry | undefined {
  const n = name.toLowerCase();
  return CATALOG.find((d) => d.id === n || d.slug === n || `${d.id}-${d.slug}` === n);
}
