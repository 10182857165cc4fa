// Types for writeReport.mjs.
import type { S3Client } from '@aws-sdk/client-s3';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ReportStatus } from './report.mjs';
export interface WriteReportResult {
  report_key: string;
  markdown_key: string;
  counts: Record<ReportStatus, number>;
  inconsistent: number;
}
export declare const METRICS: Record<ReportStatus, string>;
export declare function writeReport(
  deps: { s3: S3Client; cloudwatch: CloudWatchClient; bucket: string; namespace: string; pipeline: string },
  event: unknown,
): Promise<WriteReportResult>;
export declare function handler(event: unknown): Promise<WriteReportResult>;
