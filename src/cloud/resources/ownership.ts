/**
 * The two teardown rules every kind follows: delete only what our tags prove ours (a resource that
 * vanished meanwhile is simply gone), and sweep by listing names with this run's prefix, then
 * confirming each by its tags. Each kind supplies its own calls; the rules live here once. Both
 * start from lookups where "not found" is an answer, not an error (`unlessNotFound`).
 */
import { isNotFound } from '../awsErrors.js';
import { describeTagMismatch, runPrefix, tagsMatch } from '../naming.js';
import type { DeleteOutcome, ResourceContext } from './context.js';

type Tags = Record<string, string>;

/** The lookup's answer, or undefined when AWS says the resource does not exist. */
export async function unlessNotFound<T>(lookup: () => Promise<T>): Promise<T | undefined> {
  try {
    return await lookup();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export interface OwnedRemoval {
  /** The resource's tags; undefined when it does not exist. */
  tags: Tags | undefined;
  /** Delete it (and what it holds); a NotFound on the way means someone else got there first. */
  remove: () => Promise<void>;
  /** An untagged resource is ours too (the ledger named it: an earlier attempt died before tagging). */
  untaggedIsOurs?: boolean;
  /** Rewords the tag mismatch, when the tags checked belong to another resource (a parent). */
  refusal?: (mismatch: string) => string;
}

/** Delete a resource if its tags are ours; refuse (with the reason) if not. */
export async function removeIfOurs(ctx: ResourceContext, removal: OwnedRemoval): Promise<DeleteOutcome> {
  const { tags } = removal;
  if (tags === undefined) return 'gone';
  const untaggedButOurs = !!removal.untaggedIsOurs && Object.keys(tags).length === 0;
  if (!tagsMatch(tags, ctx.demo, ctx.runId) && !untaggedButOurs) {
    const mismatch = describeTagMismatch(tags, ctx.runId);
    return { refused: removal.refusal ? removal.refusal(mismatch) : mismatch };
  }
  try {
    await removal.remove();
  } catch (err) {
    if (isNotFound(err)) return 'gone';
    throw err;
  }
  return 'deleted';
}

export interface ListedPage<Item> {
  items: readonly Item[];
  /** The token for the next page; undefined on the last. */
  next?: string;
}

export interface SweepSource<Item> {
  /** One page of the kind's List call, starting at `token`. */
  page: (token: string | undefined) => Promise<ListedPage<Item>>;
  name: (item: Item) => string | undefined;
  /** The item's ARN; undefined passes the item over. */
  arn: (item: Item, name: string) => string | undefined;
  tags: (name: string, arn: string) => Promise<Tags | undefined>;
  /** Whether a listed name belongs to this run; by default it starts with the run prefix. */
  matches?: (name: string, prefix: string) => boolean;
  /** Listed but already on its way out: not a leftover (asked before the tags). */
  leaving?: (arn: string) => Promise<boolean>;
}

/** Resources of this run still present: listed names that match the run prefix, confirmed by tags. */
export async function sweepByPrefix<Item>(
  ctx: ResourceContext,
  source: SweepSource<Item>,
): Promise<Array<{ name: string; arn: string }>> {
  const prefix = runPrefix(ctx.demo, ctx.runId);
  const matches = source.matches ?? ((name: string) => name.startsWith(prefix));
  const found: Array<{ name: string; arn: string }> = [];
  let token: string | undefined;
  do {
    const page = await source.page(token);
    for (const item of page.items) {
      const name = source.name(item);
      if (!name || !matches(name, prefix)) continue;
      const arn = source.arn(item, name);
      if (arn === undefined) continue;
      if (source.leaving && (await source.leaving(arn))) continue;
      const tags = await source.tags(name, arn);
      if (tags && tagsMatch(tags, ctx.demo, ctx.runId)) found.push({ name, arn });
    }
    token = page.next;
  } while (token);
  return found;
}
