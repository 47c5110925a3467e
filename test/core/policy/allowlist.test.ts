/**
 * The allowlist in the core (core/policy/allowlist.ts): which addresses a list covers (a listed
 * address, any address of a listed domain, nothing else: the exact domain only) and which
 * decisions it turns into `none` (`suppress`, `count_soft`) or leaves standing (`reset_soft`,
 * `lift`, `none`), for decisions made by `decide` and written out by hand.
 */
import { describe, expect, it } from "vitest";
import type { Decision } from "../../../lambdas/core/ledger/types.js";
import {
  ALLOWLISTED,
  type Allowlist,
  allowlistDecision,
  EMPTY_ALLOWLIST,
  isAllowlisted,
} from "../../../lambdas/core/policy/allowlist.js";
import { DEFAULT_POLICY, decide } from "../../../lambdas/core/policy/index.js";
import { bounce, complaint, DAY, delivered, soft, T0, unsub } from "../ledger/events.js";

const LISTED_ADDRESS = "seed@example.org";
const LISTED_DOMAIN = "seeds.example.net";

const LIST: Allowlist = {
  addresses: new Set([LISTED_ADDRESS]),
  domains: new Set([LISTED_DOMAIN]),
};

/** Addresses the list covers, with why. */
const COVERED: readonly (readonly [string, string])[] = [
  ["the listed address", LISTED_ADDRESS],
  ["an address of the listed domain", `anyone@${LISTED_DOMAIN}`],
  ["another address of the listed domain", `seed@${LISTED_DOMAIN}`],
];

/** Addresses the list does not cover, with why. */
const NOT_COVERED: readonly (readonly [string, string])[] = [
  ["another address of the listed address's domain", "other@example.org"],
  ["the listed local part at another domain", "seed@example.com"],
  ["an address of a sub-domain of the listed domain", `anyone@mx.${LISTED_DOMAIN}`],
  ["an address of the listed domain's parent", "anyone@example.net"],
  ["an address of a domain ending in the listed one", `anyone@not${LISTED_DOMAIN}`],
  ["an address whose local part is the listed domain", `${LISTED_DOMAIN}@example.com`],
];

/** One decision of every kind, written out. */
const SUPPRESS_BOUNCE: Decision = {
  action: "suppress",
  cause: "bounce",
  scope: "*",
  expiresAt: T0 + 365 * DAY,
};
const SUPPRESS_COMPLAINT: Decision = { action: "suppress", cause: "complaint", scope: "*", expiresAt: null };
const SUPPRESS_UNSUBSCRIBE: Decision = {
  action: "suppress",
  cause: "unsubscribe",
  scope: "newsletter",
  expiresAt: null,
};
const COUNT_SOFT: Decision = {
  action: "count_soft",
  scope: "*",
  threshold: 3,
  windowSeconds: 14 * DAY,
  escalateForSeconds: 7 * DAY,
};
const RESET_SOFT: Decision = { action: "reset_soft", scope: "*", threshold: 3, windowSeconds: 14 * DAY };
const LIFT: Decision = { action: "lift", cause: "unsubscribe", scope: "newsletter" };
const NONE: Decision = { action: "none", why: "the policy ignores opens" };

const SUPPRESSING: readonly (readonly [string, Decision])[] = [
  ["suppress (bounce)", SUPPRESS_BOUNCE],
  ["suppress (complaint)", SUPPRESS_COMPLAINT],
  ["suppress (unsubscribe at a scope)", SUPPRESS_UNSUBSCRIBE],
  ["count_soft", COUNT_SOFT],
];
const STANDING: readonly (readonly [string, Decision])[] = [
  ["reset_soft", RESET_SOFT],
  ["lift", LIFT],
  ["none", NONE],
];
const EVERY_KIND = [...SUPPRESSING, ...STANDING];

