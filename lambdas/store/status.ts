/**
 * The status view: every provider event of a tenant in a window of at most
 * `MAX_STATUS_WINDOW_DAYS`, newest first, in pages. One sharded read of the `status` index
 * (sharded-query.ts) per UTC day of the window, newest day first; the window is the key condition,
 * and the rest of what the view shows (a provider event of the tenant, not past its `ttl`, since
 * DynamoDB deletes lazily; the type, provider and tag filters) is one DynamoDB `FilterExpression`,
 * built by `statusFilter`. The counts of the view (status-counts.ts) send that same filter with
 * `Select: "COUNT"`, so a count and the pages of the list cannot disagree. Operators' actions are not
 * in the index. A module of its own, so the check function never loads it.
 */

import { QueryCommand, type QueryCommandInput, type QueryCommandOutput } from "@aws-sdk/lib-dynamodb";
import { InputError } from "../core/errors.js";
import { STATUS_WINDOW_MAX_DAYS } from "../core/limits.js";
import type { EventType } from "../core/taxonomy.js";
import type { EventSource } from "../providers/names.js";
import { type CallContext, nowSeconds } from "./context.js";
import { toStoreError } from "./errors.js";
import { STATUS_SHARDS, shardOf, statusPartition } from "./index-keys.js";
import type { EventItem } from "./ingest.js";
import { EVENT_SK_PREFIX, escapeKeyPart } from "./keys.js";
import { HISTORY_SORT_KEY, STATUS_INDEX, STATUS_PARTITION_KEY, TTL_ATTRIBUTE } from "./schema.js";
import {
  type QueryShard,
  readSharded,
  type ShardedIndex,
  type ShardGroup,
  type ShardQuery,
} from "./sharded-query.js";
import type { SuppressionStore } from "./store.js";

/** At most this many events per page. */
export const MAX_STATUS_PAGE = 100;
/** The longest window one query may span (core/limits.ts, the contract's too). */
export const MAX_STATUS_WINDOW_DAYS = STATUS_WINDOW_MAX_DAYS;
/** The read budget of one page: Query calls (eight rounds of every shard: eight empty days). */
export const STATUS_QUERY_BUDGET = 8 * STATUS_SHARDS;

const DAY_SECONDS = 86_400;

/** What the status view shows of a tenant: every filter given must hold. */
export type StatusFilterQuery = {
  readonly tenant: string;
  readonly type?: EventType;
  readonly provider?: EventSource;
  /** Only events whose `tags` hold this one. */
  readonly tag?: string;
};

