/** demo3 as the catalog lists it, with its own run options; loads nothing else, so `list` and `--help` stay fast. */
import type { DemoMeta } from '../../src/course/model.js';
import { integerOption } from '../../src/course/demoOptions.js';

export const DEMO3_OPTIONS = [
  integerOption({
    name: 'hours',
    description: 'hourly partitions in the reconciled window (4 to 720, i.e. up to 30 days)',
    defaultValue: 6,
    min: 4,
    max: 720,
  }),
  integerOption({
    name: 'records-per-hour',
    description: "order records in each hour's file",
    defaultValue: 200,
    min: 10,
    max: 100_000,
  }),
];

export const DEMO3_META: DemoMeta = {
  id: 'demo3',
  slug: 'hybrid-reconciliation',
  title: 'Hybrid late-data reconciliation',
  lesson: 'Schedule for completeness, events for freshness.',
  summary:
    'Events process each arrival at once; a scheduled reconciliation checks a window of hourly ' +
    'partitions, reprocesses missing and stale ones idempotently, waits a grace period for late data ' +
    'and reports every partition OK, RECONCILED, LATE or MISSING — with an alarm that pages on MISSING.',
  diagramSvg: 'assets/demo3-hybrid-reconciliation.svg',
  readme: 'demos/demo3-hybrid-reconciliation/README.md',
  options: DEMO3_OPTIONS,
};