describe("isAllowlisted", () => {
  it.each(COVERED)("covers %s (%s)", (_name, address) => {
    expect(isAllowlisted(LIST, address)).toBe(true);
  });

  it.each(NOT_COVERED)("does not cover %s (%s)", (_name, address) => {
    expect(isAllowlisted(LIST, address)).toBe(false);
  });

  it("the empty list covers nothing, not even the listed subjects of another list", () => {
    expect(isAllowlisted(EMPTY_ALLOWLIST, LISTED_ADDRESS)).toBe(false);
    expect(isAllowlisted(EMPTY_ALLOWLIST, `anyone@${LISTED_DOMAIN}`)).toBe(false);
    expect(EMPTY_ALLOWLIST.addresses.size).toBe(0);
    expect(EMPTY_ALLOWLIST.domains.size).toBe(0);
  });

  it("a domain on the address list covers no address of it; an address on the domain list covers none", () => {
    // Prepare: subjects on the wrong list
    const crossed: Allowlist = { addresses: new Set([LISTED_DOMAIN]), domains: new Set([LISTED_ADDRESS]) };
    // Act & Assess
    expect(isAllowlisted(crossed, `anyone@${LISTED_DOMAIN}`)).toBe(false);
    expect(isAllowlisted(crossed, LISTED_ADDRESS)).toBe(false);
  });
});

describe("allowlistDecision", () => {
  it("names the allowlist in its why", () => {
    expect(ALLOWLISTED.startsWith("allowlisted")).toBe(true);
  });

  describe.each(COVERED)("for %s (%s)", (_name, address) => {
    it.each(SUPPRESSING)("%s becomes none, allowlisted", (_kind, decision) => {
      // Act
      const result = allowlistDecision(decision, address, LIST);
      // Assess
      expect(result).toEqual({ action: "none", why: ALLOWLISTED });
    });

    it.each(STANDING)("%s stands as it is", (_kind, decision) => {
      // Act
      const result = allowlistDecision(decision, address, LIST);
      // Assess
      expect(result).toBe(decision);
      expect(result).toEqual(decision);
    });
  });

  describe.each(NOT_COVERED)("for %s (%s)", (_name, address) => {
    it.each(EVERY_KIND)("%s stands as it is", (_kind, decision) => {
      // Act
      const result = allowlistDecision(decision, address, LIST);
      // Assess
      expect(result).toBe(decision);
      expect(result).toEqual(decision);
    });
  });

  it.each(EVERY_KIND)("with the empty list, %s stands for the listed address", (_kind, decision) => {
    expect(allowlistDecision(decision, LISTED_ADDRESS, EMPTY_ALLOWLIST)).toBe(decision);
  });

  describe("applied to what decide says for real events", () => {
    const cases = [
      ["a hard bounce", bounce("b1", 0), "suppress"],
      ["a complaint", complaint("c1", 0), "suppress"],
      ["an unsubscribe", unsub("u1", 0), "suppress"],
      ["a soft bounce", soft("s1", 0), "count_soft"],
      ["a delivery", delivered("d1", 0), "reset_soft"],
      ["a resubscribe", unsub("r1", 0, true), "lift"],
    ] as const;

    it.each(cases)("%s: decide says %s (the precondition of these cases)", (_name, event, action) => {
      expect(decide(event, DEFAULT_POLICY).action).toBe(action);
    });

    it.each(cases)("%s of a listed address, of the domain, and of neither", (_name, event, action) => {
      // Prepare
      const decision = decide(event, DEFAULT_POLICY);
      const suppressing = action === "suppress" || action === "count_soft";
      // Act
      const listed = allowlistDecision(decision, LISTED_ADDRESS, LIST);
      const ofDomain = allowlistDecision(decision, `x@${LISTED_DOMAIN}`, LIST);
      const ofSubDomain = allowlistDecision(decision, `x@sub.${LISTED_DOMAIN}`, LIST);
      const unlisted = allowlistDecision(decision, "jdoe@example.org", LIST);
      // Assess
      const expected = suppressing ? { action: "none", why: ALLOWLISTED } : decision;
      expect(listed).toEqual(expected);
      expect(ofDomain).toEqual(expected);
      expect(ofSubDomain).toBe(decision);
      expect(unlisted).toBe(decision);
    });
  });
});
