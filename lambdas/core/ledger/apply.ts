import type { NormalizedEvent } from "../events.js";
import { DEFAULT_POLICY } from "../policy/defaults.js";
import type { Policy } from "../policy/schema.js";
import { daysToSeconds, fromEpochSeconds, toEpochSeconds } from "./time.js";
import {
  CAUSES,
  type Cause,
  type CauseState,
  type Decision,
  type EntryState,
  type Outcome,
} from "./types.js";

/*
 * The ledger of one (tenant, address-or-domain, scope) as a pure state machine (design.md §3).
 *
 * Every transition is a "join": its result does not depend on the order in which events arrive
 * (replays and out-of-order delivery are safe) and applying an event twice equals applying it once.
 * Times are compared in whole epoch seconds. When nothing changes, the very same state object is
 * returned, so a caller can skip the write with `next === prev`.
 *
 * Known limit: `since` (the start of a cause's current life) is exact when events arrive in time
 * order; when an older event arrives after a newer one, across an expired life or a resubscribe,
 * `since` may differ from the in-order value. Expiries, verdicts and `lastAt` do not.
 */

/** A decision applied to a state: the next state, and what happened. */
export type Applied = { readonly state: EntryState; readonly outcome: Outcome };

/** A cause that is live, with its cause name. */
export type LiveCause = { readonly cause: Cause; readonly state: CauseState };

/**
 * The state of an address nothing is known about.
 *
 * @example
 * emptyEntry(); // { causes: {}, soft: { hits: {}, resetAt: null }, liftedAt: null }
 */
export function emptyEntry(): EntryState {
  return { causes: {}, soft: { hits: {}, resetAt: null }, liftedAt: null };
}

/**
 * Whether a state holds nothing at all (no cause, no soft-bounce hit, no reset or lift time).
 * An empty state is not worth storing.
 *
 * @example
 * isEmpty(emptyEntry()); // true
 */
export function isEmpty(state: EntryState): boolean {
  return (
    Object.keys(state.causes).length === 0 &&
    Object.keys(state.soft.hits).length === 0 &&
    state.soft.resetAt === null &&
    state.liftedAt === null &&
    Object.keys(state.removedAt ?? {}).length === 0
  );
}

const unchanged = (state: EntryState): Applied => ({ state, outcome: "unchanged" });
/** `null` (never) is the largest expiry. */
const rank = (expiresAt: number | null): number => expiresAt ?? Number.POSITIVE_INFINITY;
const isoOf = (iso: string): string => new Date(Date.parse(iso)).toISOString();
const minIso = (a: string, b: string): string => (Date.parse(a) <= Date.parse(b) ? a : b);
const maxIso = (a: string, b: string): string => (Date.parse(a) >= Date.parse(b) ? a : b);

/** The cause one event would set on its own. */
function causeOf(event: NormalizedEvent, expiresAt: number | null): CauseState {
  const at = isoOf(event.occurredAt);
  return {
    since: at,
    lastAt: at,
    expiresAt,
    verdict: { type: event.type, subtype: event.subtype, reason: event.reason },
    source: event.provider,
    eventId: event.eventId,
    rule: event.rule,
    eventAt: at,
    ...(event.unsubscribeReason === null ? {} : { unsubscribeReason: event.unsubscribeReason }),
  };
}

/** Whether `a` carries the verdict over `b`: the longer expiry, then the later event, then the larger id. */
function outranks(a: CauseState, b: CauseState): boolean {
  if (rank(a.expiresAt) !== rank(b.expiresAt)) return rank(a.expiresAt) > rank(b.expiresAt);
  const at = Date.parse(a.eventAt ?? a.lastAt);
  const bt = Date.parse(b.eventAt ?? b.lastAt);
  if (at !== bt) return at > bt;
  return a.eventId > b.eventId;
}

/**
 * Merges one event's cause into the existing one. Lives are intervals [since, expiresAt]: an
 * incoming life that starts when the existing one has expired replaces it (a new life); one that
 * ended before the existing one started changes nothing; overlapping lives merge (min since, max
 * lastAt, verdict of the higher-ranked).
 */
function mergeCause(
  existing: CauseState | undefined,
  incoming: CauseState,
): { cause: CauseState; outcome: Outcome } {
  if (!existing) return { cause: incoming, outcome: "suppressed" };
  const t = toEpochSeconds(incoming.since);
  if (existing.expiresAt !== null && existing.expiresAt <= t)
    return { cause: incoming, outcome: "suppressed" };
  if (incoming.expiresAt !== null && incoming.expiresAt <= toEpochSeconds(existing.since)) {
    return { cause: existing, outcome: "unchanged" };
  }
  const wins = outranks(incoming, existing);
  const since = minIso(existing.since, incoming.since);
  const lastAt = maxIso(existing.lastAt, incoming.lastAt);
  if (!wins && since === existing.since && lastAt === existing.lastAt) {
    return { cause: existing, outcome: "unchanged" };
  }
  return {
    cause: { ...(wins ? incoming : existing), since, lastAt },
    outcome: wins ? "extended" : "unchanged",
  };
}

