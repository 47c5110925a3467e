import { describe, expect, it } from "vitest";
import { FORMATS } from "../../../../lambdas/providers/email/formats/index.js";
import { parseCorpusEmail } from "../corpus-rows.js";

const parse = parseCorpusEmail;

describe("the qmail plain-text format", () => {
  it("is in FORMATS", () => {
    expect(FORMATS.map((f) => f.id)).toContain("qmail");
  });

  it("reads lhost-qmail-01.eml", async () => {
    const parsed = await parse("lhost-qmail-01.eml");
    expect(parsed.kind).toBe("dsn");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("qmail");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@example.ne.jp", "5.5.0", "RCPT", "failed"],
    ]);
  });

  it("reads lhost-qmail-20.eml", async () => {
    const parsed = await parse("lhost-qmail-20.eml");
    expect(parsed.kind).toBe("dsn");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("qmail");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["pseudo-local-part-of-each-esp@gmail.com", "5.7.26", "DATA", "failed"],
    ]);
  });

  it("keeps none of the original's body in the diagnostic", async () => {
    const parsed = await parse("lhost-qmail-01.eml");
    for (const r of parsed.recipients)
      expect(r.diagnostic ?? "").not.toMatch(/^(?:Return-path|Received|Message-Id):/im);
  });
});
