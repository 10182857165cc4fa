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
`;
