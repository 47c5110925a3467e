/**
 * The status view: every provider event of a tenant in a window of at most
 * `MAX_STATUS_WINDOW_DAYS`, newest first, in pages. One sharded read of the `status` index
 * (sharded-query.ts) per UTC day of the window, newest day first; the window is the key condition,
 * the type, provider and tag filters are applied in memory, and items past their `ttl` are left out
 * (DynamoDB deletes lazily). Operators' actions are not in the index. A module of its own, so the
 * check function never loads it.
 */
import { InputError } from "../core/errors.js";
import type { EventType } from "../core/taxonomy.js";
import type { Provider } from "../providers/registry.js";
import { type CallContext, nowSeconds } from "./context.js";
import { STATUS_SHARDS, shardOf, statusPartition } from "./index-keys.js";
import type { EventItem } from "./ingest.js";
import { EVENT_SK_PREFIX, escapeKeyPart } from "./keys.js";
import { HISTORY_SORT_KEY, STATUS_INDEX, STATUS_PARTITION_KEY } from "./schema.js";
import {
  dynamoQueryShard,
  type QueryShard,
  readSharded,
  type ShardedIndex,
  type ShardGroup,
} from "./sharded-query.js";
import type { SuppressionStore } from "./store.js";

/** At most this many events per page. */
export const MAX_STATUS_PAGE = 100;
/** The longest window one query may span. */
export const MAX_STATUS_WINDOW_DAYS = 30;
/** The read budget of one page: Query calls (eight rounds of every shard: eight empty days). */
export const STATUS_QUERY_BUDGET = 8 * STATUS_SHARDS;

const DAY_SECONDS = 86_400;

/** Which events of a tenant to list. */
export type StatusQuery = {
  readonly tenant: string;
  /** Epoch seconds, inclusive: the event occurred at or after. */
  readonly from: number;
  /** Epoch seconds, inclusive: the event occurred at or before. At most 30 days after `from`. */
  readonly to: number;
  readonly type?: EventType;
  readonly provider?: Provider;
  /** Only events whose `tags` hold this one. */
  readonly tag?: string;
  /** 1..`MAX_STATUS_PAGE`. */
  readonly limit: number;
  /** The `cursor` of the previous page. */
  readonly cursor?: string;
};

/** One page, newest first: the provider event items as stored. */
export type StatusPage = {
  readonly items: readonly EventItem[];
  /** `null` once everything was read; otherwise pass it back, also after a short or empty page. */
  readonly cursor: string | null;
};

const HSK = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z#E#/;
/** The `sk` inside an `hsk` (`<ISO time>#<sk>`). */
const skOf = (hsk: string): string => hsk.slice(25);
const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

/** The UTC days of the window, newest first. */
function daysOf(from: number, to: number): string[] {
  const days: string[] = [];
  const first = Math.floor(from / DAY_SECONDS);
  for (let day = Math.floor(to / DAY_SECONDS); day >= first; day--)
    days.push(iso(day * DAY_SECONDS).slice(0, 10));
  return days;
}

function indexOf(tenant: string): ShardedIndex {
  const pkPrefix = `T#${escapeKeyPart(tenant)}#A#`;
  return {
    sortKey: HISTORY_SORT_KEY,
    // One event id may come for several recipients at the same time: equal `hsk`s, one shard.
    resume: {
      pkOf: (item) => String(item.pk),
      startKey: (p, partition) => ({
        pk: p.pk,
        sk: skOf(p.k),
        [STATUS_PARTITION_KEY]: partition,
        [HISTORY_SORT_KEY]: p.k,
      }),
    },
    validPosition: (p, group) =>
      HSK.test(p.k) &&
      skOf(p.k).length > EVENT_SK_PREFIX.length &&
      p.k.slice(0, 10) === group.id &&
      (p.pk?.startsWith(pkPrefix) ?? false) &&
      (p.pk?.length ?? 0) > pkPrefix.length &&
      shardOf(skOf(p.k), STATUS_SHARDS) === p.s,
  };
}

/** Keeps a live provider event of the query, or filters it out. */
function picker(query: StatusQuery, now: number) {
  return (raw: Readonly<Record<string, unknown>>): EventItem | undefined => {
    const item = raw as unknown as EventItem;
    if (item.kind !== "event" || item.tenant !== query.tenant) return undefined;
    if (typeof item.ttl === "number" && item.ttl <= now) return undefined;
    const event = item.event;
    if (query.type !== undefined && event.type !== query.type) return undefined;
    if (query.provider !== undefined && event.provider !== query.provider) return undefined;
    if (query.tag !== undefined && !(event.tags ?? []).includes(query.tag)) return undefined;
    return item;
  };
}

/**
 * A page of a tenant's provider events that occurred between `from` and `to`, newest first.
 * Pages neither repeat nor skip an event that exists throughout the paging; one written meanwhile
 * may or may not appear.
 *
 * @param shardQuery the Query of one shard (tests pass an in-memory one); DynamoDB by default
 * @throws InputError when the window is reversed or longer than 30 days, or the cursor is not one
 *   this view returned
 * @throws StoreUnavailableError when DynamoDB fails
 * @example
 * const page = await readStatus(ctx, { tenant: "default", from: now - 86_400, to: now, limit: 50 }, now);
 */
export async function readStatus(
  ctx: CallContext,
  query: StatusQuery,
  now: number,
  shardQuery: QueryShard = dynamoQueryShard(
    ctx,
    { name: STATUS_INDEX, partitionKey: STATUS_PARTITION_KEY, sortKey: HISTORY_SORT_KEY },
    "Query (status)",
  ),
): Promise<StatusPage> {
  if (query.from > query.to) {
    throw new InputError("`from` is after `to`.", [
      { path: "from", message: `${iso(query.from)} > ${iso(query.to)}` },
    ]);
  }
  if (query.to - query.from > MAX_STATUS_WINDOW_DAYS * DAY_SECONDS) {
    throw new InputError(`The window is longer than ${MAX_STATUS_WINDOW_DAYS} days.`, [
      {
        path: "from",
        message: `${iso(query.from)} is more than ${MAX_STATUS_WINDOW_DAYS} days before ${iso(query.to)}`,
      },
    ]);
  }
  const groups: ShardGroup[] = daysOf(query.from, query.to).map((day) => ({
    id: day,
    partitions: Array.from({ length: STATUS_SHARDS }, (_, s) => statusPartition(query.tenant, day, s)),
  }));
  const page = await readSharded(shardQuery, indexOf(query.tenant), {
    groups,
    low: iso(query.from),
    // The ISO time of `to + 1 s` sorts after every key of the second `to` names.
    high: iso(query.to + 1),
    limit: query.limit,
    pick: picker(query, now),
    maxQueries: STATUS_QUERY_BUDGET,
    ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    what: "this status view",
    sealedFor: `status|${query.tenant}`,
  });
  return { items: page.items, cursor: page.cursor };
}

/**
 * The status-view reads of `store`, each one store call under the store's budget.
 *
 * @example
 * const page = await statusStore(deps.store()).events({ tenant: "default", from, to, limit: 50 });
 */
export function statusStore(store: SuppressionStore) {
  return {
    events: (query: StatusQuery, now: number = nowSeconds()): Promise<StatusPage> =>
      store.within("statusEvents", (call) => readStatus(call, query, now)),
  };
}
