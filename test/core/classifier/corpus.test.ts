import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_CORPUS_URL,
  isHeldBack,
  leaveOneSourceOut,
  loadCorpus,
  rulesWithout,
  scoreCorpus,
  scoringCases,
  splitCases,
  toOurReason,
} from "../../../lambdas/local/corpus-eval.js";

/** The corpus is part of the repository (test/fixtures/corpus); this gate never skips. */
const CORPUS = new URL("../../fixtures/corpus/bounces.jsonl", import.meta.url);

/**
 * Regression gate at the figures reached (design.md §6 asks for 95% / 90%): a change that loses
 * agreement fails here. Raise these when agreement improves; lowering one needs a reason in
 * docs/classification.md.
 */
const FLOOR = { typeSubtype: 0.952, reason: 0.937 } as const;
/** Same gate on the held-back slice (see corpus-eval.ts: seeded 20% split, not tuned against). */
const HELD_BACK_FLOOR = { typeSubtype: 0.966, reason: 0.949 } as const;
/**
 * Leave-one-source-out gate, at the level reached (issue #15 asks for 90% / 85%; not reached yet,
 * see docs/classification.md). Raise it as rules from documented sources replace corpus wordings.
 */
const LOSO_FLOOR = { typeSubtype: 0.83, reason: 0.793 } as const;

describe("corpus agreement", () => {
  it("maps Sisimai's reason ids to ours", () => {
    expect(toOurReason("userunknown")).toBe("user_unknown");
    expect(toOurReason("notcompliantrfc")).toBe("not_compliant_rfc");
    expect(toOurReason("feedback")).toBeNull();
  });

  it("reads the corpus in the repository, where eval:corpus and the bench read it too", () => {
    // Assess
    expect(existsSync(CORPUS), `the corpus gate needs ${fileURLToPath(CORPUS)} (git checkout it)`).toBe(true);
    expect(fileURLToPath(DEFAULT_CORPUS_URL)).toBe(fileURLToPath(CORPUS));
  });

  it("agrees with the corpus labels above the floor", () => {
    // Prepare
    const cases = scoringCases(loadCorpus(CORPUS));
    // Act
    const score = scoreCorpus(cases);
    // Assess
    console.log(
      `corpus: ${score.total} bounces; type+subtype ${score.typeAgree}/${score.total} ` +
        `(${(score.typeRate * 100).toFixed(1)}%); fine reason ${score.reasonAgree}/${score.total} ` +
        `(${(score.reasonRate * 100).toFixed(1)}%)`,
    );
    expect(score.total).toBeGreaterThan(500);
    expect(score.typeRate).toBeGreaterThanOrEqual(FLOOR.typeSubtype);
    expect(score.reasonRate).toBeGreaterThanOrEqual(FLOOR.reason);
  });

  it("holds each source out in turn above the leave-one-source-out floor", () => {
    // Prepare
    const cases = scoringCases(loadCorpus(CORPUS));
    // Act
    const loso = leaveOneSourceOut(cases);
    // Assess
    console.log(
      `leave-one-source-out: ${loso.sources.length} sources; type+subtype ${(loso.typeRate * 100).toFixed(1)}%; ` +
        `fine reason ${(loso.reasonRate * 100).toFixed(1)}%`,
    );
    expect(loso.total).toBe(cases.length);
    expect(loso.sources.length).toBeGreaterThan(40);
    expect(loso.typeRate).toBeGreaterThanOrEqual(LOSO_FLOOR.typeSubtype);
    expect(loso.reasonRate).toBeGreaterThanOrEqual(LOSO_FLOOR.reason);
    // Holding a source out costs agreement: phrases only its texts carry are gone.
    expect(loso.reasonRate).toBeLessThan(scoreCorpus(cases).reasonRate);
  });

  it("takes out only the phrases the held-out texts alone contain", () => {
    // Act
    const rules = rulesWithout({ held: ["mailbox is full"], rest: ["550 user unknown"] });
    const kept = rules.flatMap((r) => r.any ?? []);
    // Assess
    expect(kept).toContain("user unknown");
    expect(kept).not.toContain("mailbox is full");
  });

  it("holds back a fixed, seeded slice of about a fifth of the ids", () => {
    // Prepare
    const ids = Array.from({ length: 2000 }, (_, i) => `sample-${i}.eml#1`);
    // Act
    const held = ids.filter(isHeldBack).length;
    // Assess
    expect(ids.filter(isHeldBack)).toEqual(ids.filter(isHeldBack));
    expect(held / ids.length).toBeGreaterThan(0.15);
    expect(held / ids.length).toBeLessThan(0.25);
  });

  it("agrees on the held-back slice above its floor", () => {
    // Prepare
    const { tuning, heldBack } = splitCases(scoringCases(loadCorpus(CORPUS)));
    // Act
    const score = scoreCorpus(heldBack);
    // Assess
    expect(heldBack.length).toBeGreaterThan(80);
    expect(tuning.length + heldBack.length).toBeGreaterThan(500);
    expect(score.typeRate).toBeGreaterThanOrEqual(HELD_BACK_FLOOR.typeSubtype);
    expect(score.reasonRate).toBeGreaterThanOrEqual(HELD_BACK_FLOOR.reason);
  });
});
