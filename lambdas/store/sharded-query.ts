/**
 * One reader for the write-sharded indexes (`lists`, `status`: schema.ts, index-keys.ts): a page
 * of items newest first across every shard partition of a group, then of the next group (the
 * status view's days, newest first).
 *
 * Each shard is a Query (newest first) into a buffer; the pages are merged exactly, a k-way merge
 * by sort key: no item is taken while a shard that is not exhausted has an empty buffer (it might
 * hold a newer one), so refills happen in rounds, all the shards that need one at once. `pick`
 * filters in memory (filters, expiry) and maps what it keeps. A page ends when it is full (and one
 * more kept item shows there is a next), when everything is read, or when the read budget
 * (`maxQueries` Query calls) is spent: a page may then be short, or empty, and still carry a cursor.
 *
 * The cursor is the position of the last item the page consumed (kept or filtered out), and which
 * shards of its group are done. That is every shard's position at once: the index keys guarantee
 * that two items with the same sort key sit in the same shard, so every item of another shard that
 * sorts after the position was consumed, and none before it. Each shard resumes at the position's
 * sort key (inclusive, the position itself dropped); where sort keys may repeat (the `status`
 * index's `hsk`), the position's own shard resumes from its exact key (`ExclusiveStartKey`), so
 * items with the same sort key are neither repeated nor skipped. A cursor is checked (zod, then
 * against the query) before anything is read: a forged one is an `InputError`, never a bad Query.
 */
import { QueryCommand, type QueryCommandOutput } from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { InputError } from "../core/errors.js";
import type { CallContext } from "./context.js";
import { openCursor, sealCursor } from "./cursor-seal.js";
import { toStoreError } from "./errors.js";

/** One Query of one shard partition, newest first: sort keys from `high` down to `low`, inclusive. */
export type ShardQuery = {
  readonly partition: string;
  readonly low?: string;
  readonly high: string;
  readonly limit: number;
  /** DynamoDB's `ExclusiveStartKey`: the key of the item to continue after. */
  readonly startKey?: Readonly<Record<string, unknown>>;
};

/** What one Query answered: the items in index order, and `lastKey` when it stopped at its limit. */
export type ShardAnswer = {
  readonly items: readonly Record<string, unknown>[];
  readonly lastKey?: Readonly<Record<string, unknown>>;
};

/** Sends one shard Query (DynamoDB, or an in-memory fake in tests). */
export type QueryShard = (query: ShardQuery) => Promise<ShardAnswer>;

/** The partitions read together (`shards` of them), and the group's name in cursors. */
export type ShardGroup = { readonly id: string; readonly partitions: readonly string[] };

/** Where a page stopped: the last consumed item's shard and sort key (and `pk` where keys repeat). */
export type Position = { readonly s: number; readonly k: string; readonly pk?: string };

/** What the reader knows of an index. */
export type ShardedIndex = {
  /** The attribute of the index sort key. */
  readonly sortKey: string;
  /**
   * For an index whose sort keys may repeat (within one shard): how to resume the position's own
   * shard exactly, from the item's key.
   */
  readonly resume?: {
    readonly pkOf: (item: Readonly<Record<string, unknown>>) => string;
    readonly startKey: (position: Required<Position>, partition: string) => Record<string, string>;
  };
  /** Whether a decoded position can be one of this query's items in `group` (the cursor check). */
  readonly validPosition?: (position: Position, group: ShardGroup) => boolean;
};

/** One page request. */
export type ShardedPageRequest<R> = {
  /** Newest first; every group has the same number of partitions (shards). */
  readonly groups: readonly ShardGroup[];
  /** Inclusive bounds of the sort key (`high` is required: use `"~"` for no bound). */
  readonly low?: string;
  readonly high: string;
  readonly limit: number;
  /** Keeps an item (mapped) or filters it out (`undefined`). */
  readonly pick: (item: Readonly<Record<string, unknown>>) => R | undefined;
  /** The read budget: at most this many Query calls for the page (at least one round: the shards). */
  readonly maxQueries: number;
  /** Items asked of each shard by its first Query in a page (later ones ask for more). */
  readonly firstLimit?: number;
  /** The `cursor` of the previous page. */
  readonly cursor?: string;
  /** Words for the refusal of a bad cursor: "this list". */
  readonly what: string;
  /**
   * What the cursor is sealed for (cursor-seal.ts): the index and the tenant, so a cursor opens
   * only for the query family and tenant that made it.
   */
  readonly sealedFor: string;
};

export type ShardedPage<R> = {
  readonly items: readonly R[];
  /** `null` when everything was read; otherwise pass it back, even after a short or empty page. */
  readonly cursor: string | null;
  /** Query calls the page made. */
  readonly queries: number;
};

