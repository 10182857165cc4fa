/** demo1's architecture, drawn in the terminal at the start (the SVG in assets/ is the same picture). */
export const DEMO1_DIAGRAM = String.raw`
  EventBridge rule                       Lambda  hourly-aggregate            S3 bucket
  ┌────────────────────┐   invoke      ┌─────────────────────────────┐     ┌──────────────────────────┐
  │ schedule           │──────────────▶│ window = hour before the    │────▶│ raw/orders/dt=/hour=/    │
  │ rate(1 minute)     │ (AddPermission│ event's time                │ read│   *.jsonl  (upstream)    │
  └────────────────────┘  SourceArn =  │ list + read raw, aggregate, │     │                          │
                          this rule)   │ write summary               │────▶│ curated/orders_hourly/   │
                                       └──────────────┬──────────────┘write│   dt=/hour=/summary.json │
                   IAM role (least privilege) ────────┤                    └──────────────────────────┘
                   CloudWatch Logs /aws/lambda/<fn> ◀─┘ START / JSON lines / END / REPORT
`;
