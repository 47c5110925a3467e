// fast-check runs with the repository's fixed seed: test/support/fast-check-seed.ts is a vitest
// setup file (vitest.config.ts), so, like properties.test.ts, no property here sets a seed of its own.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../../lambdas/core/events.js";
import {
  applyDecision,
  applyManual,
  applyRemoval,
  CAUSES,
  type Cause,
  type CauseState,
  causesOf,
  type EntryState,
  emptyEntry,
  isEmpty,
  itemExpiry,
  liveCauses,
  MANUAL_RULE,
  MANUAL_VERDICT,
  type ManualSuppression,
  type Outcome,
  type Removal,
} from "../../../lambdas/core/ledger/index.js";
import { DEFAULT_POLICY, decide } from "../../../lambdas/core/policy/index.js";
import { at, bounce, complaint, DAY, delivered, ev, soft, specArb, T0, unsub } from "./events.js";

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

/** Epoch seconds `days` (may be fractional) after T0. */
const sec = (days: number): number => T0 + Math.round(days * DAY);
/** The ISO form of epoch seconds. */
const fromSec = (s: number): string => new Date(s * 1000).toISOString();

/** Applies each event's default-policy decision in turn; returns the last state and every outcome. */
function run(events: readonly NormalizedEvent[], from: EntryState = emptyEntry()) {
  let state = from;
  const outcomes: Outcome[] = [];
  for (const event of events) {
    const applied = applyDecision(state, event, decide(event, DEFAULT_POLICY));
    state = applied.state;
    outcomes.push(applied.outcome);
  }
  return { state, outcomes };
}

/** Applies one event's default-policy decision. */
const apply1 = (state: EntryState, event: NormalizedEvent) =>
  applyDecision(state, event, decide(event, DEFAULT_POLICY));

/** An operator's PUT `days` after T0, expiring `untilDays` after T0 (`null`: never). */
const put = (days: number, untilDays: number | null, actionId = "a1", note?: string): ManualSuppression => ({
  at: sec(days),
  expiresAt: untilDays === null ? null : sec(untilDays),
  actionId,
  ...(note === undefined ? {} : { note }),
});

/** The manual cause of a state; fails the test when there is none. */
function manualOf(state: EntryState): CauseState {
  const manual = state.causes.manual;
  expect(manual).toBeDefined();
  return manual as CauseState;
}

// ---------------------------------------------------------------------------------------------
// causesOf and MANUAL_VERDICT
// ---------------------------------------------------------------------------------------------

describe("causesOf", () => {
  it("names every cause, in CAUSES order, when the removal names none", () => {
    expect(causesOf({ at: T0 })).toEqual(["manual", "unsubscribe", "complaint", "bounce", "soft_escalation"]);
  });

  it("keeps the named causes only, in CAUSES order, once each", () => {
    expect(causesOf({ at: T0, causes: ["soft_escalation", "bounce", "manual", "bounce"] })).toEqual([
      "manual",
      "bounce",
      "soft_escalation",
    ]);
    expect(causesOf({ at: T0, causes: [] })).toEqual([]);
  });
});

describe("MANUAL_VERDICT", () => {
  it("reads as invalid / blocklisted / manual", () => {
    expect(MANUAL_VERDICT).toEqual({ type: "invalid", subtype: "blocklisted", reason: "manual" });
    expect(MANUAL_RULE).toBe("manual");
  });
});

// ---------------------------------------------------------------------------------------------
// applyManual
// ---------------------------------------------------------------------------------------------

