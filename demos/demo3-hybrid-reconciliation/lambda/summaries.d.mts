// Types for summaries.mjs.
import type { ListedObject } from './s3Objects.mjs';
export interface SourceFile {
  key: string;
  etag: string;
  size: number;
  records: number;
}
export interface PartitionStats {
  record_count: number;
  distinct_orders: number;
  duplicates_dropped: number;
  total_amount: number;
  sources: SourceFile[];
}
export interface SummaryTrigger {
  type: 'event' | 'reconcile';
  execution: string | null;
  request_id: string | null;
}
/** `curated/orders_hourly/<partition>/summary.json`. */
export interface PartitionSummary extends PartitionStats {
  partition: string;
  window: { start: string; end: string };
  processed_at: string;
  trigger: SummaryTrigger;
}
export type PartitionState = 'MISSING' | 'STALE' | 'CURRENT';
export declare class MalformedRecordError extends Error {}
export declare function aggregatePartition(
  files: Array<{ key: string; etag: string; size: number; text: string }>,
): PartitionStats;
export declare function buildSummary(args: {
  partition: string;
  stats: PartitionStats;
  processedAt: string;
  trigger: SummaryTrigger;
}): PartitionSummary;
export declare function builtFrom(
  summary: unknown,
  listed: Array<Pick<ListedObject, 'key' | 'etag' | 'size'>>,
): boolean;
export declare function partitionState(
  rawObjects: Array<Pick<ListedObject, 'key' | 'etag' | 'size'>>,
  summary: unknown,
): PartitionState;
