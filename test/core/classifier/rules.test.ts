import { describe, expect, it } from "vitest";
import {
  classify,
  ENHANCED_CODES,
  RULES,
  TEXT_RULES,
  type TextRule,
} from "../../../lambdas/core/classifier/index.js";
import { REASONS } from "../../../lambdas/core/taxonomy.js";

/** A text rule that decides on its `any` phrases alone, whatever else the input says. */
function unconditional(rule: TextRule): boolean {
  return (
    rule.also === undefined &&
    rule.unless === undefined &&
    rule.stage === undefined &&
    rule.notStage === undefined &&
    rule.codeClass === undefined &&
    rule.enhanced === undefined &&
    rule.notEnhanced === undefined
  );
}

/**
 * The `any` phrases of `rule` that can never decide: an earlier unconditional rule (one that runs
 * before it: late rules run after all others) has a phrase contained in them, so it always wins first.
 */
function deadPhrases(index: number): string[] {
  const rule = TEXT_RULES[index];
  if (rule === undefined) return [];
  const earlier = TEXT_RULES.slice(0, index).filter(
    (e) => unconditional(e) && (e.late !== true || rule.late === true),
  );
  return (rule.any ?? []).filter((phrase) =>
    earlier.some((e) => (e.any ?? []).some((m) => phrase.includes(m))),
  );
}

describe("rule table", () => {
  it.each(TEXT_RULES.map((rule, i) => [rule.id, i] as const))(
    "%s is not shadowed: some way to match it is not taken by an earlier rule",
    (id, i) => {
      // Prepare
      const rule = TEXT_RULES[i] as TextRule;
      const dead = deadPhrases(i);
      // Assess: a rule with only `any` phrases, all of them taken, can never win.
      const hasOtherPath = rule.seq !== undefined || rule.re !== undefined;
      expect(hasOtherPath || dead.length < (rule.any ?? []).length, `${id}: all phrases shadowed`).toBe(true);
    },
  );

  it.each(TEXT_RULES.map((rule, i) => [rule.id, i] as const))(
    "%s has no phrase an earlier unconditional rule always takes",
    (_id, i) => {
      expect(deadPhrases(i)).toEqual([]);
    },
  );

  it.each(RULES.map((rule) => [rule.id, rule] as const))("%s wins on its own example", (_id, rule) => {
    // Prepare
    const input = rule.example;
    // Act
    const result = classify(input);
    // Assess
    expect(result.rule).toBe(rule.id);
    if (rule.reason !== null) expect(result.reason).toBe(rule.reason);
  });

  it("has unique rule ids", () => {
    // Prepare
    const ids = RULES.map((r) => r.id);
    // Assess
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("gives only reasons of the taxonomy", () => {
    for (const rule of RULES) {
      if (rule.reason !== null) expect(Object.hasOwn(REASONS, rule.reason), rule.id).toBe(true);
    }
  });

  it("gives every text rule some evidence, in lower case (text is lower-cased before matching)", () => {
    for (const rule of TEXT_RULES) {
      const lists = [rule.any ?? [], rule.also ?? [], rule.unless ?? [], ...(rule.seq ?? [])];
      expect(rule.any !== undefined || rule.seq !== undefined || rule.re !== undefined, rule.id).toBe(true);
      for (const needle of lists.flat()) {
        expect(needle, rule.id).toBe(needle.toLowerCase());
        expect(needle.length, rule.id).toBeGreaterThan(1);
      }
    }
  });

  it("keeps regular expressions free of nested quantifiers", () => {
    // Prepare: a quantified group that itself contains a quantifier is the catastrophic shape.
    const nested = /\((?:[^()\\]|\\.)*[*+}](?:[^()\\]|\\.)*\)[*+{]/;
    for (const rule of TEXT_RULES) {
      // Assess
      if (rule.re !== undefined) expect(nested.test(rule.re.source), rule.id).toBe(false);
    }
  });

  it("lists well-formed enhanced codes, each once", () => {
    // Prepare
    const codes = ENHANCED_CODES.map((row) => row.code);
    // Assess
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^[45]\.\d{1,3}\.\d{1,3}$/);
  });

  it.each([
    ["5.1.1", "user_unknown"],
    ["5.1.2", "host_unknown"],
    ["5.1.3", "bad_address_format"],
    ["5.1.6", "has_moved"],
    ["5.1.10", "not_accept"],
    ["5.2.1", "suspend"],
    ["5.2.2", "mailbox_full"],
    ["4.2.2", "mailbox_full"],
    ["5.2.3", "exceed_limit"],
    ["5.3.4", "mesg_too_big"],
    ["5.4.4", "host_unknown"],
    ["4.4.7", "expired"],
    ["5.7.1", "security_error"],
    ["5.7.13", "suspend"],
    ["5.7.23", "auth_failure"],
    ["5.7.24", "auth_failure"],
    ["5.7.25", "require_ptr"],
    ["5.7.26", "auth_failure"],
    ["5.7.27", "rejected"],
    ["5.7.30", "failed_starttls"],
    ["5.6.42", "content_error"],
    ["5.7.999", "security_error"],
  ])("maps enhanced code %s alone to %s", (enhancedCode, reason) => {
    // Act
    const result = classify({ enhancedCode });
    // Assess
    expect(result.reason).toBe(reason);
    expect(result.rule).toMatch(/^enhanced-/);
  });
});
