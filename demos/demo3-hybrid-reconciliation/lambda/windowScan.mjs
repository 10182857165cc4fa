// Where every partition of a window stands, read the cheap way: one paged listing of raw/ and one
// of curated/ over the window's key range (keys sort by time, so the range is contiguous), then
// one small GET per partition that has both input and a summary, to see which objects the summary
// was built from. Cost grows linearly with partitions and objects; raw data is never read here.
import { getJson, listRange, mapLimit } from './s3Objects.mjs';
import {
  CURATED_ROOT,
  RAW_ROOT,
  curatedKey,
  nextPartition,
  partitionOfCuratedKey,
  partitionOfRawKey,
  rawPrefix,
  windowPartitions,
} from './partitions.mjs';
import { partitionState } from './summaries.mjs';

/** Summaries read at once; small objects, so latency-bound. */
const SUMMARY_READS_IN_FLIGHT = 16;

async function withSummaries(s3, bucket, ids, rawById, hasSummary) {
  return mapLimit(ids, SUMMARY_READS_IN_FLIGHT, async (id) => {
    const raw = rawById.get(id) ?? [];
    // A summary matters only next to input; without input the partition is missing either way.
    const found = raw.length > 0 && hasSummary(id) ? await getJson(s3, bucket, curatedKey(id)) : undefined;
    return { id, raw, summary: found?.doc, state: partitionState(raw, found?.doc) };
  });
}

function groupRaw(objects) {
  const byId = new Map();
  for (const o of objects) {
    const id = partitionOfRawKey(o.key);
    if (!id) continue;
    const list = byId.get(id);
    if (list) list.push(o);
    else byId.set(id, [o]);
  }
  return byId;
}

/** Every partition of `window`: `[{id, raw: [{key, etag, size, lastModified}], summary, state}]`. */
export async function scanWindow(s3, bucket, window) {
  const ids = windowPartitions(window);
  const end = nextPartition(ids[ids.length - 1]);
  const [raw, curated] = await Promise.all([
    listRange(s3, bucket, { prefix: RAW_ROOT, startAfter: rawPrefix(ids[0]), endBefore: rawPrefix(end) }),
    listRange(s3, bucket, {
      prefix: CURATED_ROOT,
      startAfter: `${CURATED_ROOT}${ids[0]}/`,
      endBefore: `${CURATED_ROOT}${end}/`,
    }),
  ]);
  const summaries = new Set(curated.map((o) => partitionOfCuratedKey(o.key)).filter(Boolean));
  return withSummaries(s3, bucket, ids, groupRaw(raw), (id) => summaries.has(id));
}

/** The same for a few named partitions (a re-check), one listing each. */
export async function scanPartitions(s3, bucket, ids) {
  const rawById = new Map();
  await mapLimit(ids, SUMMARY_READS_IN_FLIGHT, async (id) => {
    const objects = await listRange(s3, bucket, { prefix: rawPrefix(id) });
    rawById.set(
      id,
      objects.filter((o) => partitionOfRawKey(o.key) === id),
    );
  });
  return withSummaries(s3, bucket, ids, rawById, () => true);
}
