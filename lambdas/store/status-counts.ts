/**
 * The counts on top of the status view: how many of a tenant's provider events of each type the
 * window holds, under the list's provider and tag filters. Exact, and counted by DynamoDB: `Select:
 * "COUNT"` Queries of the `status` index with the list's own filter (`statusFilter`, status.ts), so
 * no item is ever loaded and a count cannot disagree with paging the list to its end.
 *
 * Per shard partition of a day (`V#<tenant>#<day>#<shard>`): one probe (`Limit: 1`, key condition
 * only) says whether the window holds anything there; when it does, one Query per event type, each
 * following `LastEvaluatedKey` (DynamoDB counts at most 1 MB of items a page). At most
 * `STATUS_COUNT_CONCURRENCY` Queries are in flight; the newest day's come first.
 *
 * Bounded time: whole UTC days are counted newest first, and no Query is started once the read
 * budget (`STATUS_COUNT_QUERY_BUDGET` Query calls) is spent or `STATUS_COUNT_TIME_SHARE` of the store
 * call's budget (`callBudgetMs`, budget.ts) has passed, so the call answers within its budget rather
 * than failing with a timeout. The answer then covers the newest days that were counted through
 * (`complete: false`, `countedFrom` the start of the oldest of them); never a part of a day. The
 * Queries already in flight finish first; a store so slow that they outlast the rest of the budget
 * fails the call (`StoreTimeoutError`, 503), as does any failed Query: a count is never a guess.
 */
import { QueryCommand, type QueryCommandOutput } from "@aws-sdk/lib-dynamodb";
import { EVENT_TYPE_IDS, type EventType } from "../core/taxonomy.js";
import type { CallContext } from "./context.js";
import { nowSeconds } from "./context.js";
import { toStoreError } from "./errors.js";
import { STATUS_SHARDS } from "./index-keys.js";
import {
  assertStatusWindow,
  MAX_STATUS_WINDOW_DAYS,
  type StatusFilter,
  type StatusFilterQuery,
  statusDays,
  statusFilter,
  statusKeyRange,
  statusPartitions,
  statusQueryInput,
} from "./status.js";
import type { SuppressionStore } from "./store.js";

/** Count Queries in flight at once (the SDK's HTTP handler keeps 50 sockets). */
export const STATUS_COUNT_CONCURRENCY = 32;
/**
 * The read budget of one count: Query calls. Enough for the longest window (31 UTC days) when each
 * shard-day's counts take one page: a probe and one Query per type.
 */
export const STATUS_COUNT_QUERY_BUDGET =
  (MAX_STATUS_WINDOW_DAYS + 1) * STATUS_SHARDS * (EVENT_TYPE_IDS.length + 1);
/**
 * The share of the store call's budget (`callBudgetMs`) after which no count Query is started: the
 * ones in flight then have the rest to finish (2 s of 4 s with the defaults).
 */
export const STATUS_COUNT_TIME_SHARE = 0.5;

/** Which events of a tenant to count: the list's query without type (every type is counted), page, cursor. */
export type StatusCountQuery = Omit<StatusFilterQuery, "type"> & {
  /** Epoch seconds, inclusive. */
  readonly from: number;
  /** Epoch seconds, inclusive. At most 30 days after `from`. */
  readonly to: number;
};

/** The events of the counted part of the window, by type. */
export type StatusCounts = {
  readonly counts: Readonly<Record<EventType, number>>;
  /** The sum of `counts`. */
  readonly total: number;
  /** Whether the whole window was counted. */
  readonly complete: boolean;
  /**
   * Epoch seconds: the counts are of the events between this and `to`. `from` when complete;
   * otherwise 00:00 UTC of the oldest day counted through (`to` when not even the newest was).
   */
  readonly countedFrom: number;
  /** Query calls made. */
  readonly queries: number;
};

/** One count Query of one shard partition: the key condition, the filter (none: a probe), a page. */
export type CountShardQuery = {
  readonly partition: string;
  readonly low: string;
  readonly high: string;
  /** `null` for the probe: the key condition only. */
  readonly filter: StatusFilter | null;
  readonly limit?: number;
  readonly startKey?: Readonly<Record<string, unknown>>;
};

/** What one count Query answered: the matching items of its page, and where to go on. */
export type CountShardAnswer = {
  readonly count: number;
  readonly lastKey?: Readonly<Record<string, unknown>>;
};

/** Sends one count Query (DynamoDB, or an in-memory fake in tests). */
export type CountShard = (query: CountShardQuery) => Promise<CountShardAnswer>;

/** How a count bounds itself; the defaults are the constants above and the call's own budget. */
export type CountLimits = {
  readonly maxQueries?: number;
  readonly concurrency?: number;
  /** Items a type's count Query evaluates a page (its `Limit`); default none: DynamoDB's 1 MB. */
  readonly pageLimit?: number;
  /** Milliseconds after which no Query is started; default `STATUS_COUNT_TIME_SHARE` × `callBudgetMs`. */
  readonly timeMs?: number;
  /** Milliseconds, monotonic enough: default `performance.now`. */
  readonly clock?: () => number;
};

/**
 * The count Query on DynamoDB (`Select: "COUNT"`), under the call's budget and signal.
 *
 * @example
 * const count = dynamoCountShard(ctx);
 * await count({ partition: "V#default#2026-11-20#3", low, high, filter: statusFilter({ tenant }, now) });
 */
