/**
 * IAM's Marker/MaxItems paging. The marker is opaque to callers; here it encodes the sort key of
 * the first item of the next page, so a page stays correct when items are added or removed between calls.
 */
import { AwsError } from '../errors.js';

export interface Page<T> {
  items: T[];
  isTruncated: boolean;
  marker?: string;
}

export function paginate<T>(
  sorted: T[],
  keyOf: (item: T) => string,
  marker: string | undefined,
  maxItems = 100,
): Page<T> {
  let start = 0;
  if (marker !== undefined) {
    const decoded = Buffer.from(marker, 'base64url').toString('utf8');
    if (!decoded.startsWith('k:')) throw new AwsError('ValidationError', 'Invalid Marker.', 400);
    const key = decoded.slice(2);
    start = sorted.findIndex((item) => keyOf(item) >= key);
    if (start < 0) start = sorted.length;
  }
  const items = sorted.slice(start, start + maxItems);
  const next = sorted[start + maxItems];
  return {
    items,
    isTruncated: next !== undefined,
    marker: next === undefined ? undefined : Buffer.from(`k:${keyOf(next)}`).toString('base64url'),
  };
}
