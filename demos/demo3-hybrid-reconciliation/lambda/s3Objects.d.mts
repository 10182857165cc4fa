// Types for s3Objects.mjs.
import type { S3Client } from '@aws-sdk/client-s3';
export interface ListedObject {
  key: string;
  /** Without S3's quotes. */
  etag: string;
  size: number;
  lastModified: string | null;
}
export declare function plainEtag(etag: unknown): string;
export declare function isMissing(err: unknown): boolean;
export declare function isConditionFailure(err: unknown): boolean;
export declare function listRange(
  s3: S3Client,
  bucket: string,
  range: { prefix: string; startAfter?: string; endBefore?: string },
): Promise<ListedObject[]>;
export declare function getText(
  s3: S3Client,
  bucket: string,
  key: string,
  ifMatch?: string,
): Promise<{ text: string; etag: string }>;
export declare function getJson(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<{ doc: unknown; etag: string } | undefined>;
export declare function putJsonIfUnchanged(
  s3: S3Client,
  bucket: string,
  key: string,
  doc: unknown,
  expectedEtag: string | undefined,
): Promise<boolean>;
export declare function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]>;
