/**
 * The reputation figures' reads (docs/figures.md): a tenant's day summaries (core/reputation.ts),
 * each from its rollup when the day is closed, or counted live from the `stats` index.
 *
 * - Every provider event's history claim (ingest.ts), written exactly once per event, carries `cpk`
 *   = `C#<tenant>#<UTC day of acceptance>#<shard>` and `cdim` (index-keys.ts): the index holds each
 *   accepted event once, duplicates never again, whatever the concurrency.
 * - A day is **closed** once it ended more than `STATS_SETTLE_SECONDS` ago (every claim of it is
 *   written, and the index has caught up). A closed day is counted once and its summary written as
 *   a rollup (`T#<tenant>#STATS` / `D#<day>`, conditional on not existing: racing readers write the
 *   same thing once), then always read from there: a closed day never changes. The `stats-rollup`
 *   function rolls up the closed days of every tenant noted (stats-days.ts) while their events are
 *   still in the history (`history.keepDays`); a reader rolls up what it meets first.
 * - An open day (today, and yesterday for the first hour) is counted live: `STATS_SHARDS` Queries,
 *   paged, projecting `cdim` only, `STATS_QUERY_CONCURRENCY` in flight, newest day first, under a
 *   read budget (`STATS_QUERY_BUDGET` Query calls, `STATS_TIME_SHARE` of the store call's budget):
 *   days not counted through are left out and the answer says `complete: false`.
 * - A day that left the history without a rollup (before the figures existed) reads as zero: the
 *   events are gone, and counting what remains would be a guess.
 * - A closed day the tenant has no note of (stats-days.ts: ingestion notes a tenant's day before it
 *   claims the day's first event, and a note lasts `STATS_DAY_NOTE_DAYS`) had no event: it reads as
 *   zero from one BatchGetItem of the notes, instead of `STATS_SHARDS` empty Queries a day. A new
 *   tenant's first 30-day read is then a handful of calls, not hundreds.
 */

import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandOutput,
} from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { type CountedEvent, type DaySummary, decodeDimensions, summarizeDay } from "../core/reputation.js";
import { type CallContext, nowSeconds } from "./context.js";
import { isConditionalCheckFailed, toStoreError } from "./errors.js";
import { STATS_SHARDS, statsPartition } from "./index-keys.js";
import { STATS_DAYS_PREFIX, statsDayKey, statsRollupKey, statsRollupPk } from "./keys.js";
import { readPartition } from "./partition.js";
import { STATS_DIMENSIONS, STATS_INDEX, STATS_PARTITION_KEY } from "./schema.js";
import { STATS_DAY_NOTE_DAYS } from "./stats-days.js";
import type { SuppressionStore } from "./store.js";

/** A day is closed (rolled up, never changes) once it ended this long ago: 1 h. */
export const STATS_SETTLE_SECONDS = 3_600;
/** Rollups are kept 400 days (the `ttl` of the rollup item), well past the longest window. */
export const STATS_KEEP_DAYS = 400;
/** Query calls one read may make (the rollups' page and the live counts). */
export const STATS_QUERY_BUDGET = 1_024;
/** Live count Queries in flight at once (the SDK's HTTP handler keeps 50 sockets). */
export const STATS_QUERY_CONCURRENCY = 32;
/** The share of the store call's budget after which a read starts no Query (2 of 4 s). */
export const STATS_TIME_SHARE = 0.5;

const DAY_SECONDS = 86_400;
const dayStart = (day: string): number => Date.parse(`${day}T00:00:00Z`) / 1000;
const dayOf = (seconds: number): string => new Date(seconds * 1000).toISOString().slice(0, 10);

/**
 * Whether `day` is closed at `now`: it ended more than `STATS_SETTLE_SECONDS` ago.
 *
 * @example isClosedDay("2026-11-20", Date.parse("2026-11-21T01:00:01Z") / 1000); // true
 */
export const isClosedDay = (day: string, now: number): boolean =>
  dayStart(day) + DAY_SECONDS + STATS_SETTLE_SECONDS < now;

/**
 * Whether every event accepted on `day` is still in the history at `now` (so it can be rolled up):
 * the day's first event expires `historySeconds` after the day began.
 */
const stillKept = (ctx: CallContext, day: string, now: number): boolean =>
  dayStart(day) + ctx.historySeconds > now;

/**
 * The UTC days from `from` to `to` (`YYYY-MM-DD`, both included), ascending.
 *
 * @example statsDays("2026-11-29", "2026-12-01"); // ["2026-11-29", "2026-11-30", "2026-12-01"]
 */
export function statsDays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = dayStart(from); t <= dayStart(to); t += DAY_SECONDS) days.push(dayOf(t));
  return days;
}

