import { describe, expect, it } from "vitest";
import { FORMATS } from "../../../../lambdas/providers/email/formats/index.js";
import { parseCorpusEmail } from "../corpus-rows.js";

const parse = parseCorpusEmail;

describe("the dragonfly plain-text format", () => {
  it("is in FORMATS", () => {
    expect(FORMATS.map((f) => f.id)).toContain("dragonfly");
  });

  it("reads lhost-dragonfly-01.eml", async () => {
    const parsed = await parse("lhost-dragonfly-01.eml");
    expect(parsed.kind).toBe("dsn");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("dragonfly");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["pseudo-local-part@google.example.com", "5.7.26", "DATA", "failed"],
    ]);
  });

  it("reads lhost-dragonfly-15.eml", async () => {
    const parsed = await parse("lhost-dragonfly-15.eml");
    expect(parsed.kind).toBe("dsn");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("dragonfly");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["norelaying@libsisimai.net", "5.7.0", "RCPT", "failed"],
    ]);
  });

  it("keeps none of the original's body in the diagnostic", async () => {
    const parsed = await parse("lhost-dragonfly-01.eml");
    for (const r of parsed.recipients)
      expect(r.diagnostic ?? "").not.toMatch(/^(?:Return-path|Received|Message-Id):/im);
  });
});
