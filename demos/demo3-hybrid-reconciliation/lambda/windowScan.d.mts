// Types for windowScan.mjs.
import type { S3Client } from '@aws-sdk/client-s3';
import type { ReconciliationWindow } from './partitions.mjs';
import type { ListedObject } from './s3Objects.mjs';
import type { PartitionState, PartitionSummary } from './summaries.mjs';
export interface ScannedPartition {
  id: string;
  raw: ListedObject[];
  summary: PartitionSummary | undefined;
  state: PartitionState;
}
export declare function scanWindow(
  s3: S3Client,
  bucket: string,
  window: ReconciliationWindow,
): Promise<ScannedPartition[]>;
export declare function scanPartitions(
  s3: S3Client,
  bucket: string,
  ids: string[],
): Promise<ScannedPartition[]>;
