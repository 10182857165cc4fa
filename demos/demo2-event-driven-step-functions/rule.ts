/**
 * The trigger: which events start the pipeline and what the execution is told. The pattern uses
 * EventBridge's content filtering (a prefix match on the key); the input transformer picks the few
 * fields the workflow needs out of S3's event, so the state machine never depends on its full shape.
 */
import { INCOMING_PREFIX } from './names.js';

export function arrivalPattern(bucket: string): Record<string, unknown> {
  return {
    source: ['aws.s3'],
    'detail-type': ['Object Created'],
    detail: {
      bucket: { name: [bucket] },
      object: { key: [{ prefix: INCOMING_PREFIX }] },
    },
  };
}

/** Placeholders outside quotes receive the JSON value (strings quoted, numbers as numbers). */
export const ARRIVAL_INPUT_TRANSFORMER = {
  InputPathsMap: {
    bucket: '$.detail.bucket.name',
    key: '$.detail.object.key',
    size: '$.detail.object.size',
    etag: '$.detail.object.etag',
    eventId: '$.id',
    eventTime: '$.time',
  },
  InputTemplate:
    '{"bucket": <bucket>, "key": <key>, "size": <size>, "etag": <etag>, "eventId": <eventId>, "eventTime": <eventTime>}',
};
