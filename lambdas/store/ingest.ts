/**
 * Recording one normalized event: history claim → entry update (optimistic lock) → history mark.
 * No transactions (dynalite has none); every step is safe to repeat, so a crash between steps is
 * repaired by the provider's (or SQS's) redelivery of the same event.
 *
 * Counting: copies of one event may be recorded at the same time (a provider retrying while the
 * first delivery is still in flight, an import racing a webhook). Both may find the claim unapplied
 * and apply it (harmless: the ledger is idempotent per event id), but only the request whose
 * conditional mark (`applied = false` → `true`) succeeds reports the event as new; every other copy
 * reports a duplicate with the outcome the winner stored. So each event is accepted exactly once.
 */
import { randomUUID } from "node:crypto";
import { PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { NormalizedEvent } from "../core/events.js";
import { applyDecision, liveCauses } from "../core/ledger/index.js";
import type { Cause, Decision, EntryState, Outcome } from "../core/ledger/types.js";
import type { CallContext } from "./context.js";
import { type EntryItem, getItem, updateEntry } from "./entries.js";
import { isConditionalCheckFailed, StoreUnavailableError, toStoreError } from "./errors.js";
import { statsIndexKeys, statusIndexKey } from "./index-keys.js";
import { assertItemFits } from "./item-size.js";
import { addressPk, eventSk } from "./keys.js";
import { HISTORY_SORT_KEY, historySortKey } from "./schema.js";
import { registerStatsDay } from "./stats-days.js";

/** What recording one event did. */
export type RecordResult =
  | {
      /** The same provider event was recorded before: nothing changed now. */
      readonly duplicate: true;
      /** What the first recording did. */
      readonly outcome: Outcome | null;
    }
  | {
      readonly duplicate: false;
      readonly outcome: Outcome;
      readonly decision: Decision;
      /** The cause this event set, extended or kept, when it is live afterwards; else `null`. */
      readonly cause: Cause | null;
      /** That cause's expiry in epoch seconds (`null`: never, or no live cause). */
      readonly expiresAt: number | null;
    };

/** The stored form of one entry: see entries.ts. */
export type { EntryItem };

/** The stored form of one history event. */
export type EventItem = {
  readonly pk: string;
  readonly sk: string;
  /** The history index's sort key (schema.ts): `<occurredAt>#<sk>`; also the `status` index's. */
  readonly hsk: string;
  /** The `status` index's partition (index-keys.ts); absent on items written before it existed. */
  readonly vpk?: string;
  /** The `stats` index's partition and the event's counted dimensions (index-keys.ts); likewise. */
  readonly cpk?: string;
  readonly cdim?: string;
  readonly kind: "event";
  readonly tenant: string;
  readonly address: string;
  readonly event: NormalizedEvent;
  readonly decision: Decision;
  readonly applied: boolean;
  readonly outcome?: Outcome;
  readonly receivedAt: string;
  readonly appliedAt?: string;
  /** A random id of the recording request that wrote the claim / made the mark (see `recordEvent`). */
  readonly claimedBy?: string;
  readonly appliedBy?: string;
  readonly ttl: number;
};

type Claim =
  | { readonly kind: "fresh" }
  | { readonly kind: "resume" }
  | { readonly kind: "duplicate"; outcome: Outcome | null };

async function claim(
  ctx: CallContext,
  key: { pk: string; sk: string },
  event: NormalizedEvent,
  decision: Decision,
  now: number,
  token: string,
): Promise<Claim> {
  const receivedAt = new Date(now * 1000).toISOString();
  // A `none` decision has nothing to apply: the claim is the whole recording.
  const settled = decision.action === "none";
  const occurredAt = new Date(event.occurredAt).toISOString();
  const item: EventItem = {
    ...key,
    [HISTORY_SORT_KEY]: historySortKey(occurredAt, key.sk),
    ...statusIndexKey(event.tenant, key.sk, occurredAt),
    // The figures count the event here, on the one claim of it (design.md §4, docs/figures.md).
    ...statsIndexKeys(event, key.sk, receivedAt),
    kind: "event",
    tenant: event.tenant,
    address: event.recipient,
    event,
    decision,
    applied: settled,
    ...(settled ? { outcome: "none" as const, appliedAt: receivedAt, appliedBy: token } : {}),
    receivedAt,
    claimedBy: token,
    ttl: now + ctx.historySeconds,
  };
  // The event item carries the provider's diagnostic text: refuse it here, before anything is
  // written, rather than after a round trip (DynamoDB's own refusal is mapped the same way).
  const what = { item: "event", provider: event.provider } as const;
  assertItemFits(item, what);
  // The day's figures must be rolled up before its events leave the history: say the tenant had
  // some (once per process and day), before the claim that counts the event.
  await registerStatsDay(ctx, event.tenant, now);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await ctx.doc.send(
        new PutCommand({
          TableName: ctx.tableName,
          Item: item,
          ConditionExpression: "attribute_not_exists(pk)",
        }),
        { abortSignal: ctx.signal },
      );
      return { kind: "fresh" };
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw toStoreError(err, "PutItem (event history)", what);
    }
    const existing = await getItem(ctx, key, "applied, outcome, claimedBy", "GetItem (event history)");
    if (existing === undefined) continue; // expired and deleted in between: claim again
    // Our own put, retried by the SDK after its answer was lost: the claim is ours after all.
    if (existing.claimedBy === token) return { kind: "fresh" };
    const outcome = typeof existing.outcome === "string" ? (existing.outcome as Outcome) : null;
    return existing.applied === true ? { kind: "duplicate", outcome } : { kind: "resume" };
  }
  throw new StoreUnavailableError("could not claim the event in the history");
}

