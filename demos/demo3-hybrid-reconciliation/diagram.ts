/** demo3's architecture, drawn in the terminal at the start (the SVG in assets/ is the same picture). */
export const DEMO3_DIAGRAM = String.raw`
  S3 bucket          EventBridge                 Step Functions: reconcile-orders (STANDARD)
  ┌─────────────┐    ┌──────────────────┐        ┌──────────────────────────────────────────────┐
  │ raw/orders/ │───▶│ Object Created,  │ event ▶│ WhichTrigger ─ event ─▶ ProcessArrival (1 hr) │
  │  dt=/hour=/ │    │ raw/ → input     │        │   │ scheduled                                 │
  │ curated/    │    ├──────────────────┤        │   ▼                                           │
  │ reports/    │    │ rate(5 minutes)  │ sched ▶│ CheckCompleteness ─▶ ReprocessStale (Map ≤10) │
  └─────────────┘    │ window + grace   │        │   ─▶ AnyMissing ⇄ GracePeriod ─▶ Recheck ─▶   │
        ▲            └──────────────────┘        │      ProcessLate ─▶ WriteReport               │
        │ read/write           ▲ alarm state     └───────────────┬──────────────────────────────┘
        └── Lambda: process-partition · check-completeness · write-report (one role each)
                               │                                 │ PartitionsMissing (metric)
   pager log group ◀── rule ◀──┘ default bus ◀── CloudWatch alarm ◀┘
`;
