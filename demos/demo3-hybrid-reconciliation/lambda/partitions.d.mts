// Types for partitions.mjs, so the TypeScript side (tests) can use the handlers' own logic.
export interface ReconciliationWindow {
  /** ISO-8601 instant on an hour boundary. */
  start: string;
  hours: number;
}
export declare const RAW_ROOT: string;
export declare const CURATED_ROOT: string;
export declare const REPORTS_ROOT: string;
export declare const MAX_WINDOW_HOURS: number;
export declare class InvalidInputError extends Error {}
export declare function partitionId(epochMs: number): string;
export declare function partitionStart(id: string): number;
export declare function isPartitionId(id: unknown): boolean;
export declare function nextPartition(id: string): string;
export declare function rawPrefix(id: string): string;
export declare function curatedKey(id: string): string;
export declare function partitionOfRawKey(key: unknown): string | undefined;
export declare function partitionOfCuratedKey(key: unknown): string | undefined;
export declare function windowPartitions(window: ReconciliationWindow): string[];
export declare function windowBounds(window: ReconciliationWindow): { start: string; end: string };
