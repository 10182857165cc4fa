/**
 * Bucket notification configuration, and the EventBridge events S3 sends when a bucket has
 * `<EventBridgeConfiguration/>`: "Object Created" / "Object Deleted" from source `aws.s3`.
 * Topic, queue and Lambda configurations are stored and echoed back, but not delivered.
 */
import { randomUUID } from 'node:crypto';
import type { EventPublisher } from '../contracts.js';
import { malformedXml } from '../protocols/restXml.js';
import { childElement, childList, type XmlChildren, type XmlValue } from '../protocols/xml.js';
import { bucketArn } from './bucketNames.js';
import type { BucketRecord } from './storage.js';

const DESTINATION_KINDS = ['TopicConfiguration', 'QueueConfiguration', 'CloudFunctionConfiguration'] as const;
const LAMBDA_KIND = 'LambdaFunctionConfiguration';

export interface NotificationConfig {
  eventBridge: boolean;
  /** Other configurations by element name, as parsed (echoed back verbatim). */
  destinations: Record<string, XmlChildren[]>;
}

/** Drop the whitespace text fast-xml-parser keeps between elements. */
function withoutText(v: XmlValue): XmlChildren | string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return { item: v.map(withoutText) } as XmlChildren;
  const out: XmlChildren = {};
  for (const [name, child] of Object.entries(v)) {
    if (name === '#text') continue;
    out[name] = Array.isArray(child) ? child.map(withoutText) : withoutText(child);
  }
  return out;
}

export function parseNotificationConfiguration(root: XmlValue): NotificationConfig {
  if (Array.isArray(root)) throw malformedXml();
  const config: NotificationConfig = {
    eventBridge: childList(root, 'EventBridgeConfiguration').length > 0,
    destinations: {},
  };
  for (const kind of [...DESTINATION_KINDS, LAMBDA_KIND]) {
    const entries = childList(root, kind).map((entry) => {
      const el = withoutText(entry);
      if (typeof el === 'string') throw malformedXml();
      if (childList(entry, 'Event').length === 0) throw malformedXml();
      // AWS names unnamed configurations itself.
      return { Id: randomUUID().replace(/-/g, ''), ...el };
    });
    if (entries.length > 0) config.destinations[kind] = entries;
  }
  if (childElement(root, 'EventBridgeConfiguration') === undefined && config.eventBridge) {
    throw malformedXml();
  }
  return config;
}

export function notificationXml(config: NotificationConfig | undefined): XmlChildren {
  const out: XmlChildren = {};
  if (!config) return out;
  for (const [kind, entries] of Object.entries(config.destinations)) out[kind] = entries;
  if (config.eventBridge) out.EventBridgeConfiguration = '';
  return out;
}

/** Per-process sequencer: increasing hex, as S3's are for one key. */
let sequence = 0;
function nextSequencer(now: number): string {
  sequence = (sequence + 1) % 0x10000;
  return (now.toString(16) + sequence.toString(16).padStart(4, '0')).toUpperCase().padStart(18, '0');
}

export interface ObjectEventFacts {
  key: string;
  size?: number;
  etag?: string;
  reason: string;
  requestId: string;
  requester: string;
  sourceIp: string;
  now: number;
}

export class S3EventEmitter {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly log: (line: string) => void,
  ) {}

  objectCreated(bucket: BucketRecord, facts: ObjectEventFacts): void {
    this.emit(bucket, 'Object Created', facts, {});
  }

  objectDeleted(bucket: BucketRecord, facts: ObjectEventFacts): void {
    this.emit(bucket, 'Object Deleted', facts, { 'deletion-type': 'Permanently Deleted' });
  }

  private emit(
    bucket: BucketRecord,
    detailType: string,
    facts: ObjectEventFacts,
    extra: Record<string, string>,
  ): void {
    if (!bucket.notification?.eventBridge) return;
    const object: Record<string, string | number> = { key: facts.key };
    if (facts.size !== undefined) object.size = facts.size;
    if (facts.etag !== undefined) object.etag = facts.etag;
    object.sequencer = nextSequencer(facts.now);
    try {
      this.publisher.publish({
        region: bucket.region,
        source: 'aws.s3',
        detailType,
        resources: [bucketArn(bucket.name)],
        time: facts.now,
        detail: {
          version: '0',
          bucket: { name: bucket.name },
          object,
          'request-id': facts.requestId,
          requester: facts.requester,
          'source-ip-address': facts.sourceIp,
          reason: facts.reason,
          ...extra,
        },
      });
    } catch (err) {
      // A delivery problem must never fail the S3 request that caused it.
      this.log(
        `s3: publishing ${detailType} for ${bucket.name}/${facts.key} failed: ${(err as Error).message}`,
      );
    }
  }
}
