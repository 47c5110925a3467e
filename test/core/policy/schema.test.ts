import { describe, expect, it } from "vitest";
import {
  DEFAULT_POLICY,
  PolicyError,
  PolicySchema,
  parsePolicy,
} from "../../../lambdas/core/policy/index.js";

function issuesOf(doc: unknown): { path: string; message: string }[] {
  try {
    parsePolicy(doc);
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyError);
    return [...(err as PolicyError).issues];
  }
  throw new Error("expected parsePolicy to throw");
}

describe("DEFAULT_POLICY", () => {
  it("is the table of design.md §3", () => {
    expect(DEFAULT_POLICY).toEqual({
      bounce: {
        rules: [
          { reasons: ["user_unknown", "has_moved", "suspend"], expiresAfterDays: 365 },
          { reasons: ["host_unknown", "not_accept"], expiresAfterDays: 30 },
          { reasons: ["bad_address_format"], expiresAfterDays: null },
          { reasons: ["suppressed"], expiresAfterDays: 90 },
        ],
      },
      softBounce: {
        reasons: [
          "mailbox_full",
          "suspend",
          "system_full",
          "system_error",
          "mailer_error",
          "network_error",
          "expired",
          "filtered",
          "no_relaying",
        ],
        threshold: 3,
        windowDays: 14,
        suppressForDays: 7,
      },
      complaint: { expiresAfterDays: 180, ignoreFeedbackTypes: ["not-spam"] },
      unsubscribe: { expiresAfterDays: null, suppressRefusals: true },
      history: { keepDays: 30 },
    });
  });

  it("is a valid, deeply frozen document", () => {
    expect(PolicySchema.safeParse(DEFAULT_POLICY).success).toBe(true);
    expect(Object.isFrozen(DEFAULT_POLICY.bounce.rules[0]?.reasons)).toBe(true);
  });
});

describe("parsePolicy", () => {
  it("gives the defaults for an empty document", () => {
    expect(parsePolicy({})).toEqual(DEFAULT_POLICY);
  });

  it("replaces a present section as a whole and keeps the other defaults", () => {
    // Prepare
    const complaint = { expiresAfterDays: 30, ignoreFeedbackTypes: [] };
    const bounce = { rules: [{ reasons: ["user_unknown"], expiresAfterDays: null }] };
    // Act
    const policy = parsePolicy({ complaint, bounce });
    // Assess
    expect(policy.complaint).toEqual(complaint);
    expect(policy.bounce).toEqual(bounce);
    expect(policy.softBounce).toEqual(DEFAULT_POLICY.softBounce);
    expect(policy.unsubscribe).toEqual(DEFAULT_POLICY.unsubscribe);
    expect(policy.history).toEqual(DEFAULT_POLICY.history);
  });

  it("round-trips the full default document through JSON", () => {
    expect(parsePolicy(JSON.parse(JSON.stringify(DEFAULT_POLICY)))).toEqual(DEFAULT_POLICY);
  });

  it.each<[string, unknown, string]>([
    ["not an object", "policy", ""],
    ["null", null, ""],
    ["an array", [], ""],
    ["an unknown section", { bounces: {} }, ""],
    [
      "an incomplete section",
      { softBounce: { threshold: 3, windowDays: 14, suppressForDays: 7 } },
      "softBounce.reasons",
    ],
    ["an unknown key inside a section", { history: { keepDays: 30, keepForever: true } }, "history"],
    [
      "a negative expiry",
      { complaint: { expiresAfterDays: -1, ignoreFeedbackTypes: [] } },
      "complaint.expiresAfterDays",
    ],
    [
      "a zero window",
      { softBounce: { ...DEFAULT_POLICY.softBounce, windowDays: 0 } },
      "softBounce.windowDays",
    ],
    [
      "a fractional threshold",
      { softBounce: { ...DEFAULT_POLICY.softBounce, threshold: 2.5 } },
      "softBounce.threshold",
    ],
    [
      "a zero threshold",
      { softBounce: { ...DEFAULT_POLICY.softBounce, threshold: 0 } },
      "softBounce.threshold",
    ],
    [
      "a string for days",
      { unsubscribe: { expiresAfterDays: "never", suppressRefusals: true } },
      "unsubscribe.expiresAfterDays",
    ],
    ["a missing never (undefined is not null)", { history: {} }, "history.keepDays"],
    ["an absurd expiry", { history: { keepDays: 1e9 } }, "history.keepDays"],
    [
      "an unknown reason",
      { bounce: { rules: [{ reasons: ["user_unknwon"], expiresAfterDays: 1 }] } },
      "bounce.rules.0.reasons.0",
    ],
    [
      "an empty rule",
      { bounce: { rules: [{ reasons: [], expiresAfterDays: 1 }] } },
      "bounce.rules.0.reasons",
    ],
    [
      "a reason in two bounce rules",
      {
        bounce: {
          rules: [
            { reasons: ["user_unknown"], expiresAfterDays: 1 },
            { reasons: ["host_unknown", "user_unknown"], expiresAfterDays: 2 },
          ],
        },
      },
      "bounce.rules.1.reasons.1",
    ],
    [
      "unsubscribed as a bounce reason",
      { bounce: { rules: [{ reasons: ["unsubscribed"], expiresAfterDays: 1 }] } },
      "bounce.rules.0.reasons.0",
    ],
    [
      "an unknown feedback type",
      { complaint: { expiresAfterDays: 1, ignoreFeedbackTypes: ["not_spam"] } },
      "complaint.ignoreFeedbackTypes.0",
    ],
  ])("refuses %s, naming the path", (_name, doc, path) => {
    // Act
    const issues = issuesOf(doc);
    // Assess
    expect(issues.map((i) => i.path)).toContain(path);
    for (const issue of issues) expect(issue.message).not.toBe("");
  });

  it("lists every problem in the error message", () => {
    // Prepare
    const doc = { history: { keepDays: -1 }, complaint: { expiresAfterDays: 1, ignoreFeedbackTypes: [1] } };
    // Act
    const act = () => parsePolicy(doc);
    // Assess
    expect(act).toThrow(/history\.keepDays: Too small/);
    expect(act).toThrow(/complaint\.ignoreFeedbackTypes\.0: Invalid option/);
  });
});
