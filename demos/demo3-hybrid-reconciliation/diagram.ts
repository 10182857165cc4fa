/** demo3's architecture, drawn in the terminal at the start (the SVG in assets/ is the same picture). */
export const DEMO3_DIAGRAM = String.raw`
  S3 bucket         EventBridge rules         Step Functions: reconcile-orders (STANDARD)
  ┌────────────┐    ┌─────────────────┐       ┌──────────────────────────────────────────┐
  │ raw/orders/│───▶│ Object Created  │ event │ WhichTrigger (Choice on the input's mode)│
  │  dt=…/     │    │ under raw/      │──────▶│  ├ event:     ProcessArrival (its hour)  │
  │  hour=…/   │    ├─────────────────┤       │  └ scheduled: CheckCompleteness          │
  │ curated/   │    │ rate(5 minutes) │ sched │     ▶ ReprocessStale (Map, ≤ 10 at once) │
  │ reports/   │    │ window + grace  │──────▶│     ▶ AnyMissing ⇄ GracePeriod (Wait)    │
  └────────────┘    └─────────────────┘       │          ▶ RecheckMissing ▶ ProcessLate  │
        ▲ read/write                          │     ▶ WriteReport (report + metrics)     │
        └─ Lambda: process-partition · check-completeness · write-report ◀─ invoke ──────┘
           (one least-privilege role each)                     │ PartitionsMissing
  pager log group ◀─ rule ◀─ default bus ◀─ state change ◀─ CloudWatch alarm (≥ 1)
`;
