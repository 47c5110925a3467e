import { describe, expect, it } from "vitest";
import { initialLang, MESSAGES, reasonLabel, subtypeLabel } from "../../console/src/i18n.js";
import { REASON_IDS } from "../../lambdas/core/taxonomy.js";

describe("the console's words", () => {
  it("has every message in both languages, none empty, and Chinese that is not English", () => {
    const en = MESSAGES.en as Record<string, unknown>;
    const zh = MESSAGES.zh as Record<string, unknown>;
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    const sample = {
      scope: "s",
      until: "u",
      why: "w",
      source: "SES",
      date: "d",
      problem: "p",
      reason: "r",
      max: 30,
      days: 7,
      done: "40",
      rows: "100",
      n: 2,
      error: "e",
      size: "6 MiB",
      from: "2026-11-01",
      to: "2026-11-30",
      rate: "2%",
      bounce: 1,
      complaint: 0,
    };
    const text = (value: unknown) => (typeof value === "function" ? String(value(sample)) : String(value));
    const same: string[] = [];
    for (const key of Object.keys(en)) {
      expect(text(en[key]).trim(), key).not.toBe("");
      expect(text(zh[key]).trim(), key).not.toBe("");
      if (text(en[key]) === text(zh[key])) same.push(key);
    }
    // Only what is not words (an example address) may read the same.
    expect(same).toEqual(["lookupPlaceholder"]);
  });

  it("labels every reason from the taxonomy's one table", () => {
    for (const reason of REASON_IDS) {
      expect(reasonLabel(reason, "zh")).not.toBe(reason);
      expect(reasonLabel(reason, "en")).not.toBe(reason);
    }
    expect(subtypeLabel("invalid", "mailbox_not_found", "zh")).toBe("地址不存在");
    expect(subtypeLabel("soft_bounce", "mailbox_not_found", "zh")).toBe("邮箱地址不存在");
  });

  it("starts in the language chosen before, else the browser's, else English", () => {
    expect(initialLang("zh", ["en-US"])).toBe("zh");
    expect(initialLang(null, ["zh-CN", "en"])).toBe("zh");
    expect(initialLang(null, ["fr-FR", "zh-TW"])).toBe("zh");
    expect(initialLang(null, ["en-GB", "zh"])).toBe("en");
    expect(initialLang("de", ["fr"])).toBe("en");
  });
});
