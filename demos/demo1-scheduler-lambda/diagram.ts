/** demo1's architecture, drawn in the terminal at the start (the SVG in assets/ is the same picture). */
export const DEMO1_DIAGRAM = String.raw`
  EventBridge rule          Lambda hourly-aggregate          S3 bucket
  ┌────────────────┐ invoke ┌───────────────────────────┐ read  ┌────────────────────────────┐
  │ rate(1 minute) │───────▶│ window = the hour before  │◀──────│ raw/orders/dt=…/hour=…/    │
  └────────────────┘        │ the event's time;         │       │   *.jsonl (from upstream)  │
  permission: only          │ aggregate raw → summary   │ write │ curated/orders_hourly/     │
  events.amazonaws.com      │                           │──────▶│   dt=…/hour=…/summary.json │
  with SourceArn = rule     └─────────────┬─────────────┘       └────────────────────────────┘
                              runs as IAM role (least privilege)
                              logs to /aws/lambda/<fn>: START · JSON lines · END · REPORT
                                          │ Errors metric · metric filter: ERROR lines
    recovery phase:                       ▼
                    ┌─────────────────────────────┐        ┌────────────────────────────────┐
                    │ CloudWatch alarm …-errors   │ state  │ EventBridge rule, default bus  │
                    │ AWS/Lambda Errors           │ change │ aws.cloudwatch, this alarm     │
                    │ Sum ≥ 1 in 1 minute         │───────▶│ → log group /aws/events/…      │
                    └─────────────────────────────┘        │ (a Logs resource policy lets   │
                                                           │ EventBridge write there only)  │
                                                           └────────────────────────────────┘
`;
