/** nextToken / maxResults paging over an already ordered list. */
import { AwsError } from '../errors.js';
import { SfnErrors } from './names.js';

export function page<T>(
  items: T[],
  maxResults: number | undefined,
  nextToken: string | undefined,
  scope: string,
  defaultSize = 100,
): { items: T[]; nextToken?: string } {
  if (maxResults !== undefined && (!Number.isInteger(maxResults) || maxResults < 0 || maxResults > 1000)) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000`,
    );
  }
  const size = maxResults && maxResults > 0 ? maxResults : defaultSize;
  let offset = 0;
  if (nextToken) {
    try {
      const t = JSON.parse(Buffer.from(nextToken, 'base64url').toString('utf8')) as { o: number; s: string };
      if (t.s !== scope || !Number.isInteger(t.o) || t.o < 0) throw new Error('scope');
      offset = t.o;
    } catch {
      throw SfnErrors.invalidToken(nextToken);
    }
  }
  const slice = items.slice(offset, offset + size);
  const more = offset + size < items.length;
  return {
    items: slice,
    nextToken: more
      ? Buffer.from(JSON.stringify({ o: offset + size, s: scope })).toString('base64url')
      : undefined,
  };
}
