/**
 * S3 → EventBridge: the S3 service on its own HTTP server with a recording EventPublisher, driven by
 * the real SDK, so the events' shape can be checked exactly.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SandboxClock } from '../../../src/sandbox/clock.js';
import type { EventToPublish } from '../../../src/sandbox/contracts.js';
import { loadOrCreateCredentials } from '../../../src/sandbox/credentials.js';
import { createSandboxServer } from '../../../src/sandbox/server.js';
import { createS3Service } from '../../../src/sandbox/s3/index.js';
import { StateStore } from '../../../src/sandbox/store.js';
import { makeTempDir } from '../../helpers/sandbox.js';

const published: EventToPublish[] = [];
let close: () => Promise<void>;
let s3: S3Client;

beforeAll(async () => {
  const dir = makeTempDir();
  const credentials = loadOrCreateCredentials(dir);
  const clock = new SandboxClock();
  const service = createS3Service({
    store: new StateStore(dir),
    clock,
    log: () => undefined,
    events: { publish: (e) => published.push(e) },
  });
  const { server, setEndpoint } = createSandboxServer({ endpoints: [service.endpoint], credentials });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  setEndpoint(endpoint);
  close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
      clock.stop();
    });
  s3 = new S3Client({ region: 'us-east-1', endpoint, credentials, maxAttempts: 1 });
  await s3.send(new CreateBucketCommand({ Bucket: 'events-on' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'events-off' }));
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: 'events-on',
      NotificationConfiguration: { EventBridgeConfiguration: {} },
    }),
  );
});
afterAll(async () => {
  await close?.();
});

function take(): EventToPublish[] {
  return published.splice(0, published.length);
}

describe('S3 → EventBridge', () => {
  it('PutObject emits "Object Created" with the AWS detail shape', async () => {
    take();
    const put = await s3.send(
      new PutObjectCommand({ Bucket: 'events-on', Key: 'raw/a.csv', Body: 'a,b\n1,2\n' }),
    );
    const [event, ...rest] = take();
    expect(rest).toHaveLength(0);
    expect(event).toMatchObject({
      region: 'us-east-1',
      source: 'aws.s3',
      detailType: 'Object Created',
      resources: ['arn:aws:s3:::events-on'],
    });
    const detail = event!.detail as Record<string, unknown>;
    expect(detail).toEqual({
      version: '0',
      bucket: { name: 'events-on' },
      object: {
        key: 'raw/a.csv',
        size: 8,
        etag: put.ETag!.replace(/"/g, ''),
        sequencer: expect.stringMatching(/^[0-9A-F]{16,}$/),
      },
      'request-id': expect.any(String),
      requester: '000000000000',
      'source-ip-address': '127.0.0.1',
      reason: 'PutObject',
    });
    expect(typeof event!.time).toBe('number');
  });

  it('CopyObject emits "Object Created" with reason CopyObject', async () => {
    take();
    await s3.send(
      new CopyObjectCommand({ Bucket: 'events-on', Key: 'raw/b.csv', CopySource: 'events-on/raw/a.csv' }),
    );
    const events = take();
    expect(events).toHaveLength(1);
    expect(events[0]!.detailType).toBe('Object Created');
    expect(events[0]!.detail).toMatchObject({ object: { key: 'raw/b.csv', size: 8 }, reason: 'CopyObject' });
  });

  it('CompleteMultipartUpload emits "Object Created" with reason CompleteMultipartUpload', async () => {
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: 'events-on', Key: 'raw/mp' }),
    );
    const { ETag } = await s3.send(
      new UploadPartCommand({ Bucket: 'events-on', Key: 'raw/mp', UploadId, PartNumber: 1, Body: 'part' }),
    );
    take();
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'events-on',
        Key: 'raw/mp',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag }] },
      }),
    );
    const events = take();
    expect(events).toHaveLength(1);
    expect(events[0]!.detail).toMatchObject({
      object: { key: 'raw/mp', size: 4, etag: expect.stringMatching(/-1$/) },
      reason: 'CompleteMultipartUpload',
    });
    await s3.send(new DeleteObjectCommand({ Bucket: 'events-on', Key: 'raw/mp' }));
  });

  it('DeleteObject and DeleteObjects emit "Object Deleted" for keys that existed', async () => {
    take();
    await s3.send(new DeleteObjectCommand({ Bucket: 'events-on', Key: 'raw/a.csv' }));
    await s3.send(
      new DeleteObjectsCommand({
        Bucket: 'events-on',
        Delete: { Objects: [{ Key: 'raw/b.csv' }, { Key: 'raw/never-existed' }] },
      }),
    );
    const events = take();
    expect(events.map((e) => [e.detailType, (e.detail as { reason: string }).reason])).toEqual([
      ['Object Deleted', 'DeleteObject'],
      ['Object Deleted', 'DeleteObjects'],
    ]);
    expect(events[0]!.detail).toMatchObject({
      version: '0',
      bucket: { name: 'events-on' },
      object: { key: 'raw/a.csv' },
      'deletion-type': 'Permanently Deleted',
    });
  });

  it('buckets without EventBridgeConfiguration emit nothing', async () => {
    take();
    await s3.send(new PutObjectCommand({ Bucket: 'events-off', Key: 'k', Body: 'x' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'events-off', Key: 'k' }));
    expect(take()).toHaveLength(0);
  });
});
