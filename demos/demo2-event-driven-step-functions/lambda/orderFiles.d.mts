// Types for orderFiles.mjs, so the TypeScript side (tests) can import the functions' own logic.
export interface OrderWindow {
  dt: string;
  hour: string;
}
export interface OrderRecordLike {
  order_id: string;
  customer_id: string;
  amount: number;
  currency: string;
  ts: string;
}
export interface PartitionStats {
  record_count: number;
  distinct_orders: number;
  total_amount: number;
  source_files: string[];
}
export declare class ValidationError extends Error {}
export declare class TransientError extends Error {}
export declare class DestinationUnavailableError extends Error {}
export declare class InvalidRequestError extends Error {}
export declare function recordProblem(rec: unknown): string | undefined;
export declare function checkOrderFile(key: string, text: string): OrderRecordLike[];
export declare function normaliseRecord(rec: OrderRecordLike): OrderRecordLike;
export declare function windowAt(epochMs: number): OrderWindow;
export declare function partitionByHour(
  records: OrderRecordLike[],
): Array<{ window: OrderWindow; records: OrderRecordLike[] }>;
export declare function rawPrefix(w: OrderWindow): string;
export declare function curatedKey(w: OrderWindow): string;
export declare function fileNameOf(key: string): string;
export declare function quarantineKeyFor(key: string): string;
export declare function windowBounds(w: OrderWindow): { start: string; end: string };
export declare function toJsonLines(records: OrderRecordLike[]): string;
export declare function summariseFiles(files: Array<{ key: string; text: string }>): PartitionStats;
export declare function buildSummary(args: {
  window: OrderWindow;
  stats: PartitionStats;
  processedAt: string;
  eventTime?: string;
  execution?: string;
  requestId?: string;
}): Record<string, unknown>;
export declare function countFromEnv(value: string | undefined): number;
export declare function messageOfCause(cause: unknown): string;
export declare function log(level: string, message: string, fields?: Record<string, unknown>): void;
