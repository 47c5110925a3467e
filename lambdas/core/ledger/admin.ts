/**
 * Operators' changes to one entry (design.md §3, "Manual entries and removal"): a `manual` cause
 * set by hand, and the removal of causes. Both happen at their own time (`at`, the request's), not
 * at a provider's: they are applied as they come, never replayed out of order, so unlike
 * `applyDecision` they need not commute with each other. What they guarantee against provider
 * events, whatever order those arrive in:
 *
 * - provider events never set, extend or end a `manual` cause (no decision names it);
 * - a removed cause comes back only through an event that occurred after the removal: the removal
 *   time is kept per cause (`removedAt`), and older events, arriving late, change nothing;
 * - removing `soft_escalation` also forgets the soft bounces counted before it, so the next soft
 *   bounce starts a new count instead of escalating again at once.
 */
import { withCause } from "./apply.js";
import { fromEpochSeconds, toEpochSeconds } from "./time.js";
import { CAUSES, type Cause, type CauseState, type EntryState, type VerdictReason } from "./types.js";

/** How a manual entry reads in verdicts. */
export const MANUAL_VERDICT: VerdictReason = { type: "invalid", subtype: "blocklisted", reason: "manual" };

/** The rule a manual cause records. */
export const MANUAL_RULE = "manual";

/** An operator's `PUT /v1/suppressions/{address}`. */
export type ManualSuppression = {
  /** When the operator asked (epoch seconds). */
  readonly at: number;
  /** Epoch seconds, or `null` for never. */
  readonly expiresAt: number | null;
  /** The id of the action in the address's history (`eventId` of the cause). */
  readonly actionId: string;
  /** Why, in the operator's words (shown with the entry); none when absent. */
  readonly note?: string;
};

/** An operator's `DELETE /v1/suppressions/{address}`. */
export type Removal = {
  readonly at: number;
  /** The causes to end; every cause when absent. */
  readonly causes?: readonly Cause[];
};

/**
 * A removal applied: the next state, the causes that were live and now are not, and those kept
 * live because their latest event is dated after the removal.
 */
export type RemovalApplied = {
  readonly state: EntryState;
  readonly removed: readonly Cause[];
  readonly kept: readonly Cause[];
};

/** The causes a removal names, in `CAUSES` order. */
export const causesOf = (removal: Removal): readonly Cause[] =>
  removal.causes === undefined ? CAUSES : CAUSES.filter((c) => removal.causes?.includes(c));

/**
 * Sets the entry's `manual` cause to exactly what the operator asked (a shorter expiry too: an
 * operator's word, unlike a provider's event, may weaken their own entry). A manual cause that is
 * still live keeps its `since`.
 *
 * @example
 * applyManual(emptyEntry(), { at: 1795168800, expiresAt: null, actionId: "a1" }).causes.manual;
 * // { since: "2026-11-20T10:00:00.000Z", expiresAt: null, source: "admin", rule: "manual", … }
 */
export function applyManual(state: EntryState, manual: ManualSuppression): EntryState {
  const at = fromEpochSeconds(manual.at);
  const existing = state.causes.manual;
  const live = existing !== undefined && (existing.expiresAt === null || existing.expiresAt > manual.at);
  const cause: CauseState = {
    since: live ? existing.since : at,
    lastAt: at,
    expiresAt: manual.expiresAt,
    verdict: MANUAL_VERDICT,
    source: "admin",
    eventId: manual.actionId,
    rule: MANUAL_RULE,
    eventAt: at,
    ...(manual.note === undefined ? {} : { note: manual.note }),
  };
  return withCause(state, "manual", cause);
}

/**
 * Ends the named causes (all of them by default) and remembers when, per cause, so that events
 * that occurred at or before `at` cannot bring them back. `removed` lists the causes that were live.
 * A cause whose latest event is dated after `at` (a provider clock ahead of ours, or an event that
 * raced the request) is kept and listed in `kept`: removing it would drop evidence the operator has
 * not seen. Removing `soft_escalation` also drops the soft bounces counted up to `at`.
 *
 * @example
 * const { state } = applyRemoval(bounced, { at: 1795168800, causes: ["bounce"] });
 * state.causes.bounce;       // undefined
 * state.removedAt?.bounce;   // 1795168800
 */
export function applyRemoval(state: EntryState, removal: Removal): RemovalApplied {
  const removed: Cause[] = [];
  const kept: Cause[] = [];
  let next = state;
  const removedAt: Partial<Record<Cause, number>> = { ...(state.removedAt ?? {}) };
  for (const cause of causesOf(removal)) {
    removedAt[cause] = Math.max(removedAt[cause] ?? removal.at, removal.at);
    const existing = next.causes[cause];
    if (existing === undefined) continue;
    const live = existing.expiresAt === null || existing.expiresAt > removal.at;
    // Evidence dated after the removal (a provider clock ahead of ours, or an event that raced the
    // request) is not what the operator saw: the cause stays, and the caller says so.
    if (toEpochSeconds(existing.lastAt) > removal.at) {
      if (live) kept.push(cause);
      continue;
    }
    next = withCause(next, cause, undefined);
    // An expired cause (DynamoDB deletes lazily) goes too, but was not suppressing anything.
    if (live) removed.push(cause);
  }
  if (causesOf(removal).includes("soft_escalation")) {
    const hits = Object.fromEntries(Object.entries(next.soft.hits).filter(([, t]) => t > removal.at));
    const resetAt = Math.max(next.soft.resetAt ?? removal.at, removal.at);
    next = { ...next, soft: { hits, resetAt } };
  }
  return { state: { ...next, removedAt }, removed, kept };
}