export function dynamoCountShard(ctx: CallContext): CountShard {
  return async (q) => {
    let out: QueryCommandOutput;
    try {
      out = await ctx.doc.send(
        new QueryCommand({
          ...statusQueryInput(ctx.tableName, q, q.filter),
          Select: "COUNT",
          ...(q.limit === undefined ? {} : { Limit: q.limit }),
          ...(q.startKey === undefined ? {} : { ExclusiveStartKey: { ...q.startKey } }),
        }),
        { abortSignal: ctx.signal },
      );
    } catch (err) {
      throw toStoreError(err, "Query (status counts)");
    }
    return {
      count: out.Count ?? 0,
      ...(out.LastEvaluatedKey === undefined ? {} : { lastKey: out.LastEvaluatedKey }),
    };
  };
}

const zeroCounts = (): Record<EventType, number> =>
  Object.fromEntries(EVENT_TYPE_IDS.map((t) => [t, 0])) as Record<EventType, number>;

/** One Query to send: a probe (`type: null`) or a page of one type's count. */
type Task = {
  readonly day: number;
  readonly partition: string;
  readonly type: EventType | null;
  readonly startKey?: Readonly<Record<string, unknown>>;
};

/** A day of the window while it is counted. */
type Day = {
  readonly counts: Record<EventType, number>;
  /** Tasks of the day not yet done (queued or in flight): the day is counted through at 0. */
  open: number;
  readonly queue: Task[];
};

/**
 * The counts by type of a tenant's provider events between `from` and `to`, as paging the status
 * view with the same filters (and each type) through to the end would find them; whole days
 * newest first, within the read budget and the time share of the call (see the module notes).
 * An event written meanwhile may or may not be counted.
 *
 * @param countShard the count Query of one shard (tests pass an in-memory or slowed one)
 * @throws InputError when the window is reversed or longer than 30 days
 * @throws StoreUnavailableError when DynamoDB fails (no partial answer: 503, retry)
 * @example
 * const { counts, complete } = await countStatus(ctx, { tenant: "default", from: now - 7 * 86_400, to: now }, now);
 */
export async function countStatus(
  ctx: CallContext,
  query: StatusCountQuery,
  now: number,
  limits: CountLimits = {},
  countShard: CountShard = dynamoCountShard(ctx),
): Promise<StatusCounts> {
  assertStatusWindow(query.from, query.to);
  const maxQueries = limits.maxQueries ?? STATUS_COUNT_QUERY_BUDGET;
  const concurrency = limits.concurrency ?? STATUS_COUNT_CONCURRENCY;
  const clock = limits.clock ?? (() => performance.now());
  const deadline = clock() + (limits.timeMs ?? ctx.callBudgetMs * STATUS_COUNT_TIME_SHARE);
  const range = statusKeyRange(query.from, query.to);
  const filters = new Map(EVENT_TYPE_IDS.map((type) => [type, statusFilter({ ...query, type }, now)]));
  const names = statusDays(query.from, query.to);
  const days: Day[] = names.map((name, day) => {
    const queue = statusPartitions(query.tenant, name).map((partition) => ({ day, partition, type: null }));
    return { counts: zeroCounts(), open: queue.length, queue };
  });
  const enqueue = (task: Task): void => {
    const day = days[task.day] as Day;
    day.open++;
    day.queue.push(task);
  };
  /** The next Query: the newest day's first. */
  const next = (): Task | undefined => days.find((d) => d.queue.length > 0)?.queue.shift();

  const run = async (task: Task): Promise<void> => {
    const day = days[task.day] as Day;
    const probe = task.type === null;
    const answer = await countShard({
      partition: task.partition,
      ...range,
      filter: probe ? null : (filters.get(task.type) as StatusFilter),
      ...(probe ? { limit: 1 } : limits.pageLimit === undefined ? {} : { limit: limits.pageLimit }),
      ...(task.startKey === undefined ? {} : { startKey: task.startKey }),
    });
    if (probe) {
      if (answer.count > 0 || answer.lastKey !== undefined) {
        for (const type of EVENT_TYPE_IDS) enqueue({ day: task.day, partition: task.partition, type });
      }
    } else {
      day.counts[task.type] += answer.count;
      if (answer.lastKey !== undefined) enqueue({ ...task, startKey: answer.lastKey });
    }
    day.open--;
  };

  let queries = 0;
  let stopped = false;
  let failure: { readonly error: unknown } | undefined;
  const running = new Set<Promise<void>>();
  for (;;) {
    while (!stopped && running.size < concurrency) {
      if (queries >= maxQueries || clock() >= deadline) {
        stopped = true;
        break;
      }
      const task = next();
      if (task === undefined) break;
      queries++;
      const done: Promise<void> = run(task)
        .catch((error: unknown) => {
          failure ??= { error };
          stopped = true;
        })
        .finally(() => running.delete(done));
      running.add(done);
    }
    if (running.size === 0) break;
    await Promise.race(running);
  }
  if (failure !== undefined) throw failure.error;

  let through = 0; // days counted through, newest first
  while (through < days.length && (days[through] as Day).open === 0) through++;
  const counts = zeroCounts();
  for (const day of days.slice(0, through))
    for (const type of EVENT_TYPE_IDS) counts[type] += day.counts[type];
  const complete = through === days.length;
  const oldest = names[through - 1];
  return {
    counts,
    total: EVENT_TYPE_IDS.reduce((n, type) => n + counts[type], 0),
    complete,
    countedFrom: complete ? query.from : oldest === undefined ? query.to : Date.parse(oldest) / 1000,
    queries,
  };
}

/**
 * The counts of `store`: one store call under the store's budget.
 *
 * @example
 * const counts = await statusCountsStore(deps.store()).counts({ tenant: "default", from, to });
 */
export function statusCountsStore(store: SuppressionStore) {
  return {
    counts: (query: StatusCountQuery, now: number = nowSeconds()): Promise<StatusCounts> =>
      store.within("statusCounts", (call) => countStatus(call, query, now)),
  };
}