type Applied = { readonly outcome: Outcome; readonly state: EntryState };

/** Applies the decision to the entry of (address, decision scope), under the entry's lock. */
function applyToEntry(
  ctx: CallContext,
  event: NormalizedEvent,
  decision: Exclude<Decision, { action: "none" }>,
  now: number,
): Promise<Applied> {
  const ref = {
    tenant: event.tenant,
    subjectKind: "address",
    subject: event.recipient,
    scope: decision.scope,
  } as const;
  return updateEntry(ctx, ref, (before) => applyDecision(before, event, decision), now, {
    item: "entry",
    provider: event.provider,
  });
}

/** Who marked the claim applied: this request, or a concurrent copy of the event (with its outcome). */
type Mark = { readonly won: true } | { readonly won: false; readonly outcome: Outcome | null };

/**
 * Marks the claim applied, only if it is not yet: the one request whose update succeeds owns the
 * event (it answers `duplicate: false`). A request that finds it already applied lost the race to a
 * concurrent copy and learns that copy's outcome. The condition also keeps an update from creating
 * a bare item when the claim is gone (deleted by hand, or by TTL long after it was written).
 */
async function markApplied(
  ctx: CallContext,
  key: { pk: string; sk: string },
  outcome: Outcome,
  now: number,
  token: string,
): Promise<Mark> {
  try {
    await ctx.doc.send(
      new UpdateCommand({
        TableName: ctx.tableName,
        Key: key,
        UpdateExpression: "SET applied = :true, outcome = :outcome, appliedAt = :at, appliedBy = :by",
        ConditionExpression: "applied = :false",
        ExpressionAttributeValues: {
          ":true": true,
          ":false": false,
          ":outcome": outcome,
          ":at": new Date(now * 1000).toISOString(),
          ":by": token,
        },
      }),
      { abortSignal: ctx.signal },
    );
    return { won: true };
  } catch (err) {
    if (!isConditionalCheckFailed(err)) throw toStoreError(err, "UpdateItem (event history)");
  }
  const marked = await getItem(ctx, key, "applied, outcome, appliedBy", "GetItem (event history)");
  if (marked?.applied !== true) {
    // The claim vanished between our steps: a retry claims it afresh (and re-applies idempotently).
    throw new StoreUnavailableError("the event's history claim disappeared while it was being applied");
  }
  // Our own update, retried by the SDK after its answer was lost (an attempt timeout): we won.
  if (marked.appliedBy === token) return { won: true };
  return { won: false, outcome: typeof marked.outcome === "string" ? (marked.outcome as Outcome) : null };
}

