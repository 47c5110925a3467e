import { describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../../lambdas/core/events.js";
import {
  applyDecision,
  type EntryState,
  emptyEntry,
  isEmpty,
  itemExpiry,
  liveCauses,
  type Outcome,
} from "../../../lambdas/core/ledger/index.js";
import { DEFAULT_POLICY, decide } from "../../../lambdas/core/policy/index.js";
import { at, bounce, complaint, DAY, delivered, ev, soft, T0, unsub } from "./events.js";

/** Applies each event's default-policy decision in turn; returns the last state and every outcome. */
function run(events: NormalizedEvent[], from: EntryState = emptyEntry()) {
  let state = from;
  const outcomes: Outcome[] = [];
  for (const event of events) {
    const applied = applyDecision(state, event, decide(event, DEFAULT_POLICY));
    state = applied.state;
    outcomes.push(applied.outcome);
  }
  return { state, outcomes };
}

describe("applyDecision: suppress", () => {
  it("suppresses an empty entry with the event's verdict", () => {
    // Act
    const { state, outcomes } = run([bounce("b1", 0)]);
    // Assess
    expect(outcomes).toEqual(["suppressed"]);
    expect(state.causes.bounce).toEqual({
      since: at(0),
      lastAt: at(0),
      expiresAt: T0 + 365 * DAY,
      verdict: { type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown" },
      source: "ses",
      eventId: "b1",
      rule: "test",
      eventAt: at(0),
    });
  });

  it("extends with a later repeat, keeping since", () => {
    const { state, outcomes } = run([bounce("b1", 0), bounce("b2", 10)]);
    expect(outcomes).toEqual(["suppressed", "extended"]);
    expect(state.causes.bounce).toMatchObject({
      since: at(0),
      lastAt: at(10),
      expiresAt: T0 + 375 * DAY,
      eventId: "b2",
    });
  });

  it("never shortens or weakens: a later weaker bounce leaves expiry and verdict", () => {
    // Act
    const { state, outcomes } = run([bounce("b1", 0), bounce("b2", 10, "host_unknown")]);
    // Assess
    expect(outcomes).toEqual(["suppressed", "unchanged"]);
    expect(state.causes.bounce).toMatchObject({
      expiresAt: T0 + 365 * DAY,
      eventId: "b1",
      verdict: { reason: "user_unknown" },
      lastAt: at(10),
    });
  });

  it("a stronger later bounce takes over the verdict", () => {
    const { state, outcomes } = run([bounce("b1", 0, "host_unknown"), bounce("b2", 10)]);
    expect(outcomes).toEqual(["suppressed", "extended"]);
    expect(state.causes.bounce).toMatchObject({ since: at(0), eventId: "b2", expiresAt: T0 + 375 * DAY });
  });

  it("never (null) outlasts every finite expiry", () => {
    const { state, outcomes } = run([bounce("b1", 0, "bad_address_format"), bounce("b2", 10)]);
    expect(outcomes).toEqual(["suppressed", "unchanged"]);
    expect(state.causes.bounce).toMatchObject({ expiresAt: null, eventId: "b1" });
  });

  it("an older event arriving late moves since back but nothing else", () => {
    const { state, outcomes } = run([bounce("b2", 10), bounce("b1", 0)]);
    expect(outcomes).toEqual(["suppressed", "unchanged"]);
    expect(state.causes.bounce).toMatchObject({ since: at(0), lastAt: at(10), eventId: "b2" });
  });

  it("ties on expiry go to the later event", () => {
    // Prepare: host_unknown (30 d) at day 335 expires with user_unknown (365 d) at day 0
    const early = bounce("b1", 0);
    const late = bounce("b2", 335, "host_unknown");
    // Act
    const a = run([early, late]).state.causes.bounce;
    const b = run([late, early]).state.causes.bounce;
    // Assess
    expect(a).toMatchObject({ eventId: "b2", expiresAt: T0 + 365 * DAY });
    expect(b).toEqual(a);
  });

  it("an expired cause set again starts a new life", () => {
    const { state, outcomes } = run([bounce("b1", 0, "host_unknown"), bounce("b2", 40, "host_unknown")]);
    expect(outcomes).toEqual(["suppressed", "suppressed"]);
    expect(state.causes.bounce).toMatchObject({ since: at(40), lastAt: at(40), expiresAt: T0 + 70 * DAY });
  });

  it("an old life that ended before the current one began changes nothing", () => {
    // Prepare
    const { state: before } = run([bounce("b2", 40, "host_unknown")]);
    // Act
    const after = run([bounce("b1", 0, "host_unknown")], before);
    // Assess
    expect(after.outcomes).toEqual(["unchanged"]);
    expect(after.state).toBe(before);
  });

  it("keeps causes apart: a complaint does not touch the bounce", () => {
    const { state } = run([bounce("b1", 0), complaint("c1", 1)]);
    expect(liveCauses(state, T0 + 2 * DAY).map((c) => c.cause)).toEqual(["complaint", "bounce"]);
    expect(state.causes.complaint?.expiresAt).toBe(T0 + 181 * DAY);
  });

  it("a replay returns the very same state", () => {
    const once = run([bounce("b1", 0)]).state;
    const twice = run([bounce("b1", 0)], once);
    expect(twice.state).toBe(once);
    expect(twice.outcomes).toEqual(["unchanged"]);
  });
});

describe("applyDecision: soft bounces", () => {
  it("counts, then escalates at the third within 14 days for 7 days after the last", () => {
    // Act
    const { state, outcomes } = run([soft("s1", 0), soft("s2", 5), soft("s3", 13)]);
    // Assess
    expect(outcomes).toEqual(["counted", "counted", "escalated"]);
    expect(state.causes.soft_escalation).toMatchObject({
      since: at(0),
      lastAt: at(13),
      expiresAt: T0 + 20 * DAY,
      verdict: { type: "soft_bounce", reason: "mailbox_full" },
    });
  });

  it("does not escalate when the three are spread over more than 14 days", () => {
    const { state, outcomes } = run([soft("s1", 0), soft("s2", 7), soft("s3", 14.5)]);
    expect(outcomes).toEqual(["counted", "counted", "counted"]);
    expect(state.causes.soft_escalation).toBeUndefined();
    expect(Object.keys(state.soft.hits).sort()).toEqual(["s1", "s2", "s3"]);
  });

  it("counts soft bounces whose event ids are prototype names (issue #9, defect 4)", () => {
    // Act
    const { state, outcomes } = run([soft("__proto__", 0), soft("constructor", 5), soft("toString", 13)]);
    // Assess
    expect(outcomes).toEqual(["counted", "counted", "escalated"]);
    expect(Object.getPrototypeOf(state.soft.hits)).toBe(Object.prototype);
    expect(Object.keys(state.soft.hits).sort()).toEqual(["__proto__", "constructor", "toString"]);
    expect(run([soft("__proto__", 0), soft("__proto__", 0)]).outcomes).toEqual(["counted", "unchanged"]);
  });

  it("counts a replayed soft bounce once", () => {
    const { state, outcomes } = run([soft("s1", 0), soft("s1", 0), soft("s2", 1)]);
    expect(outcomes).toEqual(["counted", "unchanged", "counted"]);
    expect(state.causes.soft_escalation).toBeUndefined();
  });

  it("extends the escalation with each further soft bounce", () => {
    const { state, outcomes } = run([soft("s1", 0), soft("s2", 1), soft("s3", 2), soft("s4", 3)]);
    expect(outcomes).toEqual(["counted", "counted", "escalated", "escalated"]);
    expect(state.causes.soft_escalation).toMatchObject({ since: at(0), expiresAt: T0 + 10 * DAY });
  });

  it("an old soft bounce arriving late can complete a window; the expiry follows the window's last", () => {
    const { state, outcomes } = run([soft("s3", 10), soft("s2", 5), soft("s1", 1)]);
    expect(outcomes).toEqual(["counted", "counted", "escalated"]);
    expect(state.causes.soft_escalation).toMatchObject({
      since: at(1),
      lastAt: at(10),
      expiresAt: T0 + 17 * DAY,
    });
  });

  it("prunes hits that can no longer matter (older than latest − window − escalation)", () => {
    const { state, outcomes } = run([soft("s1", 0), soft("s2", 30), soft("s0", 1)]);
    expect(outcomes).toEqual(["counted", "counted", "unchanged"]);
    expect(Object.keys(state.soft.hits)).toEqual(["s2"]);
  });

  it("ignores soft bounces at or before the last delivery", () => {
    const { state, outcomes } = run([delivered("d1", 5), soft("s1", 1), soft("s2", 5), soft("s3", 6)]);
    expect(outcomes).toEqual(["unchanged", "unchanged", "unchanged", "counted"]);
    expect(Object.keys(state.soft.hits)).toEqual(["s3"]);
  });
});

describe("applyDecision: delivered", () => {
  it("resets the count and ends the escalation, and nothing else", () => {
    // Prepare
    const { state: before } = run([bounce("b1", 0), soft("s1", 1), soft("s2", 2), soft("s3", 3)]);
    // Act
    const { state, outcomes } = run([delivered("d1", 4)], before);
    // Assess
    expect(outcomes).toEqual(["reset"]);
    expect(state.causes.soft_escalation).toBeUndefined();
    expect(state.causes.bounce).toBe(before.causes.bounce);
    expect(state.soft).toEqual({ hits: {}, resetAt: T0 + 4 * DAY });
  });

  it("keeps an escalation whose threshold is still reached after the delivery", () => {
    const events = [soft("s1", 1), soft("s2", 2), soft("s3", 3), soft("s4", 4)];
    const { state, outcomes } = run([...events, delivered("d1", 1.5)]);
    expect(outcomes.at(-1)).toBe("reset");
    expect(state.causes.soft_escalation?.expiresAt).toBe(T0 + 11 * DAY);
    expect(Object.keys(state.soft.hits).sort()).toEqual(["s2", "s3", "s4"]);
  });

  it("ends an escalation when fewer than the threshold follow the delivery, in any order", () => {
    // Prepare: one soft bounce after the delivery is not an escalation (it would not be if they came in order)
    const events = [soft("s1", 1), soft("s2", 2), soft("s3", 3)];
    // Act
    const late = run([...events, delivered("d1", 2.5)]).state;
    const inOrder = run([soft("s1", 1), soft("s2", 2), delivered("d1", 2.5), soft("s3", 3)]).state;
    // Assess
    expect(late.causes.soft_escalation).toBeUndefined();
    expect(inOrder.causes.soft_escalation).toBeUndefined();
    expect(late.soft).toEqual(inOrder.soft);
  });

  it("an older delivery after a newer one changes nothing", () => {
    const { state: before } = run([delivered("d2", 10)]);
    const after = run([delivered("d1", 5)], before);
    expect(after.state).toBe(before);
    expect(after.outcomes).toEqual(["unchanged"]);
  });

  it("records the delivery time on an empty entry, so older soft bounces arriving later do not count", () => {
    const { state, outcomes } = run([delivered("d1", 5)]);
    expect(outcomes).toEqual(["unchanged"]);
    expect(state.soft.resetAt).toBe(T0 + 5 * DAY);
  });
});

describe("applyDecision: resubscribe", () => {
  it("lifts an older unsubscribe", () => {
    const { state, outcomes } = run([unsub("u1", 0), unsub("r1", 1, true)]);
    expect(outcomes).toEqual(["suppressed", "lifted"]);
    expect(state.causes.unsubscribe).toBeUndefined();
    expect(state.liftedAt).toBe(T0 + DAY);
  });

  it("does not lift a newer unsubscribe", () => {
    const { state, outcomes } = run([unsub("u1", 2), unsub("r1", 1, true)]);
    expect(outcomes).toEqual(["suppressed", "unchanged"]);
    expect(state.causes.unsubscribe?.eventId).toBe("u1");
  });

  it("ignores an unsubscribe older than the resubscribe that arrives after it", () => {
    const { state, outcomes } = run([unsub("r1", 1, true), unsub("u1", 0)]);
    expect(outcomes).toEqual(["unchanged", "unchanged"]);
    expect(state.causes.unsubscribe).toBeUndefined();
  });

  it("lifts only the unsubscribe cause", () => {
    const { state } = run([complaint("c1", 0), unsub("u1", 0), unsub("r1", 1, true)]);
    expect(Object.keys(state.causes)).toEqual(["complaint"]);
  });

  it("an ESP refusal of an unsubscribed address is an unsubscribe a resubscribe lifts", () => {
    const refusal = ev({ eventId: "x1", type: "invalid", subtype: "unsubscribed", reason: "unsubscribed" });
    const { state, outcomes } = run([refusal, unsub("r1", 1, true)]);
    expect(outcomes).toEqual(["suppressed", "lifted"]);
    expect(state.causes.unsubscribe).toBeUndefined();
  });
});

describe("applyDecision: none", () => {
  it("returns the same state", () => {
    const before = run([bounce("b1", 0)]).state;
    const after = run([ev({ type: "invalid", reason: "blocked", eventId: "x" })], before);
    expect(after.outcomes).toEqual(["none"]);
    expect(after.state).toBe(before);
  });
});

describe("liveCauses", () => {
  it("sorts strongest first and drops causes expired at now (expiresAt <= now)", () => {
    // Prepare
    const { state } = run([
      soft("s1", 0),
      soft("s2", 0),
      soft("s3", 0),
      bounce("b1", 0, "host_unknown"),
      complaint("c1", 0),
      unsub("u1", 0),
    ]);
    // Act
    const at7 = liveCauses(state, T0 + 7 * DAY - 1).map((c) => c.cause);
    const atExpiry = liveCauses(state, T0 + 7 * DAY).map((c) => c.cause);
    const later = liveCauses(state, T0 + 200 * DAY).map((c) => c.cause);
    // Assess
    expect(at7).toEqual(["unsubscribe", "complaint", "bounce", "soft_escalation"]);
    expect(atExpiry).toEqual(["unsubscribe", "complaint", "bounce"]);
    expect(later).toEqual(["unsubscribe"]);
  });

  it("puts a manual entry first", () => {
    const { state } = run([complaint("c1", 0)]);
    const manual = { ...state.causes.complaint, expiresAt: null } as NonNullable<
      typeof state.causes.complaint
    >;
    const withManual: EntryState = { ...state, causes: { ...state.causes, manual } };
    expect(liveCauses(withManual, T0).map((c) => c.cause)).toEqual(["manual", "complaint"]);
  });
});

describe("itemExpiry and isEmpty", () => {
  it("is null when a cause never expires", () => {
    expect(itemExpiry(run([complaint("c1", 0), unsub("u1", 0)]).state)).toBeNull();
  });

  it("is the latest cause expiry", () => {
    expect(itemExpiry(run([complaint("c1", 0), bounce("b1", 0)]).state)).toBe(T0 + 365 * DAY);
  });

  it("covers the soft-bounce window and the tombstones", () => {
    expect(itemExpiry(run([soft("s1", 0)]).state)).toBe(T0 + 14 * DAY);
    expect(itemExpiry(run([delivered("d1", 1)]).state)).toBe(T0 + 31 * DAY);
    expect(itemExpiry(run([unsub("u1", 0), unsub("r1", 2, true)]).state)).toBe(T0 + 32 * DAY);
  });

  it("has nothing to keep for an empty entry", () => {
    expect(isEmpty(emptyEntry())).toBe(true);
    expect(itemExpiry(emptyEntry())).toBeNull();
    expect(isEmpty(run([delivered("d1", 1)]).state)).toBe(false);
  });
});
