// Types for processPartition.mjs.
import type { S3Client } from '@aws-sdk/client-s3';
import type { SummaryTrigger } from './summaries.mjs';
export interface ProcessResult {
  status: 'processed' | 'up-to-date' | 'no-input' | 'ignored';
  partition?: string;
  key?: string;
  record_count?: number;
  distinct_orders?: number;
  sources?: number;
}
export declare class TransientError extends Error {}
export declare class ConcurrentUpdateError extends Error {}
export declare function requestOf(
  event: unknown,
  bucket: string,
): { partition: string; trigger: 'event' | 'reconcile' } | { ignored: string };
export declare function processPartition(
  s3: S3Client,
  bucket: string,
  partition: string,
  trigger: SummaryTrigger,
): Promise<ProcessResult>;
export declare function handler(event: unknown, context?: { awsRequestId?: string }): Promise<ProcessResult>;
