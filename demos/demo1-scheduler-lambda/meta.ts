/** demo1 as the catalog lists it; loads nothing else, so `list` and `--help` stay fast. */
import type { DemoMeta } from '../../src/course/model.js';

export const DEMO1_META: DemoMeta = {
  id: 'demo1',
  slug: 'scheduler-lambda',
  title: 'Scheduler Lambda',
  lesson: 'A clock is not an orchestrator.',
  summary:
    'An EventBridge schedule runs an hourly aggregation Lambda over S3 data. Late data makes it fail ' +
    'silently; you backfill, make it fail loudly and alarm on it.',
  diagramSvg: 'assets/demo1-scheduler-lambda.svg',
  readme: 'demos/demo1-scheduler-lambda/README.md',
};