/** Whether an operator removed `cause` at or after `t` (epoch seconds). */
function removedSince(state: EntryState, cause: Cause, t: number): boolean {
  const removed = state.removedAt?.[cause];
  return removed !== undefined && t <= removed;
}

export function withCause(state: EntryState, cause: Cause, value: CauseState | undefined): EntryState {
  const causes: Partial<Record<Cause, CauseState>> = { ...state.causes };
  if (value) causes[cause] = value;
  else delete causes[cause];
  return { ...state, causes };
}

function applySuppress(
  state: EntryState,
  event: NormalizedEvent,
  cause: "bounce" | "complaint" | "unsubscribe",
  expiresAt: number | null,
): Applied {
  const t = toEpochSeconds(event.occurredAt);
  // An unsubscribe older than (or as old as) the latest resubscribe of this scope is superseded.
  if (cause === "unsubscribe" && state.liftedAt !== null && t <= state.liftedAt) return unchanged(state);
  // An operator removed this cause after the event: only a newer event brings it back.
  if (removedSince(state, cause, t)) return unchanged(state);
  const existing = state.causes[cause];
  const merged = mergeCause(existing, causeOf(event, expiresAt));
  if (merged.cause === existing) return unchanged(state);
  return { state: withCause(state, cause, merged.cause), outcome: merged.outcome };
}

/** The qualifying window (≥ threshold hits within `windowSeconds`) that ends last, if any. */
function lastWindow(
  hits: Readonly<Record<string, number>>,
  threshold: number,
  windowSeconds: number,
): { first: number; last: number } | null {
  const times = Object.values(hits).sort((a, b) => a - b);
  let best: { first: number; last: number } | null = null;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    const last = times[end] as number;
    while ((times[start] as number) < last - windowSeconds) start++;
    if (end - start + 1 >= threshold) best = { first: times[start] as number, last };
  }
  return best;
}

function applyCountSoft(
  state: EntryState,
  event: NormalizedEvent,
  decision: Extract<Decision, { action: "count_soft" }>,
): Applied {
  const t = toEpochSeconds(event.occurredAt);
  const { hits, resetAt } = state.soft;
  // The mailbox worked after it, or an operator cleared the escalation since (a removal sets resetAt).
  if (resetAt !== null && t <= resetAt) return unchanged(state);
  if (Object.hasOwn(hits, event.eventId)) return unchanged(state); // a replay
  // A hit can only matter for an escalation still live at the latest hit if it is newer than
  // latest − (window + escalation); older hits are pruned (keeps this order independent).
  const horizon = decision.windowSeconds + decision.escalateForSeconds;
  const latest = Math.max(t, ...Object.values(hits));
  if (t <= latest - horizon) return unchanged(state);
  // Built with `Object.fromEntries`, which defines own properties: an event id from the payload
  // such as `__proto__` is a hit like any other (`kept[id] = t` would set the prototype instead).
  const kept: Record<string, number> = Object.fromEntries([
    ...Object.entries(hits).filter(([, at]) => at > latest - horizon),
    [event.eventId, t],
  ]);
  const counted: EntryState = { ...state, soft: { hits: kept, resetAt } };

  const window = lastWindow(kept, decision.threshold, decision.windowSeconds);
  const existing = state.causes.soft_escalation;
  if (!window) return { state: counted, outcome: "counted" };
  const expiresAt = window.last + decision.escalateForSeconds;
  if (existing && rank(existing.expiresAt) >= expiresAt) return { state: counted, outcome: "counted" };
  const first = fromEpochSeconds(window.first);
  const last = fromEpochSeconds(window.last);
  // An escalation still live when this window began continues its life; otherwise a new one starts.
  const continues = existing !== undefined && rank(existing.expiresAt) > window.first;
  const escalation: CauseState = {
    ...causeOf(event, expiresAt),
    since: existing && continues ? minIso(existing.since, first) : first,
    lastAt: existing ? maxIso(existing.lastAt, last) : last,
  };
  return { state: withCause(counted, "soft_escalation", escalation), outcome: "escalated" };
}

function applyResetSoft(
  state: EntryState,
  event: NormalizedEvent,
  decision: Extract<Decision, { action: "reset_soft" }>,
): Applied {
  const t = toEpochSeconds(event.occurredAt);
  const { hits, resetAt } = state.soft;
  if (resetAt !== null && t <= resetAt) return unchanged(state); // a newer delivery already did it
  const kept: Record<string, number> = Object.fromEntries(Object.entries(hits).filter(([, at]) => at > t));
  const dropped = Object.keys(hits).length - Object.keys(kept).length;
  // The escalation ends unless the soft bounces after this delivery still reach the threshold.
  const soft = DEFAULT_POLICY.softBounce;
  const threshold = decision.threshold ?? soft.threshold;
  const windowSeconds = decision.windowSeconds ?? daysToSeconds(soft.windowDays);
  const escalation = state.causes.soft_escalation;
  const ends = escalation !== undefined && lastWindow(kept, threshold, windowSeconds) === null;
  const next: EntryState = {
    ...(ends ? withCause(state, "soft_escalation", undefined) : state),
    soft: { hits: kept, resetAt: t },
  };
  return { state: next, outcome: ends || dropped > 0 ? "reset" : "unchanged" };
}

