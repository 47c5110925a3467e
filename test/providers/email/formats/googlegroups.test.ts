import { describe, expect, it } from "vitest";
import { FORMATS } from "../../../../lambdas/providers/email/formats/index.js";
import { parseCorpusEmail } from "../corpus-rows.js";

const parse = parseCorpusEmail;

describe("the googlegroups plain-text format", () => {
  it("is in FORMATS", () => {
    expect(FORMATS.map((f) => f.id)).toContain("googlegroups");
  });

  it("reads lhost-googlegroups-01.eml", async () => {
    const parsed = await parse("lhost-googlegroups-01.eml");
    expect(parsed.kind).toBe("dsn");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("googlegroups");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["libsisimai@googlegroups.com", null, null, "failed"],
    ]);
  });

  it("keeps none of the original's body in the diagnostic", async () => {
    const parsed = await parse("lhost-googlegroups-01.eml");
    for (const r of parsed.recipients)
      expect(r.diagnostic ?? "").not.toMatch(/^(?:Return-path|Received|Message-Id):/im);
  });
});