const Counts = z.object({
  requests: z.number(),
  deliveries: z.number(),
  softBounces: z.number(),
  invalid: z.number(),
  complaints: z.number(),
  unsubscribes: z.number(),
  bySubtype: z.record(z.string(), z.number()),
});
const Summary = z.object({
  day: z.string(),
  cells: z.array(z.object({ provider: z.string(), tag: z.string().nullable().optional(), counts: Counts })),
  otherTags: z.number(),
});

/** A rollup item that is not one this module wrote (a hand edit, another version). */
export class StatsRollupError extends Error {
  override readonly name = "StatsRollupError";
}

function summaryOf(item: Readonly<Record<string, unknown>>): DaySummary {
  try {
    return Summary.parse(JSON.parse(String(item.summary))) as DaySummary;
  } catch (cause) {
    throw new StatsRollupError(`the rollup ${String(item.pk)} / ${String(item.sk)} is not readable`, {
      cause,
    });
  }
}

/** How a read bounds itself; the defaults are the constants above and the call's own budget. */
export type StatsLimits = {
  readonly maxQueries?: number;
  readonly concurrency?: number;
  /** Items a live Query evaluates a page (its `Limit`); default none: DynamoDB's 1 MB. */
  readonly pageLimit?: number;
  /** Milliseconds after which no Query is started; default `STATS_TIME_SHARE` × `callBudgetMs`. */
  readonly timeMs?: number;
};

/** What a read found: the summaries of the days counted through (ascending), and whether that is every day. */
export type StatsRead = {
  readonly days: readonly DaySummary[];
  readonly complete: boolean;
  /** Query calls made. */
  readonly queries: number;
  /** Days this read rolled up. */
  readonly rolledUp: readonly string[];
};

