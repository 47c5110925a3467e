import { describe, expect, it } from "vitest";
import { classify, createClassifier, TEXT_RULES } from "../../../lambdas/core/classifier/index.js";

describe("classifier inputs beyond the text", () => {
  describe("action: delayed", () => {
    it("keeps a specific soft reason the text names", () => {
      // Act
      const result = classify({ diagnostic: "452 4.2.2 Mailbox full", action: "delayed" });
      // Assess
      expect(result).toMatchObject({ reason: "mailbox_full", type: "soft_bounce", permanent: false });
    });

    it("turns a hard wording into expired, never permanent (the MTA is still trying)", () => {
      // Act
      const result = classify({ diagnostic: "550 5.1.1 user unknown", smtpCode: "550", action: "delayed" });
      // Assess
      expect(result).toMatchObject({ reason: "expired", rule: "action-delayed", permanent: false });
      expect(result.type).toBe("soft_bounce");
    });

    it("turns a vague verdict into expired", () => {
      // Act
      const result = classify({ diagnostic: "", action: "delayed" });
      // Assess
      expect(result).toMatchObject({ reason: "expired", rule: "action-delayed" });
    });

    it("changes nothing for action: failed", () => {
      // Prepare
      const input = { diagnostic: "550 5.1.1 user unknown" };
      // Assess
      expect(classify({ ...input, action: "failed" })).toEqual(classify(input));
    });
  });

  describe("stage", () => {
    it("a stated stage wins over the text's (user unknown after DATA is a filter)", () => {
      // Prepare
      const text = "550 5.1.1 user unknown";
      // Act
      const atRcpt = classify({ diagnostic: text, stage: "rcpt" });
      const atData = classify({ diagnostic: text, stage: "data" });
      // Assess
      expect(atRcpt.reason).toBe("user_unknown");
      expect(atData.reason).toBe("filtered");
    });

    it("ignores a stage that is not one", () => {
      // Prepare
      const input = { diagnostic: "550 5.1.1 user unknown" };
      // Act
      const result = classify({ ...input, stage: "quit" as never });
      // Assess
      expect(result).toEqual(classify(input));
    });
  });

  describe("createClassifier", () => {
    it("applies only the text rules it is given", () => {
      // Prepare
      const input = { diagnostic: "mailbox is full" };
      const without = createClassifier({ textRules: TEXT_RULES.filter((r) => r.reason !== "mailbox_full") });
      // Act / Assess
      expect(classify(input).reason).toBe("mailbox_full");
      expect(without.classify(input).reason).not.toBe("mailbox_full");
      expect(without.rules.some((r) => r.reason === "mailbox_full" && r.tier === "text")).toBe(false);
    });
  });
});