function applyLift(state: EntryState, event: NormalizedEvent): Applied {
  const t = toEpochSeconds(event.occurredAt);
  if (state.liftedAt !== null && t <= state.liftedAt) return unchanged(state);
  const unsubscribe = state.causes.unsubscribe;
  // An unsubscribe newer than the resubscribe stands.
  const lifts = unsubscribe !== undefined && toEpochSeconds(unsubscribe.lastAt) <= t;
  const next: EntryState = { ...(lifts ? withCause(state, "unsubscribe", undefined) : state), liftedAt: t };
  return { state: next, outcome: lifts ? "lifted" : "unchanged" };
}

/**
 * Applies the policy's decision for one event to the stored state of its entry (the entry of
 * `decision`'s scope). Pure and immutable; order independent and idempotent (see the module notes):
 *
 * - `suppress`: the cause's expiry becomes the max of old and new (`null` = never is the max); the
 *   verdict, source, eventId and rule are those of the event giving the longest expiry (ties: the
 *   later event). A cause that had expired when the event occurred starts a new life. An
 *   unsubscribe at or before the latest resubscribe (`liftedAt`) is ignored.
 * - `count_soft`: records the hit (by eventId; hits at or before `soft.resetAt` are ignored) and
 *   escalates (cause `soft_escalation`, expiring `escalateForSeconds` after the last hit of the
 *   window) once `threshold` hits fall within `windowSeconds`. Hits older than
 *   latest − (window + escalation) are pruned: they cannot matter any more.
 * - `reset_soft` (a delivery at t): `resetAt = max(resetAt, t)`, drops hits at or before t, and ends
 *   the escalation unless the hits after t still reach the threshold. No other cause is touched.
 * - `lift` (a resubscribe at t): `liftedAt = max(liftedAt, t)`; removes the unsubscribe cause if
 *   its `lastAt` is at or before t.
 * - `none`: nothing.
 *
 * The outcome describes the effect on suppression; the state may change with outcome `unchanged`
 * (e.g. a recorded `resetAt`). Persist `state` whenever it is not the object passed in.
 *
 * @example
 * const event = { ...bounce, occurredAt: "2026-01-01T00:00:00Z" };
 * const { state, outcome } = applyDecision(emptyEntry(), event, decide(event, DEFAULT_POLICY));
 * outcome;                           // "suppressed"
 * state.causes.bounce?.expiresAt;    // 1798761600 (365 days later)
 */
export function applyDecision(state: EntryState, event: NormalizedEvent, decision: Decision): Applied {
  switch (decision.action) {
    case "suppress":
      return applySuppress(state, event, decision.cause, decision.expiresAt);
    case "count_soft":
      return applyCountSoft(state, event, decision);
    case "reset_soft":
      return applyResetSoft(state, event, decision);
    case "lift":
      return applyLift(state, event);
    case "none":
      return { state, outcome: "none" };
  }
}

/**
 * The causes of a state that are live at `nowEpochSeconds`, strongest first (manual > unsubscribe >
 * complaint > bounce > soft_escalation). A cause with `expiresAt <= now` has expired and is left
 * out: DynamoDB deletes expired items lazily, so every read filters itself (design.md §3, inv. 2).
 *
 * @example
 * liveCauses(state, Math.floor(Date.now() / 1000)); // [{ cause: "complaint", state: {...} }, …]
 */
export function liveCauses(state: EntryState, nowEpochSeconds: number): LiveCause[] {
  const live: LiveCause[] = [];
  for (const cause of CAUSES) {
    const s = state.causes[cause];
    if (s && (s.expiresAt === null || s.expiresAt > nowEpochSeconds)) live.push({ cause, state: s });
  }
  return live;
}

/**
 * The epoch-seconds TTL for the stored item: `null` (no TTL) when some cause never expires; else
 * the latest of the causes' expiries, the soft-bounce hits' window ends, and the reset, lift and
 * removal times plus `history.keepDays` (they guard against late old events for that long). An empty state gives
 * `null` too: do not store it (see `isEmpty`).
 *
 * @example
 * itemExpiry(stateWithBounceUntil(1798761600)); // 1798761600
 * itemExpiry(stateWithUnsubscribe);             // null (never)
 */
export function itemExpiry(state: EntryState, policy: Policy = DEFAULT_POLICY): number | null {
  let max = Number.NEGATIVE_INFINITY;
  for (const cause of Object.values(state.causes)) {
    if (cause.expiresAt === null) return null;
    max = Math.max(max, cause.expiresAt);
  }
  const window = daysToSeconds(policy.softBounce.windowDays);
  for (const at of Object.values(state.soft.hits)) max = Math.max(max, at + window);
  const keep = daysToSeconds(policy.history.keepDays);
  if (state.soft.resetAt !== null) max = Math.max(max, state.soft.resetAt + keep);
  if (state.liftedAt !== null) max = Math.max(max, state.liftedAt + keep);
  for (const at of Object.values(state.removedAt ?? {})) max = Math.max(max, at + keep);
  return Number.isFinite(max) ? max : null;
}
