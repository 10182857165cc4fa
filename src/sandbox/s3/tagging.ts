/** Tag sets for buckets and objects: the `<Tagging>` document and the `x-amz-tagging` header. */
import { malformedXml } from '../protocols/restXml.js';
import { childElement, childList, childText, type XmlChildren, type XmlValue } from '../protocols/xml.js';
import { S3Errors } from './s3Errors.js';
import type { Tag } from './storage.js';

const LIMITS = { bucket: 50, object: 10 } as const;

function validate(tags: Tag[], kind: 'bucket' | 'object'): Tag[] {
  if (tags.length > LIMITS[kind]) {
    throw S3Errors.invalidTag(
      kind === 'object'
        ? 'Object tags cannot be greater than 10'
        : 'Bucket tag count cannot be greater than 50',
    );
  }
  const seen = new Set<string>();
  for (const t of tags) {
    if (t.Key.length === 0 || [...t.Key].length > 128)
      throw S3Errors.invalidTag('The TagKey you have provided is invalid');
    if ([...t.Value].length > 256) throw S3Errors.invalidTag('The TagValue you have provided is invalid');
    if (t.Key.toLowerCase().startsWith('aws:')) {
      throw S3Errors.invalidTag('System tags cannot be added/updated by requester');
    }
    if (seen.has(t.Key)) throw S3Errors.invalidTag('Cannot provide multiple Tags with the same key');
    seen.add(t.Key);
  }
  return tags;
}

/** Parse `<Tagging><TagSet><Tag><Key/><Value/></Tag>…</TagSet></Tagging>` (root content). */
export function parseTagging(root: XmlValue, kind: 'bucket' | 'object'): Tag[] {
  const tagSet = childElement(root, 'TagSet');
  if (!tagSet) throw malformedXml();
  const tags = childList(tagSet, 'Tag').map((tag) => {
    const Key = childText(tag, 'Key');
    const Value = childText(tag, 'Value');
    if (Key === undefined || Value === undefined) throw malformedXml();
    return { Key, Value };
  });
  return validate(tags, kind);
}

/** Parse the `x-amz-tagging` header (URL query encoding). */
export function parseTaggingHeader(value: string): Tag[] {
  const tags: Tag[] = [];
  for (const [Key, Value] of new URLSearchParams(value)) tags.push({ Key, Value });
  return validate(tags, 'object');
}

export function taggingXml(tags: Tag[]): XmlChildren {
  return { TagSet: { Tag: tags.map((t) => ({ Key: t.Key, Value: t.Value })) } };
}
