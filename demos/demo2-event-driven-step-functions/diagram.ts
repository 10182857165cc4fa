/** demo2's architecture, drawn in the terminal at the start (the SVG in assets/ is the same picture). */
export const DEMO2_DIAGRAM = String.raw`
  S3 bucket            EventBridge rule          Step Functions state machine (STANDARD)
  ┌───────────────┐    ┌──────────────────┐      ┌────────────────────────────────────────────┐
  │ incoming/     │ ──▶│ Object Created,  │ ───▶ │  Validate ──▶ Transform ──▶ Load ──▶ end   │
  │  *.jsonl      │    │ this bucket,     │ Start│     │ ValidationError   ↻ Retry: transient │
  └───────────────┘    │ key incoming/*   │ Exec │     ▼                     errors, backoff  │
   raw/     ◀ transform│ input transformer│      │  Quarantine ──▶ Rejected (Fail)            │
   curated/ ◀ load     └──────────────────┘      └────────────────────────────────────────────┘
   quarantine/ ◀ validate    roles: functions · state machine · EventBridge (least privilege)
  logs: /aws/events/<rule> (each event), /aws/vendedlogs/states/<machine> (ALL), /aws/lambda/… ×3
  alarm: FILL(AWS/States ExecutionsFailed, 0) ≥ 1 in any of the last 5 minutes (quiet = 0)
`;
