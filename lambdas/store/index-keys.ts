/**
 * The keys of the two write-sharded indexes (schema.ts, design.md §4 "Indexes"), computed here
 * only: every writer of an entry item (entries.ts `updateEntry`, which ingest.ts and admin.ts go
 * through) and of a provider event item (ingest.ts `claim`) calls these, and the readers (lists.ts,
 * status.ts) build their partitions with the same functions.
 *
 * - `lists`: `lpk` = `L#<tenant>#<shard>`, shard = SHA-256(pk) mod `LIST_SHARDS`; `lsk` = `<ISO since of
 *   the newest live cause>#<pk>#<sk>`. Sparse: an entry with no live cause carries neither.
 * - `status`: `vpk` = `V#<tenant>#<YYYY-MM-DD of occurredAt, UTC>#<shard>`, shard = SHA-256(sk) mod
 *   `STATUS_SHARDS`; the sort key is the event's `hsk` (`<ISO occurredAt>#<sk>`).
 * - `stats`: `cpk` = `C#<tenant>#<YYYY-MM-DD of receivedAt, UTC>#<shard>`, shard = SHA-256(sk) mod
 *   `STATS_SHARDS`, and `cdim`, the event's counted dimensions (core/reputation.ts); sorted by `hsk`.
 *   Only the history claim carries them, written once per provider event: the figures count it once.
 *
 * One tenant's entries (or one day's events) spread over the shards, so neither a hot tenant nor a
 * busy day makes a hot partition. In both indexes two items with the same sort key sit in the same
 * shard (an `lsk` is unique; equal `hsk`s have equal `sk`s, hence the same shard): the readers'
 * merge relies on it (sharded-query.ts).
 */
import { createHash } from "node:crypto";
import type { NormalizedEvent } from "../core/events.js";
import { liveCauses } from "../core/ledger/index.js";
import type { EntryState } from "../core/ledger/types.js";
import { encodeDimensions } from "../core/reputation.js";
import { escapeKeyPart } from "./keys.js";

/** Shards of one tenant's `lists` partition group (at most 16: a shard is one hex digit). */
export const LIST_SHARDS = 16;
/** Shards of one tenant's day in the `status` index. */
export const STATUS_SHARDS = 16;
/** Shards of one tenant's day in the `stats` index (the day the events were first accepted). */
export const STATS_SHARDS = 16;
/** DynamoDB's limit on an index sort key value, in bytes. */
export const MAX_INDEX_SORT_KEY_BYTES = 1024;

/**
 * A stable shard of `value`: the first four bytes of its SHA-256 (UTF-8), modulo `shards`.
 *
 * @example
 * shardOf("T#default#A#jdoe@example.org", 16); // always the same number in 0..15
 */
export function shardOf(value: string, shards: number): number {
  return createHash("sha256").update(value).digest().readUInt32BE(0) % shards;
}

/** A shard as one lower-case hex digit (both indexes have 16 shards). @example shardLabel(10); // "a" */
export const shardLabel = (shard: number): string => shard.toString(16);

/** The `lpk` of one shard of a tenant's live entries. @example listPartition("default", 3); // "L#default#3" */
export function listPartition(tenant: string, shard: number): string {
  return `L#${escapeKeyPart(tenant)}#${shardLabel(shard)}`;
}

/**
 * The `vpk` of one shard of one UTC day of a tenant's events.
 *
 * @example statusPartition("default", "2026-11-20", 12); // "V#default#2026-11-20#c"
 */
export function statusPartition(tenant: string, day: string, shard: number): string {
  return `V#${escapeKeyPart(tenant)}#${day}#${shardLabel(shard)}`;
}

/** What an entry item carries for the `lists` index: both keys, or (no live cause) neither. */
export type ListIndexKeys = { readonly lpk: string; readonly lsk: string };

/**
 * The `lists` index keys of an entry in `state` at `now` (epoch seconds), or `null` when no cause
 * is live (the item then leaves the sparse index). The time is the `since` of the newest live
 * cause. An `lsk` that would be over DynamoDB's 1024 bytes (a long tenant, address and scope, all
 * escaped) keeps its time and names the item by a hash of its key instead: still unique.
 *
 * @example
 * listIndexKeys("default", { pk: "T#default#A#a@b.c", sk: "S#*" }, state, now);
 * // { lpk: "L#default#7", lsk: "2026-11-20T10:00:00.000Z#T#default#A#a@b.c#S#*" }
 */
export function listIndexKeys(
  tenant: string,
  key: { readonly pk: string; readonly sk: string },
  state: EntryState,
  now: number,
): ListIndexKeys | null {
  let newest = Number.NEGATIVE_INFINITY;
  for (const { state: cause } of liveCauses(state, now)) newest = Math.max(newest, Date.parse(cause.since));
  if (!Number.isFinite(newest)) return null;
  const time = new Date(newest).toISOString();
  const readable = `${time}#${key.pk}#${key.sk}`;
  const lsk =
    Buffer.byteLength(readable, "utf8") <= MAX_INDEX_SORT_KEY_BYTES
      ? readable
      : `${time}#H#${createHash("sha256").update(`${key.pk}\n${key.sk}`).digest("base64url")}`;
  return { lpk: listPartition(tenant, shardOf(key.pk, LIST_SHARDS)), lsk };
}

/**
 * The `status` index partition of a provider event (its sort key is its `hsk`).
 *
 * @example
 * statusIndexKey("default", "E#ses#abc", "2026-11-20T10:00:00.000Z"); // { vpk: "V#default#2026-11-20#…" }
 */
export function statusIndexKey(tenant: string, sk: string, occurredAtIso: string): { readonly vpk: string } {
  return { vpk: statusPartition(tenant, occurredAtIso.slice(0, 10), shardOf(sk, STATUS_SHARDS)) };
}

/**
 * The `cpk` of one shard of one UTC day (of acceptance) of a tenant's events.
 *
 * @example statsPartition("default", "2026-11-20", 3); // "C#default#2026-11-20#3"
 */
export function statsPartition(tenant: string, day: string, shard: number): string {
  return `C#${escapeKeyPart(tenant)}#${day}#${shardLabel(shard)}`;
}

/**
 * The `stats` index attributes of a provider event's history claim, first accepted at
 * `receivedAtIso`: its partition and its counted dimensions.
 *
 * @example
 * statsIndexKeys(event, "E#ses#abc", "2026-11-20T10:00:00.000Z");
 * // { cpk: "C#default#2026-11-20#…", cdim: '["invalid","mailbox_not_found","ses"]' }
 */
export function statsIndexKeys(
  event: NormalizedEvent,
  sk: string,
  receivedAtIso: string,
): { readonly cpk: string; readonly cdim: string } {
  return {
    cpk: statsPartition(event.tenant, receivedAtIso.slice(0, 10), shardOf(sk, STATS_SHARDS)),
    cdim: encodeDimensions({ ...event, tags: event.tags ?? [] }),
  };
}
