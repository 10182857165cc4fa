/** demo2 as the catalog lists it; loads nothing else, so `list` and `--help` stay fast. */
import type { DemoMeta } from '../../src/course/model.js';

export const DEMO2_META: DemoMeta = {
  id: 'demo2',
  slug: 'event-driven-step-functions',
  title: 'Event rule + Step Functions',
  lesson: "Let the data's arrival start the work.",
  summary:
    'An S3 "Object Created" event starts a Step Functions workflow (validate, transform, load) the ' +
    'moment a file lands. Retry absorbs transient faults, Catch quarantines a bad file, and a failed ' +
    'execution is redriven from the state that failed.',
  diagramSvg: 'assets/demo2-event-driven-step-functions.svg',
  readme: 'demos/demo2-event-driven-step-functions/README.md',
};