/** The rollups of `tenant` between two days (both included), by day. */
async function readRollups(
  ctx: CallContext,
  tenant: string,
  from: string,
  to: string,
  spend: () => void,
): Promise<Map<string, DaySummary>> {
  const found = new Map<string, DaySummary>();
  let startKey: Record<string, unknown> | undefined;
  do {
    spend();
    let out: QueryCommandOutput;
    try {
      out = await ctx.doc.send(
        new QueryCommand({
          TableName: ctx.tableName,
          KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
          ExpressionAttributeValues: {
            ":pk": statsRollupPk(tenant),
            ":from": statsRollupKey(tenant, from).sk,
            ":to": statsRollupKey(tenant, to).sk,
          },
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
        { abortSignal: ctx.signal },
      );
    } catch (err) {
      throw toStoreError(err, "Query (stats rollups)");
    }
    for (const item of out.Items ?? []) {
      const summary = summaryOf(item);
      found.set(summary.day, summary);
    }
    startKey = out.LastEvaluatedKey;
  } while (startKey !== undefined);
  return found;
}

/**
 * Of the closed `days` (at most 100) whose notes would still be kept at `now`, those `tenant` has
 * no note of: no event was accepted on them. Keys DynamoDB leaves unprocessed count as noted (the
 * day is then counted: never a wrong zero).
 */
async function unnotedDays(
  ctx: CallContext,
  tenant: string,
  days: readonly string[],
  now: number,
): Promise<Set<string>> {
  const oldest = dayOf(now - (STATS_DAY_NOTE_DAYS - 1) * DAY_SECONDS);
  const asked = days.filter((day) => isClosedDay(day, now) && day >= oldest).slice(0, 100);
  if (asked.length === 0) return new Set();
  let out: BatchGetCommandOutput;
  try {
    out = await ctx.doc.send(
      new BatchGetCommand({
        RequestItems: {
          [ctx.tableName]: { Keys: asked.map((day) => statsDayKey(day, tenant)), ProjectionExpression: "pk" },
        },
      }),
      { abortSignal: ctx.signal },
    );
  } catch (err) {
    throw toStoreError(err, "BatchGetItem (stats day notes)");
  }
  const noted = new Set<string>();
  for (const item of out.Responses?.[ctx.tableName] ?? [])
    noted.add(String(item.pk).slice(STATS_DAYS_PREFIX.length));
  for (const key of out.UnprocessedKeys?.[ctx.tableName]?.Keys ?? []) {
    noted.add(String(key.pk).slice(STATS_DAYS_PREFIX.length));
  }
  return new Set(asked.filter((day) => !noted.has(day)));
}

/** One live count Query of one shard of one day. */
type Task = { readonly day: number; readonly shard: number; readonly startKey?: Record<string, unknown> };
type LiveDay = { readonly name: string; readonly tally: Map<string, number>; open: number };

/**
 * Counts `days` live from the `stats` index, newest first, within the budget: the days counted
 * through, each as the tallies of its `cdim` values.
 */
async function countLive(
  ctx: CallContext,
  tenant: string,
  names: readonly string[],
  limits: StatsLimits,
  budget: { spent: number; readonly max: number; readonly deadline: number },
): Promise<Map<string, Map<string, number>>> {
  const days: LiveDay[] = [...names]
    .sort()
    .reverse()
    .map((name) => ({ name, tally: new Map(), open: STATS_SHARDS }));
  const queue: Task[] = days.flatMap((_, day) =>
    Array.from({ length: STATS_SHARDS }, (_, shard) => ({ day, shard })),
  );
  const concurrency = limits.concurrency ?? STATS_QUERY_CONCURRENCY;
  const run = async (task: Task): Promise<void> => {
    const day = days[task.day] as LiveDay;
    let out: QueryCommandOutput;
    try {
      out = await ctx.doc.send(
        new QueryCommand({
          TableName: ctx.tableName,
          IndexName: STATS_INDEX,
          KeyConditionExpression: "#p = :p",
          ExpressionAttributeNames: { "#p": STATS_PARTITION_KEY, "#d": STATS_DIMENSIONS },
          ExpressionAttributeValues: { ":p": statsPartition(tenant, day.name, task.shard) },
          ProjectionExpression: "#d",
          ...(limits.pageLimit === undefined ? {} : { Limit: limits.pageLimit }),
          ...(task.startKey === undefined ? {} : { ExclusiveStartKey: task.startKey }),
        }),
        { abortSignal: ctx.signal },
      );
    } catch (err) {
      throw toStoreError(err, "Query (stats)");
    }
    for (const item of out.Items ?? []) {
      const cdim = item[STATS_DIMENSIONS];
      if (typeof cdim === "string") day.tally.set(cdim, (day.tally.get(cdim) ?? 0) + 1);
    }
    if (out.LastEvaluatedKey !== undefined) {
      // The next page of a shard goes first: its day is the one being finished.
      queue.unshift({ ...task, startKey: out.LastEvaluatedKey });
    } else day.open--;
  };
  let stopped = false;
  let failure: { readonly error: unknown } | undefined;
  const running = new Set<Promise<void>>();
  for (;;) {
    while (!stopped && running.size < concurrency && queue.length > 0) {
      if (budget.spent >= budget.max || performance.now() >= budget.deadline) {
        stopped = true;
        break;
      }
      const task = queue.shift() as Task;
      budget.spent++;
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
  return new Map(days.filter((d) => d.open === 0).map((d) => [d.name, d.tally]));
}

/** The summary of a day from the tallies of its `cdim` values. */
function summaryFromTally(day: string, tally: ReadonlyMap<string, number>): DaySummary {
  const events: [CountedEvent, number][] = [];
  for (const [cdim, n] of tally) {
    const e = decodeDimensions(cdim);
    if (e !== undefined) events.push([e, n]);
  }
  return summarizeDay(day, events);
}

/**
 * Writes the rollup of a closed day, once: a rollup already there (a racing reader's, the same
 * counts) is kept.
 */
async function putRollup(ctx: CallContext, tenant: string, summary: DaySummary, now: number): Promise<void> {
  try {
    await ctx.doc.send(
      new PutCommand({
        TableName: ctx.tableName,
        Item: {
          ...statsRollupKey(tenant, summary.day),
          kind: "stats-rollup",
          tenant,
          summary: JSON.stringify(summary),
          rolledAt: new Date(now * 1000).toISOString(),
          ttl: now + STATS_KEEP_DAYS * DAY_SECONDS,
        },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
      { abortSignal: ctx.signal },
    );
  } catch (err) {
    if (!isConditionalCheckFailed(err)) throw toStoreError(err, "PutItem (stats rollup)");
  }
}

/**
 * The day summaries of `tenant` from `from` to `to` (UTC days, both included) at `now`: closed days
 * from their rollups (rolling up those that have none and are still in the history), open days
 * live, within the read budget (see the module notes).
 *
 * @throws StoreUnavailableError when DynamoDB fails (no partial answer: 503, retry)
 * @throws StatsRollupError when a rollup item is not readable
 * @example
 * const { days, complete } = await readStats(ctx, "default", "2026-11-01", "2026-11-30", now);
 */
export async function readStats(
  ctx: CallContext,
  tenant: string,
  from: string,
  to: string,
  now: number,
  limits: StatsLimits = {},
): Promise<StatsRead> {
  const budget = {
    spent: 0,
    max: limits.maxQueries ?? STATS_QUERY_BUDGET,
    deadline: performance.now() + (limits.timeMs ?? ctx.callBudgetMs * STATS_TIME_SHARE),
  };
  const names = statsDays(from, to);
  const rollups = await readRollups(ctx, tenant, from, to, () => budget.spent++);
  const today = dayOf(now);
  const zero = (day: string): DaySummary => ({ day, cells: [], otherTags: 0 });
  const known = new Map<string, DaySummary>(rollups);
  const live: string[] = [];
  for (const day of names) {
    if (known.has(day)) continue;
    // Not yet begun, or gone from the history without a rollup: nothing to count.
    if (day > today || (isClosedDay(day, now) && !stillKept(ctx, day, now))) known.set(day, zero(day));
    else live.push(day);
  }
  budget.spent++;
  const empty = await unnotedDays(ctx, tenant, live, now);
  const tallies = await countLive(
    ctx,
    tenant,
    live.filter((day) => !empty.has(day)),
    limits,
    budget,
  );
  for (const day of empty) known.set(day, zero(day));
  const rolledUp: string[] = [];
  for (const [day, tally] of tallies) {
    const summary = summaryFromTally(day, tally);
    if (isClosedDay(day, now)) {
      await putRollup(ctx, tenant, summary, now);
      rolledUp.push(day);
    }
    known.set(day, summary);
  }
  const days = names.flatMap((day) => {
    const s = known.get(day);
    return s === undefined ? [] : [s];
  });
  return { days, complete: days.length === names.length, queries: budget.spent, rolledUp: rolledUp.sort() };
}

/** What one run of the rollup did. */
export type RollupRun = {
  /** The closed days still in the history it looked at, oldest first. */
  readonly days: readonly string[];
  /** `<day> <tenant>` of each rollup it wrote. */
  readonly rolledUp: readonly string[];
  /** Tenant-days that already had their rollup. */
  readonly present: number;
};

async function tenantsOf(ctx: CallContext, day: string): Promise<string[]> {
  const items = await readPartition(ctx, `${STATS_DAYS_PREFIX}${day}`, {
    label: "Query (stats days)",
    projection: "sk",
  });
  const tenants: string[] = [];
  for (const item of items) if (typeof item.sk === "string") tenants.push(item.sk);
  return tenants;
}

/**
 * Rolls up every closed day still in the history (the last `history.keepDays`) of every tenant
 * noted for it (stats-days.ts) that has no rollup yet: what the scheduled `stats-rollup` function
 * (and, hourly, `npm start`) runs, so that a day's figures outlive its events. Safe to run
 * concurrently and repeatedly: a rollup is written once.
 *
 * @throws StoreUnavailableError when DynamoDB fails (the next run does the rest)
 * @example const run = await rollupClosedDays(ctx, nowSeconds()); // { days, rolledUp, present }
 */
export async function rollupClosedDays(ctx: CallContext, now: number): Promise<RollupRun> {
  const days: string[] = [];
  for (
    let t = Math.floor(now / DAY_SECONDS) * DAY_SECONDS;
    t > now - ctx.historySeconds - DAY_SECONDS;
    t -= DAY_SECONDS
  ) {
    const day = dayOf(t);
    if (isClosedDay(day, now) && stillKept(ctx, day, now)) days.unshift(day);
  }
  const rolledUp: string[] = [];
  let present = 0;
  for (const day of days) {
    for (const tenant of await tenantsOf(ctx, day)) {
      let existing: Record<string, unknown> | undefined;
      try {
        existing = (
          await ctx.doc.send(
            new GetCommand({
              TableName: ctx.tableName,
              Key: statsRollupKey(tenant, day),
              ProjectionExpression: "pk",
            }),
            { abortSignal: ctx.signal },
          )
        ).Item;
      } catch (err) {
        throw toStoreError(err, "GetItem (stats rollup)");
      }
      if (existing !== undefined) {
        present++;
        continue;
      }
      const tallies = await countLive(
        ctx,
        tenant,
        [day],
        {},
        {
          spent: 0,
          max: Number.POSITIVE_INFINITY,
          deadline: Number.POSITIVE_INFINITY,
        },
      );
      const tally = tallies.get(day) ?? new Map<string, number>();
      await putRollup(ctx, tenant, summaryFromTally(day, tally), now);
      rolledUp.push(`${day} ${tenant}`);
    }
  }
  return { days, rolledUp, present };
}

/**
 * The figures' reads of `store`, each one store call under the store's budget.
 *
 * @example
 * const read = await statsStore(deps.store()).read("default", "2026-11-01", "2026-11-30");
 */
export function statsStore(store: SuppressionStore) {
  return {
    read: (tenant: string, from: string, to: string, now: number = nowSeconds(), limits?: StatsLimits) =>
      store.within("stats", (call) => readStats(call, tenant, from, to, now, limits)),
    rollup: (now: number = nowSeconds()) =>
      store.within("statsRollup", (call) => rollupClosedDays(call, now)),
  };
}
