import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  classify,
  type DiagnosticInput,
  FALLBACK_ERROR_RULE_ID,
  MAX_DIAGNOSTIC_CHARS,
  RULES,
  TEXT_RULES,
} from "../../../lambdas/core/classifier/index.js";
import { MAX_DIAGNOSTIC_CHARS as STORED_DIAGNOSTIC_CHARS } from "../../../lambdas/core/events.js";
import { REASON_IDS, typeFor } from "../../../lambdas/core/taxonomy.js";

const RULE_IDS = new Set([...RULES.map((r) => r.id), FALLBACK_ERROR_RULE_ID]);

/** Strings that look like codes, and plain junk. */
const codeLike = fc.oneof(
  fc.constantFrom("550", "421", "250", "5.1.1", "4.4.7", "5.7.26", "2.0.0", "5.0.0", " 552 ", "9.9.9"),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: 0, max: 999 }).map(String),
);

/** Texts built from real rule phrases mixed with noise, so rules actually fire. */
const phrase = fc.constantFrom(...TEXT_RULES.flatMap((r) => r.any ?? []).slice(0, 400));
const diagnostic = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: "grapheme", maxLength: 120 }),
  fc
    .array(fc.oneof(phrase, fc.string({ maxLength: 20 }), codeLike), { maxLength: 8 })
    .map((parts) => parts.join(" ")),
);

const input: fc.Arbitrary<DiagnosticInput> = fc.record(
  {
    diagnostic: fc.option(diagnostic, { nil: undefined }),
    smtpCode: fc.option(codeLike, { nil: undefined }),
    enhancedCode: fc.option(codeLike, { nil: undefined }),
    permanent: fc.option(fc.boolean(), { nil: undefined }),
    providerReason: fc.option(fc.constantFrom(...REASON_IDS), { nil: undefined }),
  },
  { requiredKeys: [] },
);

describe("classify: properties", () => {
  it("never throws and always answers a consistent classification", () => {
    fc.assert(
      fc.property(input, (given) => {
        // Act
        const result = classify(given);
        // Assess
        expect(REASON_IDS).toContain(result.reason);
        expect(RULE_IDS.has(result.rule)).toBe(true);
        expect({ type: result.type, subtype: result.subtype }).toEqual(
          typeFor(result.reason, result.permanent),
        );
        if (given.permanent === true) expect(result.permanent).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it("is deterministic and ignores letter case of the diagnostic", () => {
    fc.assert(
      fc.property(input, (given) => {
        // Prepare
        const upper = { ...given, diagnostic: given.diagnostic?.toUpperCase() };
        // Act
        const a = classify(given);
        const b = classify(given);
        // Assess
        expect(b).toEqual(a);
        if (given.diagnostic?.toUpperCase().toLowerCase() === given.diagnostic?.toLowerCase()) {
          expect(classify(upper).reason).toBe(a.reason);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("survives inputs that are not what the type says", () => {
    // Prepare
    const weird: unknown[] = [
      null,
      undefined,
      {},
      { diagnostic: 42 },
      { diagnostic: { toString: () => "550 user unknown" } },
      { smtpCode: 550, enhancedCode: ["5", "1", "1"] },
      Object.defineProperty({}, "diagnostic", {
        get() {
          throw new Error("hostile getter");
        },
      }),
    ];
    for (const value of weird) {
      // Act
      const result = classify(value as DiagnosticInput);
      // Assess
      expect(REASON_IDS).toContain(result.reason);
    }
  });
});

describe("classify: adversarial inputs as long as a stored diagnostic", () => {
  // About MAX_DIAGNOSTIC_CHARS (8 KB) each: the longest text a provider stores and classifies.
  const cases: readonly (readonly [string, string, string])[] = [
    ["repeated near-miss of a seq rule", "this user doesn't have a ".repeat(320), "on_hold"],
    [
      "repeated seq opening, closed at the very end",
      `${"this user doesn't have a ".repeat(320)} account`,
      "user_unknown",
    ],
    ["repeated fragments without the closing part", "user ".repeat(1600), "on_hold"],
    ["digits and dots (code extraction)", "5.5.5.5.".repeat(1000), "on_hold"],
    ["long run then a real phrase", `${"a".repeat(8000)} 550 5.1.1 user unknown`, "user_unknown"],
    ["IP-like refusal pattern almost matching", "mail from 1.2.3.".repeat(500), "on_hold"],
    ["whitespace storm", `${" \t\n".repeat(2700)}mailbox full`, "mailbox_full"],
    ["CJK noise then a Chinese phrase", `${"邮".repeat(8000)}用户不存在`, "user_unknown"],
  ];

  it.each(cases)("%s", (_name, text, reason) => {
    // Act
    const result = classify({ diagnostic: text });
    // Assess
    expect(text.length).toBeGreaterThanOrEqual(7_500);
    expect(text.length).toBeLessThanOrEqual(MAX_DIAGNOSTIC_CHARS);
    expect(result.reason).toBe(reason);
  });

  it("reads no further than a stored diagnostic keeps (MAX_DIAGNOSTIC_CHARS, one source)", () => {
    // Arrange: the phrase starts right after the limit, where a provider's stored copy ends.
    const text = `${"a".repeat(MAX_DIAGNOSTIC_CHARS)} 550 5.1.1 user unknown`;
    // Act
    const result = classify({ diagnostic: text });
    // Assess
    expect(MAX_DIAGNOSTIC_CHARS).toBe(STORED_DIAGNOSTIC_CHARS);
    expect(result.reason).toBe("on_hold");
    expect(classify({ diagnostic: text.slice(0, MAX_DIAGNOSTIC_CHARS) })).toEqual(result);
  });

  it("answers for every rule when its example is buried in 10 KB of noise", () => {
    for (const rule of TEXT_RULES) {
      // Prepare
      const noise = "x".repeat(10_000);
      // Act
      const result = classify({ ...rule.example, diagnostic: `${noise} ${rule.example.diagnostic}` });
      // Assess
      expect(REASON_IDS, rule.id).toContain(result.reason);
    }
  });
});