/** The most items one Query is asked for (DynamoDB also stops at 1 MB). */
const MAX_QUERY_LIMIT = 1_000;

/**
 * DynamoDB orders strings by their UTF-8 bytes, that is by code point; JavaScript's `<` compares
 * UTF-16 code units, which differs only between a surrogate and a unit at or above U+E000.
 *
 * @example compareKeys("a", "b"); // negative
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

const CursorSchema = z.strictObject({
  v: z.literal(1),
  g: z.string().min(1).max(128),
  d: z.int().min(0),
  p: z
    .strictObject({
      s: z.int().min(0),
      k: z.string().min(1).max(2_048),
      pk: z.string().min(1).max(2_048).optional(),
    })
    .optional(),
});
type Cursor = z.output<typeof CursorSchema>;

const encodeCursor = (cursor: Cursor, sealedFor: string): string =>
  sealCursor(JSON.stringify(cursor), sealedFor);

function decodeCursor<R>(raw: string, index: ShardedIndex, request: ShardedPageRequest<R>): Cursor {
  const refuse = (message: string): never => {
    throw new InputError(`The cursor is not one ${request.what} returned.`, [{ path: "cursor", message }]);
  };
  const opened = openCursor(raw, request.sealedFor);
  if (opened === undefined) return refuse("not a cursor of this query (altered, or another tenant's)");
  let json: unknown;
  try {
    json = JSON.parse(opened);
  } catch {
    return refuse("not a cursor");
  }
  const parsed = CursorSchema.safeParse(json);
  if (!parsed.success) return refuse("not a cursor");
  const cursor = parsed.data;
  const group = request.groups.find((g) => g.id === cursor.g);
  if (group === undefined) return refuse("not a cursor of this query (another window?)");
  const shards = group.partitions.length;
  if (cursor.d >= 2 ** shards) return refuse("not a cursor");
  const p = cursor.p;
  if (p !== undefined) {
    const inRange =
      p.s < shards &&
      compareKeys(p.k, request.high) <= 0 &&
      (request.low === undefined || compareKeys(p.k, request.low) >= 0);
    const complete = index.resume === undefined ? p.pk === undefined : p.pk !== undefined;
    if (!inRange || !complete || (index.validPosition && !index.validPosition(p, group))) {
      return refuse("not a cursor of this query");
    }
  }
  return cursor;
}

type ShardState = {
  readonly index: number;
  readonly partition: string;
  readonly high: string;
  /** Only items past this position are new (the position itself, and its repeats elsewhere, are not). */
  readonly after: Position | undefined;
  buffer: Readonly<Record<string, unknown>>[];
  head: number;
  startKey: Readonly<Record<string, unknown>> | undefined;
  exhausted: boolean;
  nextLimit: number;
};

const drained = (s: ShardState): boolean => s.head >= s.buffer.length;
const headOf = (s: ShardState): Readonly<Record<string, unknown>> =>
  s.buffer[s.head] as Readonly<Record<string, unknown>>;

/**
 * A page of an index read across the shards of its groups, newest first (see the module notes).
 *
 * @throws InputError when `cursor` is not one this query returned
 * @throws StoreUnavailableError when DynamoDB fails (from `query`)
 * @example
 * const page = await readSharded(dynamoQueryShard(ctx, LISTS, "Query (lists)"), index, {
 *   groups: [{ id: "all", partitions }], high: "~", limit: 50, pick, maxQueries: 64, what: "this list",
 * });
 */
