import { describe, expect, it } from "vitest";
import { FORMATS } from "../../../../lambdas/providers/email/formats/index.js";
import { parseCorpusEmail } from "../corpus-rows.js";

const parse = parseCorpusEmail;

describe("the gmail plain-text format", () => {
  it("is in FORMATS", () => {
    expect(FORMATS.map((f) => f.id)).toContain("gmail");
  });

  it("reads lhost-gmail-01.eml", async () => {
    const parsed = await parse("lhost-gmail-01.eml");
    expect(parsed.kind).toBe("dsn");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("gmail");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["userunknown@example.jp", "5.1.1", null, "failed"],
    ]);
  });

  it("reads lhost-gmail-16.eml", async () => {
    const parsed = await parse("lhost-gmail-16.eml");
    expect(parsed.kind).toBe("dsn");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("gmail");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["mailboxfull@bouncehammer.jp", "5.2.2", null, "failed"],
    ]);
  });

  it("keeps none of the original's body in the diagnostic", async () => {
    const parsed = await parse("lhost-gmail-01.eml");
    for (const r of parsed.recipients)
      expect(r.diagnostic ?? "").not.toMatch(/^(?:Return-path|Received|Message-Id):/im);
  });
});