function affectedCause(decision: Decision): Cause | null {
  switch (decision.action) {
    case "suppress":
      return decision.cause;
    case "lift":
      return decision.cause;
    case "count_soft":
    case "reset_soft":
      return "soft_escalation";
    case "none":
      return null;
  }
}

/**
 * Records one normalized event and applies the policy's decision for it (design.md §3):
 *
 * 1. claims the event in the history (`E#<provider>#<eventId>` under the address, conditional put);
 *    a claim already marked applied means a duplicate, which changes nothing;
 * 2. reads the entry for (address, decision scope), applies the decision with the ledger's pure
 *    `applyDecision`, and writes it back under an optimistic lock (`version`), retrying on conflict;
 *    the entry's `ttl` is the latest expiry in it (removed when something never expires);
 * 3. marks the history event applied, with the outcome, on condition that it is not yet: only the
 *    request that makes this mark reports `duplicate: false`.
 *
 * A crash between steps leaves the claim unapplied; the redelivered event resumes at step 2, which
 * is idempotent per event id. A `none` decision is recorded (so duplicates are recognized) without
 * touching any entry. Concurrent copies of one event: exactly one of them reports `duplicate: false`
 * (the winner of step 3's condition); the others report `duplicate: true` with the winner's outcome.
 * (When copies race, the winner may be a copy whose step 2 found the event already applied by
 * another: it then reports and stores `unchanged`, as a resumed delivery does; the entry is right.)
 *
 * @param now epoch seconds of receipt (history expiry); defaults to the clock
 * @throws StoreUnavailableError when DynamoDB fails transiently (retry the event later)
 * @throws StoreItemTooLargeError when the event's item would be over DynamoDB's 400 KB limit
 * @example
 * const result = await recordEvent(ctx, event, decide(event, DEFAULT_POLICY), 1_795_168_800);
 * // { duplicate: false, outcome: "suppressed", cause: "bounce", expiresAt: 1_826_704_800, decision }
 */
export async function recordEvent(
  ctx: CallContext,
  event: NormalizedEvent,
  decision: Decision,
  now: number,
): Promise<RecordResult> {
  const key = { pk: addressPk(event.tenant, event.recipient), sk: eventSk(event.provider, event.eventId) };
  // Tells this request's own writes from a concurrent copy's when the SDK retries a write whose
  // first attempt landed but whose answer was lost.
  const token = randomUUID();
  const claimed = await claim(ctx, key, event, decision, now, token);
  if (claimed.kind === "duplicate") return { duplicate: true, outcome: claimed.outcome };
  if (decision.action === "none") {
    if (claimed.kind === "resume") {
      const mark = await markApplied(ctx, key, "none", now, token);
      if (!mark.won) return { duplicate: true, outcome: mark.outcome };
    }
    return { duplicate: false, outcome: "none", decision, cause: null, expiresAt: null };
  }
  const { outcome, state } = await applyToEntry(ctx, event, decision, now);
  const mark = await markApplied(ctx, key, outcome, now, token);
  if (!mark.won) return { duplicate: true, outcome: mark.outcome };
  const affected = affectedCause(decision);
  const live = liveCauses(state, now).find((c) => c.cause === affected);
  return {
    duplicate: false,
    outcome,
    decision,
    cause: live?.cause ?? null,
    expiresAt: live?.state.expiresAt ?? null,
  };
}
