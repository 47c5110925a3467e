/**
 * The tenants that had events on a day: ingestion notes `(day, tenant)` once (`STATS#DAYS#<day>` /
 * `<tenant>`, an idempotent PutItem) before it claims the first event of that day in a process, and
 * the `stats-rollup` function reads the day's notes to roll up each tenant's figures (stats.ts)
 * before the events leave the history. Remembered in memory per process, so the note costs one
 * write per container and day: never a hot key. Tiny on purpose: every ingest bundle loads it.
 */
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import type { CallContext } from "./context.js";
import { toStoreError } from "./errors.js";
import { statsDayKey } from "./keys.js";

/** Days a note is kept: past the longest history (the rollup runs within a day or two). */
export const STATS_DAY_NOTE_DAYS = 40;

/** By client (tests run two engines in one process): `<day>\n<table>\n<tenant>` noted. */
const noted = new WeakMap<object, Set<string>>();

/**
 * Notes that `tenant` has events accepted on the UTC day of `now` (epoch seconds), once per process
 * and day (copies racing at a container's start may each write it: the same item); a failed write
 * is tried again by the next event.
 *
 * @throws StoreUnavailableError when DynamoDB fails (the event is then not recorded: retried)
 * @example await registerStatsDay(ctx, "default", 1_795_168_800);
 */
export async function registerStatsDay(ctx: CallContext, tenant: string, now: number): Promise<void> {
  const day = new Date(now * 1000).toISOString().slice(0, 10);
  const id = `${day}\n${ctx.tableName}\n${tenant}`;
  let seen = noted.get(ctx.doc);
  // A container lives for hours, rarely days: forgetting everything now and then costs a write.
  if (seen === undefined || seen.size > 9_999) {
    seen = new Set();
    noted.set(ctx.doc, seen);
  }
  if (seen.has(id)) return;
  try {
    await ctx.doc.send(
      new PutCommand({
        TableName: ctx.tableName,
        Item: { ...statsDayKey(day, tenant), ttl: now + STATS_DAY_NOTE_DAYS * 86_400 },
      }),
      { abortSignal: ctx.signal },
    );
  } catch (err) {
    throw toStoreError(err, "PutItem (stats day)");
  }
  seen.add(id);
}