export async function readSharded<R>(
  query: QueryShard,
  index: ShardedIndex,
  request: ShardedPageRequest<R>,
): Promise<ShardedPage<R>> {
  const cursor = request.cursor === undefined ? undefined : decodeCursor(request.cursor, index, request);
  const items: R[] = [];
  let queries = 0;
  const start = cursor === undefined ? 0 : request.groups.findIndex((g) => g.id === cursor.g);
  const sortKeyOf = (item: Readonly<Record<string, unknown>>): string => String(item[index.sortKey]);
  /** The position of a consumed item of shard `s`. */
  const positionOf = (item: Readonly<Record<string, unknown>>, s: number): Position =>
    index.resume === undefined
      ? { s, k: sortKeyOf(item) }
      : { s, k: sortKeyOf(item), pk: index.resume.pkOf(item) };
  const isPosition = (item: Readonly<Record<string, unknown>>, p: Position): boolean =>
    sortKeyOf(item) === p.k && (index.resume === undefined || index.resume.pkOf(item) === p.pk);
  const headKey = (s: ShardState): string => sortKeyOf(headOf(s));

  for (let g = start; g < request.groups.length; g++) {
    const group = request.groups[g] as ShardGroup;
    const resumed = cursor !== undefined && g === start;
    let position: Position | undefined = resumed ? cursor.p : undefined;
    const doneMask = resumed ? cursor.d : 0;
    const firstLimit = Math.min(
      MAX_QUERY_LIMIT,
      request.firstLimit ?? Math.ceil((2 * (request.limit + 1)) / group.partitions.length) + 2,
    );
    const shards: ShardState[] = group.partitions.map((partition, s) => {
      const done = (doneMask & (2 ** s)) !== 0;
      const at = position;
      const exact = at !== undefined && index.resume !== undefined && at.s === s;
      const high = at === undefined ? request.high : at.k;
      return {
        index: s,
        partition,
        high,
        after: at,
        buffer: [],
        head: 0,
        startKey: exact ? index.resume?.startKey(at as Required<Position>, partition) : undefined,
        // An empty range (`since` after `until`) is read without asking: DynamoDB refuses it.
        exhausted: done || (request.low !== undefined && compareKeys(request.low, high) > 0),
        nextLimit: firstLimit,
      };
    });
    const stop = (): ShardedPage<R> => {
      let d = 0;
      for (const s of shards) if (s.exhausted && drained(s)) d |= 2 ** s.index;
      const next: Cursor = { v: 1, g: group.id, d, ...(position === undefined ? {} : { p: position }) };
      return { items, cursor: encodeCursor(next, request.sealedFor), queries };
    };
    const refill = async (s: ShardState): Promise<void> => {
      // A shard resumed at the position's sort key (not after its exact key) may answer the
      // position itself first: one more, so that every page moves on.
      const again = s.after !== undefined && s.startKey === undefined && s.buffer.length === 0 ? 1 : 0;
      const answer = await query({
        partition: s.partition,
        ...(request.low === undefined ? {} : { low: request.low }),
        high: s.high,
        limit: s.nextLimit + again,
        ...(s.startKey === undefined ? {} : { startKey: s.startKey }),
      });
      const after = s.after;
      s.buffer = after === undefined ? [...answer.items] : answer.items.filter((i) => !isPosition(i, after));
      s.head = 0;
      s.startKey = answer.lastKey;
      s.exhausted = answer.lastKey === undefined;
      s.nextLimit = Math.min(MAX_QUERY_LIMIT, s.nextLimit * 4);
    };
    for (;;) {
      const empty = shards.filter((s) => !s.exhausted && drained(s));
      if (empty.length > 0) {
        if (queries + empty.length > request.maxQueries) return stop();
        queries += empty.length;
        await Promise.all(empty.map(refill));
        continue;
      }
      let best: ShardState | undefined;
      for (const s of shards) {
        if (!drained(s) && (best === undefined || compareKeys(headKey(s), headKey(best)) > 0)) best = s;
      }
      if (best === undefined) break; // the group is read
      const item = headOf(best);
      const kept = request.pick(item);
      if (kept !== undefined && items.length === request.limit) return stop(); // one more exists
      best.head++;
      position = positionOf(item, best.index);
      if (kept !== undefined) items.push(kept);
    }
  }
  return { items, cursor: null, queries };
}

/** What the DynamoDB Query of a shard names. */
export type IndexNames = {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
};

/**
 * The shard Query on DynamoDB, under the call's budget and signal.
 *
 * @example
 * const query = dynamoQueryShard(ctx, { name: "lists", partitionKey: "lpk", sortKey: "lsk" }, "Query (lists)");
 */
export function dynamoQueryShard(ctx: CallContext, index: IndexNames, operation: string): QueryShard {
  return async (q) => {
    let out: QueryCommandOutput;
    try {
      out = await ctx.doc.send(
        new QueryCommand({
          TableName: ctx.tableName,
          IndexName: index.name,
          KeyConditionExpression:
            q.low === undefined ? "#p = :p AND #s <= :high" : "#p = :p AND #s BETWEEN :low AND :high",
          ExpressionAttributeNames: { "#p": index.partitionKey, "#s": index.sortKey },
          ExpressionAttributeValues: {
            ":p": q.partition,
            ":high": q.high,
            ...(q.low === undefined ? {} : { ":low": q.low }),
          },
          ScanIndexForward: false,
          Limit: q.limit,
          ...(q.startKey === undefined ? {} : { ExclusiveStartKey: { ...q.startKey } }),
        }),
        { abortSignal: ctx.signal },
      );
    } catch (err) {
      throw toStoreError(err, operation);
    }
    return {
      items: (out.Items ?? []) as Record<string, unknown>[],
      ...(out.LastEvaluatedKey === undefined ? {} : { lastKey: out.LastEvaluatedKey }),
    };
  };
}