describe("applyManual", () => {
  it("sets a manual cause that never expires, with the admin source, the manual rule and no note", () => {
    // Act
    const state = applyManual(emptyEntry(), put(1, null, "a1"));
    // Assess
    expect(state.causes).toEqual({
      manual: {
        since: at(1),
        lastAt: at(1),
        expiresAt: null,
        verdict: { type: "invalid", subtype: "blocklisted", reason: "manual" },
        source: "admin",
        eventId: "a1",
        rule: "manual",
        eventAt: at(1),
      },
    });
    expect(Object.hasOwn(manualOf(state), "note")).toBe(false);
    expect(liveCauses(state, sec(10_000)).map((c) => c.cause)).toEqual(["manual"]);
    expect(itemExpiry(state)).toBeNull();
  });

  it("keeps the given expiry and note", () => {
    // Act
    const state = applyManual(emptyEntry(), put(1, 10, "a7", "asked by the recipient"));
    // Assess
    expect(manualOf(state)).toEqual({
      since: at(1),
      lastAt: at(1),
      expiresAt: sec(10),
      verdict: MANUAL_VERDICT,
      source: "admin",
      eventId: "a7",
      rule: "manual",
      eventAt: at(1),
      note: "asked by the recipient",
    });
    expect(liveCauses(state, sec(10) - 1).map((c) => c.cause)).toEqual(["manual"]);
    expect(liveCauses(state, sec(10))).toEqual([]);
    expect(itemExpiry(state)).toBe(sec(10));
  });

  it("keeps an empty note (it is given)", () => {
    expect(manualOf(applyManual(emptyEntry(), put(1, null, "a1", ""))).note).toBe("");
  });

  it("a second PUT while live keeps since and replaces the expiry, even with a shorter one", () => {
    // Prepare
    const first = applyManual(emptyEntry(), put(1, 100, "a1", "first"));
    // Act
    const second = applyManual(first, put(5, 50, "a2"));
    // Assess
    expect(manualOf(second)).toEqual({
      since: at(1),
      lastAt: at(5),
      expiresAt: sec(50),
      verdict: MANUAL_VERDICT,
      source: "admin",
      eventId: "a2",
      rule: "manual",
      eventAt: at(5),
    });
    expect(Object.hasOwn(manualOf(second), "note")).toBe(false); // the first PUT's note does not linger
    expect(manualOf(first).expiresAt).toBe(sec(100)); // the input is not mutated
  });

  it("a second PUT may turn a never-expiring manual entry into a finite one, and back", () => {
    // Prepare
    const never = applyManual(emptyEntry(), put(1, null, "a1"));
    // Act
    const finite = applyManual(never, put(2, 3, "a2"));
    const again = applyManual(finite, put(2.5, null, "a3"));
    // Assess
    expect(manualOf(finite)).toMatchObject({ since: at(1), lastAt: at(2), expiresAt: sec(3), eventId: "a2" });
    expect(manualOf(again)).toMatchObject({ since: at(1), lastAt: at(2.5), expiresAt: null, eventId: "a3" });
  });

  it("after the manual cause expired, a new PUT starts a new since (expiresAt = at is expired)", () => {
    // Prepare
    const first = applyManual(emptyEntry(), put(1, 3, "a1"));
    // Act
    const atExpiry = applyManual(first, put(3, 20, "a2"));
    const later = applyManual(first, put(4, null, "a3"));
    const justBefore = applyManual(first, { at: sec(3) - 1, expiresAt: sec(20), actionId: "a4" });
    // Assess
    expect(manualOf(atExpiry)).toMatchObject({ since: at(3), lastAt: at(3), expiresAt: sec(20) });
    expect(manualOf(later)).toMatchObject({ since: at(4), lastAt: at(4), expiresAt: null });
    expect(manualOf(justBefore)).toMatchObject({ since: at(1), expiresAt: sec(20), eventId: "a4" });
  });

  it("leaves the other causes, the soft-bounce hits and the lift and removal times untouched", () => {
    // Prepare
    const { state: events } = run([bounce("b1", 0), complaint("c1", 1), soft("s1", 2), unsub("r1", 3, true)]);
    const before = applyRemoval(events, { at: sec(4), causes: ["unsubscribe"] }).state;
    // Act
    const after = applyManual(before, put(5, null));
    // Assess
    expect(Object.keys(after.causes).sort()).toEqual(["bounce", "complaint", "manual"]);
    expect(after.causes.bounce).toBe(before.causes.bounce);
    expect(after.causes.complaint).toBe(before.causes.complaint);
    expect(after.soft).toBe(before.soft);
    expect(after.soft.hits).toEqual({ s1: sec(2) });
    expect(after.liftedAt).toBe(sec(3));
    expect(after.removedAt).toEqual({ unsubscribe: sec(4) });
    expect(before.causes.manual).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// applyRemoval
// ---------------------------------------------------------------------------------------------

describe("applyRemoval", () => {
  it("removes every cause when none is named, and lists those that were live", () => {
    // Prepare
    const { state: events } = run([bounce("b1", 0), complaint("c1", 1), unsub("u1", 2)]);
    const before = applyManual(events, put(3, null));
    // Act
    const { state, removed } = applyRemoval(before, { at: sec(4) });
    // Assess
    expect(removed).toEqual(["manual", "unsubscribe", "complaint", "bounce"]);
    expect(state.causes).toEqual({});
    expect(state.removedAt).toEqual({
      manual: sec(4),
      unsubscribe: sec(4),
      complaint: sec(4),
      bounce: sec(4),
      soft_escalation: sec(4),
    });
    expect(liveCauses(state, sec(4))).toEqual([]);
    expect(Object.keys(before.causes)).toHaveLength(4); // the input is not mutated
    expect(before.removedAt).toBeUndefined();
  });

  it("removes the named causes only and records removedAt for those only", () => {
    // Prepare
    const { state: before } = run([bounce("b1", 0), complaint("c1", 1), unsub("u1", 2)]);
    // Act
    const { state, removed } = applyRemoval(before, { at: sec(4), causes: ["bounce", "unsubscribe"] });
    // Assess
    expect(removed).toEqual(["unsubscribe", "bounce"]);
    expect(Object.keys(state.causes)).toEqual(["complaint"]);
    expect(state.causes.complaint).toBe(before.causes.complaint);
    expect(state.removedAt).toEqual({ unsubscribe: sec(4), bounce: sec(4) });
    expect(state.soft).toBe(before.soft);
  });

  it("records removedAt for a named cause that is not there, and lists nothing", () => {
    // Act
    const { state, removed } = applyRemoval(emptyEntry(), { at: sec(2), causes: ["complaint"] });
    // Assess
    expect(removed).toEqual([]);
    expect(state.causes).toEqual({});
    expect(state.removedAt).toEqual({ complaint: sec(2) });
    expect(state.soft).toEqual({ hits: {}, resetAt: null });
    expect(state.liftedAt).toBeNull();
  });

  it("drops an expired but still stored cause without listing it (expiresAt = at is expired)", () => {
    // Prepare: a 30-day bounce, and a complaint still live
    const { state: before } = run([bounce("b1", 0, "host_unknown"), complaint("c1", 1)]);
    expect(before.causes.bounce?.expiresAt).toBe(sec(30));
    // Act
    const { state, removed } = applyRemoval(before, { at: sec(30) });
    // Assess
    expect(removed).toEqual(["complaint"]);
    expect(state.causes).toEqual({});
    expect(state.removedAt?.bounce).toBe(sec(30));
  });

  it("lists a cause live one second before its expiry", () => {
    // Prepare
    const { state: before } = run([bounce("b1", 0, "host_unknown")]);
    // Act
    const { state, removed } = applyRemoval(before, { at: sec(30) - 1, causes: ["bounce"] });
    // Assess
    expect(removed).toEqual(["bounce"]);
    expect(state.causes.bounce).toBeUndefined();
  });

  it("lists an expired manual cause as not removed, a live one as removed", () => {
    // Prepare
    const expired = applyManual(emptyEntry(), put(1, 2));
    const live = applyManual(emptyEntry(), put(1, 20));
    // Act
    const fromExpired = applyRemoval(expired, { at: sec(5), causes: ["manual"] });
    const fromLive = applyRemoval(live, { at: sec(5), causes: ["manual"] });
    // Assess
    expect(fromExpired.removed).toEqual([]);
    expect(fromExpired.state.causes.manual).toBeUndefined();
    expect(fromLive.removed).toEqual(["manual"]);
    expect(fromLive.state.causes.manual).toBeUndefined();
  });

  it("keeps the latest removal time of each cause (max with an earlier removal)", () => {
    // Prepare
    const first = applyRemoval(emptyEntry(), { at: sec(10), causes: ["bounce"] }).state;
    // Act
    const older = applyRemoval(first, { at: sec(5), causes: ["bounce", "complaint"] }).state;
    const newer = applyRemoval(older, { at: sec(12), causes: ["bounce"] }).state;
    // Assess
    expect(first.removedAt).toEqual({ bounce: sec(10) });
    expect(older.removedAt).toEqual({ bounce: sec(10), complaint: sec(5) });
    expect(newer.removedAt).toEqual({ bounce: sec(12), complaint: sec(5) });
  });

  it("keeps a cause whose latest event is after the removal (a provider clock ahead), listing it in kept", () => {
    // Prepare
    const { state: before } = run([bounce("b1", 0), bounce("b2", 10)]);
    // Act
    const { state, removed, kept } = applyRemoval(before, { at: sec(5), causes: ["bounce"] });
    // Assess
    expect(removed).toEqual([]);
    expect(kept).toEqual(["bounce"]);
    expect(state.causes.bounce).toBe(before.causes.bounce);
    expect(state.causes.bounce?.lastAt).toBe(at(10));
    expect(state.removedAt).toEqual({ bounce: sec(5) });
  });

  it("removes a cause whose latest event is exactly at the removal", () => {
    // Prepare
    const { state: before } = run([bounce("b1", 5)]);
    // Act
    const { state, removed } = applyRemoval(before, { at: sec(5), causes: ["bounce"] });
    // Assess
    expect(removed).toEqual(["bounce"]);
    expect(state.causes.bounce).toBeUndefined();
  });

  it("removing soft_escalation drops the escalation and the hits at or before the removal", () => {
    // Prepare: three soft bounces escalate (threshold 3 in 14 days)
    const { state: before, outcomes } = run([soft("s1", 0), soft("s2", 1), soft("s3", 2)]);
    expect(outcomes).toEqual(["counted", "counted", "escalated"]);
    // Act
    const { state, removed } = applyRemoval(before, { at: sec(2), causes: ["soft_escalation"] });
    // Assess
    expect(removed).toEqual(["soft_escalation"]);
    expect(state.causes).toEqual({});
    expect(state.soft).toEqual({ hits: {}, resetAt: sec(2) });
    expect(state.removedAt).toEqual({ soft_escalation: sec(2) });
  });

  it("removing soft_escalation keeps the hits after the removal", () => {
    // Prepare
    const { state: before } = run([soft("s1", 0), soft("s3", 3)]);
    // Act
    const { state, removed } = applyRemoval(before, { at: sec(2), causes: ["soft_escalation"] });
    // Assess
    expect(removed).toEqual([]);
    expect(state.soft).toEqual({ hits: { s3: sec(3) }, resetAt: sec(2) });
  });

  it("removing soft_escalation keeps a later reset time (resetAt = max(resetAt, at))", () => {
    // Prepare: a delivery at day 4
    const { state: before } = run([soft("s1", 0), delivered("d1", 4), soft("s2", 5)]);
    // Act
    const { state } = applyRemoval(before, { at: sec(2), causes: ["soft_escalation"] });
    // Assess
    expect(state.soft).toEqual({ hits: { s2: sec(5) }, resetAt: sec(4) });
  });

  it("after soft_escalation is removed, the next soft bounce starts a new count", () => {
    // Prepare
    const { state: escalated } = run([soft("s1", 0), soft("s2", 1), soft("s3", 2)]);
    const cleared = applyRemoval(escalated, { at: sec(2.5), causes: ["soft_escalation"] }).state;
    // Act
    const { state, outcomes } = run([soft("s4", 3), soft("s5", 4), soft("s6", 5)], cleared);
    // Assess
    expect(outcomes).toEqual(["counted", "counted", "escalated"]);
    expect(state.causes.soft_escalation).toMatchObject({
      since: at(3),
      lastAt: at(5),
      expiresAt: sec(12),
      eventId: "s6",
    });
    expect(Object.keys(state.soft.hits).sort()).toEqual(["s4", "s5", "s6"]);
  });

  it("does not touch the soft-bounce state unless soft_escalation is named", () => {
    // Prepare
    const { state: before } = run([soft("s1", 0), soft("s2", 1), soft("s3", 2), bounce("b1", 2)]);
    // Act
    const { state, removed } = applyRemoval(before, { at: sec(3), causes: ["bounce"] });
    // Assess
    expect(removed).toEqual(["bounce"]);
    expect(state.soft).toBe(before.soft);
    expect(state.causes.soft_escalation).toBe(before.causes.soft_escalation);
  });

  it("is not empty after a removal: the removal time is remembered for history.keepDays", () => {
    // Act
    const { state } = applyRemoval(emptyEntry(), { at: sec(1), causes: ["bounce"] });
    // Assess
    expect(isEmpty(state)).toBe(false);
    expect(itemExpiry(state)).toBe(sec(1) + 30 * DAY);
    expect(itemExpiry(state, { ...DEFAULT_POLICY, history: { keepDays: 2 } })).toBe(sec(3));
  });

  it("itemExpiry is the latest of the remaining causes' expiries and removedAt + keepDays", () => {
    // Prepare: a 365-day bounce and a 180-day complaint
    const { state: before } = run([bounce("b1", 0), complaint("c1", 0)]);
    expect(itemExpiry(before)).toBe(sec(365));
    // Act
    const bounceGone = applyRemoval(before, { at: sec(10), causes: ["bounce"] }).state;
    const allGone = applyRemoval(before, { at: sec(10) }).state;
    const lateRemoval = applyRemoval(applyRemoval(before, { at: sec(10) }).state, {
      at: sec(200),
      causes: ["manual"],
    }).state;
    // Assess
    expect(itemExpiry(bounceGone)).toBe(sec(180));
    expect(itemExpiry(allGone)).toBe(sec(40)); // removedAt and the soft reset at day 10, + 30 days
    expect(itemExpiry(lateRemoval)).toBe(sec(230));
  });

  it("an empty removal on an empty entry leaves it empty", () => {
    const { state, removed } = applyRemoval(emptyEntry(), { at: sec(1), causes: [] });
    expect(removed).toEqual([]);
    expect(isEmpty(state)).toBe(true);
    expect(itemExpiry(state)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// With provider events
// ---------------------------------------------------------------------------------------------

describe("admin changes with provider events", () => {
  const removedBounce = () => {
    const { state } = run([bounce("b1", 0)]);
    return applyRemoval(state, { at: sec(10), causes: ["bounce"] }).state;
  };

  it("a bounce that occurred at or before the removal, arriving late, changes nothing", () => {
    // Prepare
    const state = removedBounce();
    for (const late of [
      bounce("b0", -5),
      bounce("b2", 9),
      bounce("b3", 10),
      bounce("b4", 10, "bad_address_format"),
    ]) {
      // Act
      const applied = apply1(state, late);
      // Assess
      expect(applied.outcome).toBe("unchanged");
      expect(applied.state).toBe(state);
    }
  });

  it("a removed bounce comes back after a new bounce", () => {
    // Prepare
    const state = removedBounce();
    const newer = ev({
      eventId: "b5",
      type: "invalid",
      reason: "user_unknown",
      occurredAt: fromSec(sec(10) + 1),
    });
    // Act
    const applied = apply1(state, newer);
    // Assess
    expect(applied.outcome).toBe("suppressed");
    expect(applied.state.causes.bounce).toEqual({
      since: fromSec(sec(10) + 1),
      lastAt: fromSec(sec(10) + 1),
      expiresAt: sec(10) + 1 + 365 * DAY,
      verdict: { type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown" },
      source: "ses",
      eventId: "b5",
      rule: "test",
      eventAt: fromSec(sec(10) + 1),
    });
    expect(applied.state.removedAt).toEqual({ bounce: sec(10) });
  });

  it("after a bounce came back, an old one arriving late does not move since before the removal", () => {
    // Prepare
    const back = apply1(removedBounce(), bounce("b5", 12)).state;
    // Act
    const applied = apply1(back, bounce("b0", 8, "bad_address_format"));
    // Assess
    expect(applied.outcome).toBe("unchanged");
    expect(applied.state).toBe(back);
    expect(back.causes.bounce).toMatchObject({ since: at(12), expiresAt: sec(12 + 365) });
  });

  it("a removal of the bounce does not stop a late complaint (another cause)", () => {
    // Act
    const applied = apply1(removedBounce(), complaint("c1", 5));
    // Assess
    expect(applied.outcome).toBe("suppressed");
    expect(applied.state.causes.complaint).toMatchObject({ since: at(5), expiresAt: sec(185) });
  });

  it("a removed unsubscribe or complaint comes back only after a newer event", () => {
    // Prepare
    const { state: before } = run([unsub("u1", 0), complaint("c1", 0)]);
    const removed = applyRemoval(before, { at: sec(3), causes: ["unsubscribe", "complaint"] }).state;
    // Act
    const late = run([unsub("u0", 3), complaint("c0", 2)], removed);
    const newer = run([unsub("u2", 4), complaint("c2", 5)], removed);
    // Assess
    expect(late.outcomes).toEqual(["unchanged", "unchanged"]);
    expect(late.state).toBe(removed);
    expect(newer.outcomes).toEqual(["suppressed", "suppressed"]);
    expect(newer.state.causes.unsubscribe).toMatchObject({ since: at(4), expiresAt: null, eventId: "u2" });
    expect(newer.state.causes.complaint).toMatchObject({ since: at(5), expiresAt: sec(185), eventId: "c2" });
  });

  it("soft bounces at or before a soft_escalation removal, arriving late, change nothing", () => {
    // Prepare
    const { state: escalated } = run([soft("s1", 0), soft("s2", 1), soft("s3", 2)]);
    const cleared = applyRemoval(escalated, { at: sec(3), causes: ["soft_escalation"] }).state;
    // Act
    const late = run([soft("s0", -1), soft("s4", 2.5), soft("s5", 3), delivered("d1", 3)], cleared);
    // Assess
    expect(late.outcomes).toEqual(["unchanged", "unchanged", "unchanged", "unchanged"]);
    expect(late.state).toBe(cleared);
  });

  it("provider events never touch a manual cause", () => {
    // Prepare
    const manual = applyManual(emptyEntry(), put(5, 30, "a1", "by hand"));
    const cause = manualOf(manual);
    const events = [
      bounce("b1", 0),
      bounce("b2", 6, "bad_address_format"),
      complaint("c1", 7),
      unsub("u1", 8),
      unsub("r1", 9, true),
      soft("s1", 10),
      soft("s2", 10.5),
      soft("s3", 11),
      delivered("d1", 12),
      soft("s4", 40),
      unsub("r2", 60, true),
      delivered("d2", 100),
    ];
    // Act
    const { state, outcomes } = run(events, manual);
    // Assess
    expect(outcomes).toEqual([
      "suppressed",
      "extended",
      "suppressed",
      "suppressed",
      "lifted",
      "counted",
      "counted",
      "escalated",
      "reset",
      "counted",
      "unchanged",
      "reset",
    ]);
    expect(state.causes.manual).toBe(cause);
    expect(state.causes.manual).toEqual({
      since: at(5),
      lastAt: at(5),
      expiresAt: sec(30),
      verdict: MANUAL_VERDICT,
      source: "admin",
      eventId: "a1",
      rule: "manual",
      eventAt: at(5),
      note: "by hand",
    });
  });

  it("a removed manual cause does not come back through provider events", () => {
    // Prepare
    const manual = applyManual(emptyEntry(), put(1, null));
    const removed = applyRemoval(manual, { at: sec(2), causes: ["manual"] }).state;
    // Act
    const { state } = run([bounce("b1", 3), complaint("c1", 4), unsub("u1", 5)], removed);
    // Assess
    expect(state.causes.manual).toBeUndefined();
    expect(liveCauses(state, sec(6)).map((c) => c.cause)).toEqual(["unsubscribe", "complaint", "bounce"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/** Quarter days over 40 days: equal times and boundaries happen. */
const QUARTERS = 160;
const quarter = (q: number): number => T0 + q * (DAY / 4);
const quarterArb = (min = 0, max = QUARTERS): fc.Arbitrary<number> => fc.integer({ min, max }).map(quarter);

/** Events with distinct ids (prefixed), occurring at times drawn from `timeArb`. */
const eventsArb = (
  prefix: string,
  max: number,
  timeArb: fc.Arbitrary<number> = quarterArb(),
): fc.Arbitrary<NormalizedEvent[]> =>
  fc
    .array(
      fc.tuple(specArb, timeArb, fc.constantFrom("ses", "sendgrid") as fc.Arbitrary<"ses" | "sendgrid">),
      { maxLength: max },
    )
    .map((rows) =>
      rows.map(([spec, t, provider], i) =>
        ev({ ...spec, provider, eventId: `${prefix}${i}`, occurredAt: fromSec(t) }),
      ),
    );

/** A list with the same elements in another order. */
const permutationArb = <T>(items: readonly T[]): fc.Arbitrary<T[]> =>
  fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });

const causesArb: fc.Arbitrary<readonly Cause[] | undefined> = fc.option(fc.subarray([...CAUSES]), {
  nil: undefined,
});

const manualArb = (timeArb: fc.Arbitrary<number>): fc.Arbitrary<ManualSuppression> =>
  fc
    .tuple(timeArb, fc.option(fc.integer({ min: -4, max: 200 }), { nil: null }), fc.option(fc.string()))
    .map(([t, quarters, note]) => ({
      at: t,
      expiresAt: quarters === null ? null : t + quarters * (DAY / 4),
      actionId: "put",
      ...(note === null ? {} : { note }),
    }));

/** What a reader sees at `now` (as in properties.test.ts: an escalation's lastAt and verdict aside). */
function view(state: EntryState, now: number) {
  return liveCauses(state, now).map(({ cause, state: s }) => ({
    cause,
    expiresAt: s.expiresAt,
    lastAt: cause === "soft_escalation" ? null : s.lastAt,
    verdict: cause === "soft_escalation" ? null : s.verdict,
    eventId: cause === "soft_escalation" ? null : s.eventId,
    source: cause === "soft_escalation" ? null : s.source,
  }));
}

/** Epoch seconds of the latest of some events and times (T0 at least). */
const latest = (events: readonly NormalizedEvent[], ...times: number[]): number =>
  Math.max(T0, ...times, ...events.map((e) => Date.parse(e.occurredAt) / 1000));

/**
 * Times to read at, as in properties.test.ts: from the latest event on (a hit older than latest −
 * (window + escalation) is pruned, so what a reader saw before the latest event is not order
 * independent), close to it and far.
 */
const readTimes = (from: number): number[] => [0, 0.25, 1, 2, 5, 8, 20, 40, 400].map((d) => from + d * DAY);

const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 1000) };

describe("admin properties", () => {
  it("(a) after removing every cause at T, events at or before T, in any order, bring none back", () => {
    fc.assert(
      fc.property(
        quarterArb(0, QUARTERS).chain((t) =>
          fc.record({
            t: fc.constant(t),
            // Also a history before the removal: whatever it set, the removal ends it.
            manual: fc.option(manualArb(quarterArb(0, (t - T0) / (DAY / 4)))),
            history: eventsArb("h", 10, quarterArb(0, (t - T0) / (DAY / 4))),
            events: eventsArb("e", 14, quarterArb(0, (t - T0) / (DAY / 4))).chain((es) =>
              fc.tuple(fc.constant(es), permutationArb(es)),
            ),
          }),
        ),
        ({ t, manual, history, events: [events, shuffled] }) => {
          // Prepare
          const start = manual === null ? emptyEntry() : applyManual(emptyEntry(), manual);
          const before = run(history, start).state;
          const removal: Removal = { at: t };
          const { state: cleared } = applyRemoval(before, removal);
          // Act: the history replayed too (late duplicates), then new events, in two orders
          const a = run([...history, ...events], cleared).state;
          const b = run([...shuffled, ...history], cleared).state;
          // Assess
          for (const s of [cleared, a, b]) {
            expect(s.causes).toEqual({});
            expect(s.soft.hits).toEqual({});
            for (const now of [T0, ...readTimes(t)]) expect(liveCauses(s, now)).toEqual([]);
          }
          expect(a.removedAt).toEqual(Object.fromEntries(CAUSES.map((c) => [c, t])));
        },
      ),
      RUNS,
    );
  });

  it("(a') events at or before a removal leave the removed causes as they were left", () => {
    fc.assert(
      fc.property(
        quarterArb(0, QUARTERS).chain((t) =>
          fc.record({
            t: fc.constant(t),
            causes: causesArb,
            history: eventsArb("h", 10),
            events: eventsArb("e", 14, quarterArb(0, (t - T0) / (DAY / 4))),
          }),
        ),
        ({ t, causes, history, events }) => {
          // Prepare
          const before = run(history).state;
          const removal: Removal = causes === undefined ? { at: t } : { at: t, causes };
          const { state: cleared } = applyRemoval(before, removal);
          // Act
          const after = run(events, cleared).state;
          // Assess: a removed cause is either gone or the one kept (newer than t), untouched
          for (const cause of causesOf(removal)) {
            const kept = cleared.causes[cause];
            if (kept === undefined) expect(after.causes[cause]).toBeUndefined();
            else expect(after.causes[cause]).toBe(kept);
          }
          if (causesOf(removal).includes("soft_escalation")) {
            // No soft bounce or delivery at or before the removal counts any more.
            for (const hit of Object.values(cleared.soft.hits)) expect(hit).toBeGreaterThan(t);
            expect(cleared.soft.resetAt).toBeGreaterThanOrEqual(t);
            expect(after.soft).toBe(cleared.soft);
          }
        },
      ),
      RUNS,
    );
  });

  it("(b) events applied after a manual PUT and a removal are order independent", () => {
    fc.assert(
      fc.property(
        fc.record({
          manual: manualArb(quarterArb()),
          history: eventsArb("h", 8),
          removalAt: quarterArb(),
          causes: causesArb,
          events: eventsArb("e", 14).chain((es) => fc.tuple(permutationArb(es), permutationArb(es))),
        }),
        ({ manual, history, removalAt, causes, events: [one, other] }) => {
          // Prepare
          const put1 = applyManual(run(history).state, manual);
          const removal: Removal = causes === undefined ? { at: removalAt } : { at: removalAt, causes };
          const { state: start } = applyRemoval(put1, removal);
          // Act
          const a = run(one, start).state;
          const b = run(other, start).state;
          // Assess
          for (const now of readTimes(latest([...history, ...one], manual.at, removalAt))) {
            expect(view(b, now)).toEqual(view(a, now));
          }
          expect(b.causes.manual).toEqual(a.causes.manual);
          expect(b.causes.manual).toBe(start.causes.manual);
          expect(b.removedAt).toEqual(a.removedAt);
          expect(b.liftedAt).toBe(a.liftedAt);
          expect(b.soft).toEqual(a.soft);
          expect(itemExpiry(b)).toBe(itemExpiry(a));
        },
      ),
      RUNS,
    );
  });

  it("(c) after a removal, an event applied twice is applied once", () => {
    fc.assert(
      fc.property(
        fc.record({
          history: eventsArb("h", 8),
          removalAt: quarterArb(),
          causes: causesArb,
          events: eventsArb("e", 10),
          spec: specArb,
          t: quarterArb(),
          where: fc.nat(),
        }),
        ({ history, removalAt, causes, events, spec, t, where }) => {
          // Prepare
          const removal: Removal = causes === undefined ? { at: removalAt } : { at: removalAt, causes };
          const { state: start } = applyRemoval(run(history).state, removal);
          const event = ev({ ...spec, eventId: "again", occurredAt: fromSec(t) });
          const state = run(events, start).state;
          const withEvent = [...events];
          withEvent.splice(where % (events.length + 1), 0, event);
          // Act
          const once = apply1(state, event);
          const twice = apply1(once.state, event);
          const replayedLater = run([...withEvent, event], start).state;
          // Assess
          expect(twice.state).toBe(once.state);
          expect(["unchanged", "none"]).toContain(twice.outcome);
          for (const now of readTimes(latest([...history, ...events, event], removalAt))) {
            expect(view(replayedLater, now)).toEqual(view(once.state, now));
          }
          expect(replayedLater.soft).toEqual(once.state.soft);
          expect(replayedLater.removedAt).toEqual(once.state.removedAt);
        },
      ),
      RUNS,
    );
  });

  it("(d) a manual cause set before any provider events is identical afterwards", () => {
    fc.assert(
      fc.property(
        manualArb(quarterArb()),
        eventsArb("h", 6),
        eventsArb("e", 16),
        (manual, history, events) => {
          // Prepare
          const start = applyManual(run(history).state, manual);
          const cause = manualOf(start);
          const copy = structuredClone(cause);
          // Act
          const { state } = run(events, start);
          // Assess
          expect(state.causes.manual).toBe(cause);
          expect(state.causes.manual).toEqual(copy);
          expect(cause).toMatchObject({
            since: fromSec(manual.at),
            expiresAt: manual.expiresAt,
            verdict: MANUAL_VERDICT,
            source: "admin",
            rule: "manual",
          });
          const live = manual.expiresAt === null || manual.expiresAt > manual.at;
          expect(liveCauses(state, manual.at).some((c) => c.cause === "manual")).toBe(live);
          if (live) expect(liveCauses(state, manual.at)[0]?.cause).toBe("manual");
        },
      ),
      RUNS,
    );
  });
});
