import { describe, expect, it } from "vitest";
import { FORMATS } from "../../../../lambdas/providers/email/formats/index.js";
import { parseCorpusEmail } from "../corpus-rows.js";

const parse = parseCorpusEmail;

describe("the amazonworkmail plain-text format", () => {
  it("is in FORMATS", () => {
    expect(FORMATS.map((f) => f.id)).toContain("amazonworkmail");
  });

  it("reads lhost-amazonworkmail-01.eml", async () => {
    const parsed = await parse("lhost-amazonworkmail-01.eml");
    expect(parsed.kind).toBe("dsn");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("amazonworkmail");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@example.jp", "5.1.1", null, "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toBe("550 5.1.1 <kijitora@example.jp>... User Unknown");
  });

  it("reads lhost-amazonworkmail-04.eml", async () => {
    const parsed = await parse("lhost-amazonworkmail-04.eml");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("amazonworkmail");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["chatoraneko@example.jp", "5.2.2", null, "failed"],
    ]);
  });

  it("takes the report's own Status and Action for an expired message (lhost-amazonworkmail-05.eml)", async () => {
    // Sisimai says 4.4.2/delayed from the reply quoted in the diagnostic; the report says 4.4.7/failed.
    const parsed = await parse("lhost-amazonworkmail-05.eml");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.action])).toEqual([
      ["sabatora@example.libsisimai.org", "4.4.7", "failed"],
    ]);
  });

  it("keeps none of the original's body in the diagnostic", async () => {
    for (const file of ["lhost-amazonworkmail-01.eml", "lhost-amazonworkmail-03.eml"]) {
      const parsed = await parse(file);
      for (const r of parsed.recipients) {
        expect(r.diagnostic ?? "").not.toMatch(/^(?:Subject|From|Received|Message-Id):/im);
        expect(r.diagnostic ?? "").not.toMatch(/Nyaa|<html|multi-part message/i);
      }
    }
  });
});
