// Types for aggregate.mjs, so the TypeScript side (tests, the demo) can import the handler's own logic.
export interface HandlerWindow {
  dt: string;
  hour: string;
}
export type TriggerType = 'schedule' | 'backfill';
export interface WindowStats {
  record_count: number;
  distinct_orders: number;
  total_amount: number;
  source_files: string[];
}
export interface HourlySummary extends WindowStats {
  window: HandlerWindow & { start: string; end: string };
  processed_at: string;
  trigger: { type: TriggerType; event_time: string | null; request_id: string | null };
}
export declare class MissingInputError extends Error {}
export declare class InvalidEventError extends Error {}
export declare function windowForEvent(event: unknown): {
  window: HandlerWindow;
  trigger: TriggerType;
  eventTime: string | undefined;
};
export declare function rawPrefix(w: HandlerWindow): string;
export declare function curatedKey(w: HandlerWindow): string;
export declare function windowBounds(w: HandlerWindow): { start: string; end: string };
export declare function aggregateOrderFiles(files: Array<{ key: string; text: string }>): WindowStats;
export declare function buildSummary(args: {
  window: HandlerWindow;
  stats: WindowStats;
  trigger: TriggerType;
  eventTime?: string;
  processedAt: string;
  requestId?: string;
}): HourlySummary;
