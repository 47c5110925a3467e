/**
 * A tenant's live entries, newest first, in pages: the suppression lists (bounces, complaints,
 * unsubscribes, manual entries) are this read with a filter. One sharded read of the `lists` index
 * (sharded-query.ts); the `since` / `until` window is its key condition, every other filter (cause,
 * reason, source, scope, an address prefix or a domain) is applied in memory, and every cause is
 * read as the check reads it: expired causes are ignored (DynamoDB deletes lazily). A module of its
 * own, so the check function never loads it.
 */
import { domainOf } from "../core/address.js";
import { type LiveCause, liveCauses } from "../core/ledger/index.js";
import type { Cause } from "../core/ledger/types.js";
import type { Reason } from "../core/taxonomy.js";
import type { EventSource } from "../providers/names.js";
import { type CallContext, nowSeconds } from "./context.js";
import type { EntryItem } from "./entries.js";
import { LIST_SHARDS, listPartition } from "./index-keys.js";
import { escapeKeyPart, type SubjectKind } from "./keys.js";
import { LISTS_INDEX, LISTS_PARTITION_KEY, LISTS_SORT_KEY } from "./schema.js";
import { dynamoQueryShard, type QueryShard, readSharded, type ShardedIndex } from "./sharded-query.js";
import type { SuppressionStore } from "./store.js";

/** At most this many entries per page. */
export const MAX_LIST_PAGE = 100;
/** The read budget of one page: Query calls (four rounds of every shard). */
export const LIST_QUERY_BUDGET = 4 * LIST_SHARDS;

/** Which subjects: addresses starting with `value`, or every entry of one domain (and the domain's own). */
export type SubjectFilter =
  | { readonly kind: "prefix"; readonly value: string }
  | { readonly kind: "domain"; readonly value: string };

/** Which live entries of a tenant to list. Every filter given must hold. */
export type ListQuery = {
  readonly tenant: string;
  /** Only entries with a live cause of this kind. */
  readonly cause?: Cause;
  /** Only entries with a live cause of this fine reason. */
  readonly reason?: Reason;
  /** Only entries with a live cause reported by this provider (or made by an operator: `admin`). */
  readonly source?: EventSource | "admin";
  /** Only entries at exactly this scope. */
  readonly scope?: string;
  /** Epoch seconds, inclusive: the entry's time (its newest live cause's `since`) is at or after. */
  readonly since?: number;
  /** Epoch seconds, inclusive: the entry's time is at or before. */
  readonly until?: number;
  /** Canonical prefix of an address (lower case), or a canonical domain. */
  readonly subject?: SubjectFilter;
  /** 1..`MAX_LIST_PAGE`. */
  readonly limit: number;
  /** The `cursor` of the previous page. */
  readonly cursor?: string;
};

/** One live entry as listed. */
export type ListedEntry = {
  readonly subjectKind: SubjectKind;
  readonly subject: string;
  readonly scope: string;
  /** Every live cause of the entry, strongest first. */
  readonly causes: readonly LiveCause[];
  /** The strongest live cause that matches the query's cause filters. */
  readonly top: LiveCause;
};

/** One page, newest first. */
export type ListPage = {
  readonly entries: readonly ListedEntry[];
  /**
   * `null` once everything was read. Otherwise pass it back, also after a short or empty page: a
   * page ends when its read budget is spent, which a selective filter may reach first.
   */
  readonly cursor: string | null;
};

const ISO_PREFIX = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z#/;
/** Sorts after every `lsk`: an ISO time starts with a digit. */
const OPEN_HIGH = "~";

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

function indexOf(tenant: string): ShardedIndex {
  const readable = `T#${escapeKeyPart(tenant)}#`;
  return {
    sortKey: LISTS_SORT_KEY,
    // `<time>#<pk>#<sk>` of this tenant, or `<time>#H#<hash>` (index-keys.ts).
    validPosition: (p) => {
      if (!ISO_PREFIX.test(p.k)) return false;
      const rest = p.k.slice(25);
      return rest.startsWith(readable) || /^H#[A-Za-z0-9_-]{43}$/.test(rest);
    },
  };
}

function subjectMatches(item: EntryItem, filter: SubjectFilter): boolean {
  if (filter.kind === "prefix")
    return item.subjectKind === "address" && item.subject.startsWith(filter.value);
  return item.subjectKind === "domain"
    ? item.subject === filter.value
    : domainOf(item.subject) === filter.value;
}

const causeMatches = (c: LiveCause, query: ListQuery): boolean =>
  (query.cause === undefined || c.cause === query.cause) &&
  (query.reason === undefined || c.state.verdict.reason === query.reason) &&
  (query.source === undefined || c.state.source === query.source);

/** Keeps a live entry of the query (the mapped view), or filters it out. */
function picker(query: ListQuery, now: number) {
  return (raw: Readonly<Record<string, unknown>>): ListedEntry | undefined => {
    const item = raw as unknown as EntryItem;
    if (item.kind !== "entry" || item.tenant !== query.tenant) return undefined;
    if (query.scope !== undefined && item.scope !== query.scope) return undefined;
    if (query.subject !== undefined && !subjectMatches(item, query.subject)) return undefined;
    const causes = liveCauses(item.state, now);
    const top = causes.find((c) => causeMatches(c, query));
    if (top === undefined) return undefined;
    return { subjectKind: item.subjectKind, subject: item.subject, scope: item.scope, causes, top };
  };
}

/**
 * A page of a tenant's live entries, newest first (by the `since` of each entry's newest live
 * cause, as of its last write), filtered as `query` says. Pages neither repeat nor skip an entry
 * that exists throughout the paging; one written meanwhile may or may not appear.
 *
 * @param shardQuery the Query of one shard (tests pass an in-memory one); DynamoDB by default
 * @throws InputError when the cursor is not one this list returned
 * @throws StoreUnavailableError when DynamoDB fails
 * @example
 * const page = await readList(ctx, { tenant: "default", cause: "complaint", limit: 50 }, now);
 */
export async function readList(
  ctx: CallContext,
  query: ListQuery,
  now: number,
  shardQuery: QueryShard = dynamoQueryShard(
    ctx,
    { name: LISTS_INDEX, partitionKey: LISTS_PARTITION_KEY, sortKey: LISTS_SORT_KEY },
    "Query (lists)",
  ),
): Promise<ListPage> {
  const partitions = Array.from({ length: LIST_SHARDS }, (_, s) => listPartition(query.tenant, s));
  const page = await readSharded(shardQuery, indexOf(query.tenant), {
    groups: [{ id: "all", partitions }],
    ...(query.since === undefined ? {} : { low: iso(query.since) }),
    // The ISO time of `until + 1 s` sorts after every key of the second `until` names.
    high: query.until === undefined ? OPEN_HIGH : iso(query.until + 1),
    limit: query.limit,
    pick: picker(query, now),
    maxQueries: LIST_QUERY_BUDGET,
    ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    what: "this list",
    sealedFor: `lists|${query.tenant}`,
  });
  return { entries: page.items, cursor: page.cursor };
}

/**
 * The list reads of `store`, each one store call under the store's budget.
 *
 * @example
 * const page = await listsStore(deps.store()).entries({ tenant: "default", cause: "bounce", limit: 50 });
 */
export function listsStore(store: SuppressionStore) {
  return {
    entries: (query: ListQuery, now: number = nowSeconds()): Promise<ListPage> =>
      store.within("listEntries", (call) => readList(call, query, now)),
  };
}
