import { describe, expect, it } from "vitest";
import { FORMATS } from "../../../../lambdas/providers/email/formats/index.js";
import { parseCorpusEmail } from "../corpus-rows.js";

const parse = parseCorpusEmail;

describe("the exim plain-text format", () => {
  it("is in FORMATS", () => {
    expect(FORMATS.map((f) => f.id)).toContain("exim");
  });

  it("reads lhost-exim-02.eml", async () => {
    const parsed = await parse("lhost-exim-02.eml");
    expect(parsed.kind).toBe("dsn");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("exim");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@example.jp", "5.1.1", "RCPT", "failed"],
      ["sabatora@example.jp", "5.2.1", "RCPT", "failed"],
    ]);
  });

  it("reads lhost-exim-45.eml", async () => {
    const parsed = await parse("lhost-exim-45.eml");
    expect(parsed.kind).toBe("dsn");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("exim");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@example.com", "5.2.0", "DATA", "failed"],
    ]);
  });

  it("keeps none of the original's body in the diagnostic", async () => {
    const parsed = await parse("lhost-exim-02.eml");
    for (const r of parsed.recipients)
      expect(r.diagnostic ?? "").not.toMatch(/^(?:Return-path|Received|Message-Id):/im);
  });
});
