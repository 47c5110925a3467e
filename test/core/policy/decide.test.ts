import { describe, expect, it } from "vitest";
import { NormalizedEventSchema } from "../../../lambdas/core/events.js";
import type { Decision } from "../../../lambdas/core/ledger/types.js";
import { DEFAULT_POLICY, decide, type Policy, parsePolicy } from "../../../lambdas/core/policy/index.js";
import { REASON_IDS, type Reason } from "../../../lambdas/core/taxonomy.js";
import { DAY, ev, T0 } from "../ledger/events.js";

const SOFT_WINDOW = { threshold: 3, windowSeconds: 14 * DAY, escalateForSeconds: 7 * DAY };

describe("decide: the rows of design.md §3", () => {
  it("builds valid events in these tests", () => {
    expect(NormalizedEventSchema.safeParse(ev()).success).toBe(true);
  });

  it.each<[Reason, number | null]>([
    ["user_unknown", 365],
    ["has_moved", 365],
    ["suspend", 365],
    ["host_unknown", 30],
    ["not_accept", 30],
    ["bad_address_format", null],
    ["suppressed", 90],
  ])("invalid/%s suppresses the address at * for %s days", (reason, days) => {
    // Prepare
    const event = ev({ type: "invalid", reason });
    // Act
    const decision = decide(event, DEFAULT_POLICY);
    // Assess
    expect(decision).toEqual({
      action: "suppress",
      cause: "bounce",
      scope: "*",
      expiresAt: days === null ? null : T0 + days * DAY,
    });
  });

  it("suppresses at * even when a bounce carries another scope", () => {
    const decision = decide(
      ev({ type: "invalid", reason: "user_unknown", scope: "newsletter" }),
      DEFAULT_POLICY,
    );
    expect(decision).toMatchObject({ action: "suppress", scope: "*" });
  });

  it.each<Reason>([
    "mailbox_full",
    "suspend",
    "system_full",
    "system_error",
    "mailer_error",
    "network_error",
    "expired",
    "filtered",
    "no_relaying",
  ])("soft_bounce/%s counts toward escalation (3 in 14 days → 7 days)", (reason) => {
    const decision = decide(ev({ type: "soft_bounce", subtype: "other", reason }), DEFAULT_POLICY);
    expect(decision).toEqual({ action: "count_soft", scope: "*", ...SOFT_WINDOW });
  });

  it("complaint suppresses at * for 180 days, whatever the event's scope", () => {
    const event = ev({ type: "complaint", subtype: null, reason: null, feedbackType: "abuse", scope: "x" });
    expect(decide(event, DEFAULT_POLICY)).toEqual({
      action: "suppress",
      cause: "complaint",
      scope: "*",
      expiresAt: T0 + 180 * DAY,
    });
  });

  it("complaint without a feedback type suppresses too", () => {
    const event = ev({ type: "complaint", subtype: null, reason: null, feedbackType: null });
    expect(decide(event, DEFAULT_POLICY)).toMatchObject({ action: "suppress", cause: "complaint" });
  });

  it("a not-spam feedback report does not suppress", () => {
    const event = ev({ type: "complaint", subtype: null, reason: null, feedbackType: "not-spam" });
    expect(decide(event, DEFAULT_POLICY)).toMatchObject({ action: "none" });
  });

  it.each(["*", "newsletter", "newsletter/product-updates"])(
    "unsubscribe suppresses its own scope %s, never expiring",
    (scope) => {
      const event = ev({ type: "unsubscribe", subtype: null, reason: null, scope });
      expect(decide(event, DEFAULT_POLICY)).toEqual({
        action: "suppress",
        cause: "unsubscribe",
        scope,
        expiresAt: null,
      });
    },
  );

  it("a resubscribe lifts the unsubscribe of its scope", () => {
    const event = ev({
      type: "unsubscribe",
      subtype: null,
      reason: null,
      scope: "asm-42",
      resubscribe: true,
    });
    expect(decide(event, DEFAULT_POLICY)).toEqual({ action: "lift", cause: "unsubscribe", scope: "asm-42" });
  });

  it("delivered resets the soft-bounce count at *", () => {
    const event = ev({ type: "delivered", subtype: null, reason: null });
    expect(decide(event, DEFAULT_POLICY)).toEqual({
      action: "reset_soft",
      scope: "*",
      threshold: 3,
      windowSeconds: 14 * DAY,
    });
  });

  it("a request says nothing", () => {
    const event = ev({ type: "request", subtype: null, reason: null });
    expect(decide(event, DEFAULT_POLICY)).toMatchObject({ action: "none", why: expect.any(String) });
  });
});

