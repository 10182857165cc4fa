/**
 * The order files demo3 delivers: one on-time file per hour (seeded, so a repeated step uploads the
 * same bytes) and, for the resent hour, a late file that repeats some on-time orders verbatim (an
 * upstream resend) next to a few new ones. Uploads go out a few at a time.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { StepContext } from '../../src/course/model.js';
import {
  generateOrders,
  orderStats,
  rawOrderFile,
  toJsonLines,
  type RawOrderFile,
} from '../shared/orders.js';
import { rawKey } from '../shared/hourWindows.js';
import type { UploadedFile } from './state.js';
import { hourOfPartition } from './window.js';
import { mapLimited } from './limited.js';

export const ON_TIME_LABEL = 'part-0000';
export const RESEND_LABEL = 'late-0001';
/** Share of the hour's on-time orders the late file resends, and of new orders it adds. */
export const RESENT_SHARE = 0.2;
export const NEW_SHARE = 0.1;
const UPLOADS_IN_FLIGHT = 8;

export function onTimeFile(seed: string, partition: string, records: number): RawOrderFile {
  return rawOrderFile({ seed, window: hourOfPartition(partition), count: records, fileLabel: ON_TIME_LABEL });
}

/** The resend: the first RESENT_SHARE of the on-time records again, then NEW_SHARE new orders. */
export function resendFile(seed: string, partition: string, records: number): RawOrderFile {
  const window = hourOfPartition(partition);
  const resent = onTimeFile(seed, partition, records).records.slice(0, Math.ceil(records * RESENT_SHARE));
  const fresh = generateOrders({
    seed,
    window,
    count: Math.ceil(records * NEW_SHARE),
    fileLabel: RESEND_LABEL,
    duplicateRate: 0,
  });
  const all = [...resent, ...fresh];
  const fileName = `${RESEND_LABEL}.jsonl`;
  return {
    key: rawKey(window, fileName),
    fileName,
    records: all,
    body: toJsonLines(all),
    stats: orderStats(all),
  };
}

/** Put the files (a few at a time); each with the ETag S3 answered. */
export async function uploadFiles(
  ctx: StepContext<unknown>,
  bucket: string,
  files: Array<{ partition: string; file: RawOrderFile }>,
): Promise<UploadedFile[]> {
  return mapLimited(files, UPLOADS_IN_FLIGHT, async ({ partition, file }) => {
    const put = await ctx.aws.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: file.key,
        Body: file.body,
        ContentType: 'application/x-ndjson',
      }),
    );
    return { partition, key: file.key, etag: (put.ETag ?? '').replace(/"/g, ''), stats: file.stats };
  });
}