/** Which events of a tenant to list. */
export type StatusQuery = StatusFilterQuery & {
  /** Epoch seconds, inclusive: the event occurred at or after. */
  readonly from: number;
  /** Epoch seconds, inclusive: the event occurred at or before. At most 30 days after `from`. */
  readonly to: number;
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

/** A DynamoDB `FilterExpression` with its names and values (`#f…`, `:f…`: no key condition's). */
export type StatusFilter = {
  readonly expression: string;
  readonly names: Readonly<Record<string, string>>;
  readonly values: Readonly<Record<string, unknown>>;
};

const HSK = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z#E#/;
/** The `sk` inside an `hsk` (`<ISO time>#<sk>`). */
const skOf = (hsk: string): string => hsk.slice(25);
const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

/**
 * Refuses a reversed window, or one longer than `MAX_STATUS_WINDOW_DAYS`.
 *
 * @throws InputError naming `from`
 * @example
 * assertStatusWindow(now - 86_400, now); // fine
 */
export function assertStatusWindow(from: number, to: number): void {
  if (from > to) {
    throw new InputError("`from` is after `to`.", [{ path: "from", message: `${iso(from)} > ${iso(to)}` }]);
  }
  if (to - from > MAX_STATUS_WINDOW_DAYS * DAY_SECONDS) {
    throw new InputError(`The window is longer than ${MAX_STATUS_WINDOW_DAYS} days.`, [
      {
        path: "from",
        message: `${iso(from)} is more than ${MAX_STATUS_WINDOW_DAYS} days before ${iso(to)}`,
      },
    ]);
  }
}

/**
 * The UTC days of the window (`YYYY-MM-DD`), newest first: one partition group each.
 *
 * @example statusDays(Date.parse("2026-11-20T10:00:00Z") / 1000, Date.parse("2026-11-21T01:00:00Z") / 1000);
 * // ["2026-11-21", "2026-11-20"]
 */
export function statusDays(from: number, to: number): string[] {
  const days: string[] = [];
  const first = Math.floor(from / DAY_SECONDS);
  for (let day = Math.floor(to / DAY_SECONDS); day >= first; day--)
    days.push(iso(day * DAY_SECONDS).slice(0, 10));
  return days;
}

/**
 * The sort key bounds of the window, inclusive: the ISO time of `to + 1 s` sorts after every key of
 * the second `to` names (an `hsk` goes on after its time with `#…`).
 *
 * @example statusKeyRange(from, to); // { low: "2026-11-20T10:00:00.000Z", high: "2026-11-21T01:00:01.000Z" }
 */
export function statusKeyRange(from: number, to: number): { readonly low: string; readonly high: string } {
  return { low: iso(from), high: iso(to + 1) };
}

/**
 * The filter of everything the status view shows of `query`'s tenant at `now`: provider event items
 * of the tenant, not past their `ttl`, of the type, provider and tag asked for. The one definition
 * the list (`readStatus`) and the counts (status-counts.ts) send to DynamoDB.
 *
 * @example
 * statusFilter({ tenant: "default", type: "invalid", tag: "newsletter" }, now).expression;
 * // "#fkind = :fkind AND #ftenant = :ftenant AND (… OR #fttl > :fnow) AND #fevent.#ftype = :ftype AND contains(…)"
 */
export function statusFilter(query: StatusFilterQuery, now: number): StatusFilter {
  const parts = [
    "#fkind = :fkind",
    "#ftenant = :ftenant",
    // DynamoDB deletes expired items lazily: an item past its `ttl` is no longer there.
    "(attribute_not_exists(#fttl) OR #fttl > :fnow)",
  ];
  const names: Record<string, string> = { "#fkind": "kind", "#ftenant": "tenant", "#fttl": TTL_ATTRIBUTE };
  const values: Record<string, unknown> = { ":fkind": "event", ":ftenant": query.tenant, ":fnow": now };
  const onEvent = (field: string) => {
    names["#fevent"] = "event";
    names[`#f${field}`] = field;
    return `#fevent.#f${field}`;
  };
  if (query.type !== undefined) {
    parts.push(`${onEvent("type")} = :ftype`);
    values[":ftype"] = query.type;
  }
  if (query.provider !== undefined) {
    parts.push(`${onEvent("provider")} = :fprovider`);
    values[":fprovider"] = query.provider;
  }
  if (query.tag !== undefined) {
    // `tags` is a list: `contains` matches an element equal to the tag, never a part of one.
    parts.push(`contains(${onEvent("tags")}, :ftag)`);
    values[":ftag"] = query.tag;
  }
  return { expression: parts.join(" AND "), names, values };
}

/**
 * The Query of one shard partition of the `status` index between `low` and `high` (inclusive),
 * under `filter`: what the list and the counts both send, each adding its own `Limit`, order or
 * `Select`.
 *
 * @example
 * statusQueryInput("suppressions", { partition, low, high }, statusFilter({ tenant }, now));
 */
export function statusQueryInput(
  tableName: string,
  range: { readonly partition: string; readonly low?: string; readonly high: string },
  filter: StatusFilter | null,
): QueryCommandInput {
  return {
    TableName: tableName,
    IndexName: STATUS_INDEX,
    KeyConditionExpression:
      range.low === undefined ? "#p = :p AND #s <= :high" : "#p = :p AND #s BETWEEN :low AND :high",
    ExpressionAttributeNames: {
      "#p": STATUS_PARTITION_KEY,
      "#s": HISTORY_SORT_KEY,
      ...(filter === null ? {} : filter.names),
    },
    ExpressionAttributeValues: {
      ":p": range.partition,
      ":high": range.high,
      ...(range.low === undefined ? {} : { ":low": range.low }),
      ...(filter === null ? {} : filter.values),
    },
    ...(filter === null ? {} : { FilterExpression: filter.expression }),
  };
}

/**
 * The shard Query of the list on DynamoDB, newest first, under `filter`, the call's budget and signal.
 *
 * @example
 * const query = statusQueryShard(ctx, statusFilter({ tenant: "default" }, now));
 */
export function statusQueryShard(ctx: CallContext, filter: StatusFilter): QueryShard {
  return async (q: ShardQuery) => {
    let out: QueryCommandOutput;
    try {
      out = await ctx.doc.send(
        new QueryCommand({
          ...statusQueryInput(ctx.tableName, q, filter),
          ScanIndexForward: false,
          Limit: q.limit,
          ...(q.startKey === undefined ? {} : { ExclusiveStartKey: { ...q.startKey } }),
        }),
        { abortSignal: ctx.signal },
      );
    } catch (err) {
      throw toStoreError(err, "Query (status)");
    }
    return {
      items: (out.Items ?? []) as Record<string, unknown>[],
      ...(out.LastEvaluatedKey === undefined ? {} : { lastKey: out.LastEvaluatedKey }),
    };
  };
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

/** The shard partitions of one day of a tenant's events. */
export const statusPartitions = (tenant: string, day: string): string[] =>
  Array.from({ length: STATUS_SHARDS }, (_, s) => statusPartition(tenant, day, s));

/**
 * A page of a tenant's provider events that occurred between `from` and `to`, newest first.
 * Pages neither repeat nor skip an event that exists throughout the paging; one written meanwhile
 * may or may not appear.
 *
 * @param shardQuery the Query of one shard, which must apply the status filter (tests pass an
 *   in-memory one); DynamoDB with `statusFilter(query, now)` by default
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
  shardQuery: QueryShard = statusQueryShard(ctx, statusFilter(query, now)),
): Promise<StatusPage> {
  assertStatusWindow(query.from, query.to);
  const groups: ShardGroup[] = statusDays(query.from, query.to).map((day) => ({
    id: day,
    partitions: statusPartitions(query.tenant, day),
  }));
  const page = await readSharded(shardQuery, indexOf(query.tenant), {
    groups,
    ...statusKeyRange(query.from, query.to),
    limit: query.limit,
    // DynamoDB applied the whole filter: every item answered is one of the view's.
    pick: (raw) => raw as unknown as EventItem,
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