describe("decide: failures that are not the recipient's fault never suppress", () => {
  const bounceReasons = new Set<Reason>(DEFAULT_POLICY.bounce.rules.flatMap((r) => r.reasons));
  const otherInvalid = REASON_IDS.filter((r) => !bounceReasons.has(r) && r !== "unsubscribed");
  const softReasons = new Set<Reason>(DEFAULT_POLICY.softBounce.reasons);
  const otherSoft = REASON_IDS.filter((r) => !softReasons.has(r));

  it("covers the blocked, auth, spam, rate-limit and size reasons", () => {
    for (const r of ["blocked", "auth_failure", "spam_detected", "speeding", "mesg_too_big"] as const) {
      expect(otherSoft).toContain(r);
      expect(otherInvalid).toContain(r);
    }
  });

  it.each(otherInvalid)("invalid/%s → none, with why", (reason) => {
    const decision = decide(ev({ type: "invalid", subtype: "other", reason }), DEFAULT_POLICY);
    expect(decision).toEqual({ action: "none", why: expect.stringContaining(reason) });
  });

  it.each(otherSoft)("soft_bounce/%s → none, with why", (reason) => {
    const decision = decide(ev({ type: "soft_bounce", subtype: "other", reason }), DEFAULT_POLICY);
    expect(decision).toEqual({ action: "none", why: expect.stringContaining(reason) });
  });

  it.each(["invalid", "soft_bounce"] as const)("%s without a fine reason → none", (type) => {
    expect(decide(ev({ type, reason: null }), DEFAULT_POLICY)).toMatchObject({ action: "none" });
  });
});

describe("decide: invalid/unsubscribed (the ESP refused because the address unsubscribed)", () => {
  it("suppresses as an unsubscribe of the event's scope, never expiring", () => {
    const event = ev({ type: "invalid", subtype: "unsubscribed", reason: "unsubscribed", scope: "asm-7" });
    expect(decide(event, DEFAULT_POLICY)).toEqual({
      action: "suppress",
      cause: "unsubscribe",
      scope: "asm-7",
      expiresAt: null,
    });
  });

  it("does nothing when the policy turns refusals off", () => {
    // Prepare
    const policy = parsePolicy({ unsubscribe: { expiresAfterDays: null, suppressRefusals: false } });
    const event = ev({ type: "invalid", subtype: "unsubscribed", reason: "unsubscribed" });
    // Act
    const decision = decide(event, policy);
    // Assess
    expect(decision).toMatchObject({ action: "none" });
  });
});

describe("decide: every number comes from the policy", () => {
  const policy: Policy = parsePolicy({
    bounce: { rules: [{ reasons: ["blocked"], expiresAfterDays: 2 }] },
    softBounce: { reasons: ["speeding"], threshold: 5, windowDays: 1.5, suppressForDays: 0.5 },
    complaint: { expiresAfterDays: null, ignoreFeedbackTypes: [] },
    unsubscribe: { expiresAfterDays: 10, suppressRefusals: true },
  });

  it.each<[string, Parameters<typeof ev>[0], Decision]>([
    [
      "configured bounce reason",
      { type: "invalid", reason: "blocked" },
      { action: "suppress", cause: "bounce", scope: "*", expiresAt: T0 + 2 * DAY },
    ],
    [
      "a default bounce reason left out",
      { type: "invalid", reason: "user_unknown" },
      expect.objectContaining({ action: "none" }),
    ],
    [
      "configured soft reason",
      { type: "soft_bounce", reason: "speeding" },
      {
        action: "count_soft",
        scope: "*",
        threshold: 5,
        windowSeconds: 1.5 * DAY,
        escalateForSeconds: 0.5 * DAY,
      },
    ],
    [
      "complaint never expiring, not-spam counted",
      { type: "complaint", reason: null, feedbackType: "not-spam" },
      { action: "suppress", cause: "complaint", scope: "*", expiresAt: null },
    ],
    [
      "unsubscribe for 10 days",
      { type: "unsubscribe", reason: null, scope: "n" },
      { action: "suppress", cause: "unsubscribe", scope: "n", expiresAt: T0 + 10 * DAY },
    ],
  ])("%s", (_name, over, expected) => {
    expect(decide(ev(over), policy)).toEqual(expected);
  });

  it("computes expiry from occurredAt with its offset, floored to the second", () => {
    const event = ev({ occurredAt: "2026-01-01T02:00:00.999+02:00" });
    expect(decide(event, DEFAULT_POLICY)).toMatchObject({ expiresAt: T0 + 365 * DAY });
  });
});
