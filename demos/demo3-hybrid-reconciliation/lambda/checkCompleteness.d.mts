// Types for checkCompleteness.mjs.
import type { S3Client } from '@aws-sdk/client-s3';
import type { ReconciliationWindow } from './partitions.mjs';
/** What check-completeness answers (and takes back as `previous` for a re-check). */
export interface CompletenessCheck {
  partitions: number;
  current: number;
  stale: string[];
  missing: string[];
  late: string[];
  arrived: string[];
  rechecks: number;
  checked_at: string;
}
export declare function firstCheck(
  s3: S3Client,
  bucket: string,
  window: ReconciliationWindow,
): Promise<CompletenessCheck>;
export declare function recheck(
  s3: S3Client,
  bucket: string,
  window: ReconciliationWindow,
  previous: CompletenessCheck,
): Promise<CompletenessCheck>;
export declare function handler(event: unknown): Promise<CompletenessCheck>;
