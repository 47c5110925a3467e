import { describe, expect, it } from "vitest";
import { FORMATS } from "../../../../lambdas/providers/email/formats/index.js";
import { parseBounceEmail } from "../../../../lambdas/providers/email/parse.js";
import { corpusEmail, parseCorpusEmail } from "../corpus-rows.js";

const parse = parseCorpusEmail;

describe("the mfilter plain-text format", () => {
  it("is in FORMATS", () => {
    expect(FORMATS.map((f) => f.id)).toContain("mfilter");
  });

  it("reads lhost-mfilter-01.eml: the server message and the SMTP command sections", async () => {
    const parsed = await parse("lhost-mfilter-01.eml");
    expect(parsed.kind).toBe("dsn");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("mfilter");
    // Sisimai says 5.0.910 (its pseudo code); ours is the class of the 550 reply, X.0.0.
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@example.com", "5.0.0", "DATA", "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toBe("550 unknown user <kijitora@example.com>");
  });

  it("reads lhost-mfilter-02.eml", async () => {
    const parsed = await parse("lhost-mfilter-02.eml");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("mfilter");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@example.co.jp", "5.1.1", "DATA", "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toContain("Recipient address rejected: User unknown");
  });

  it("reads lhost-mfilter-04.eml: base64 UTF-8, 'original mail info'", async () => {
    const parsed = await parse("lhost-mfilter-04.eml");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("mfilter");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@libisismai.org", "5.4.1", "DATA", "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toBe(
      "550 5.4.1 All recipient addresses rejected : Access denied [NEKONYAAN.cat-JPN22.prod.protection.outlook.com]",
    );
  });

  it("does not take the same text without m-FILTER's X-Mailer", async () => {
    const raw = corpusEmail("lhost-mfilter-01.eml")
      .toString("latin1")
      .replace(/^X-Mailer: m-FILTER.*\n/m, "");
    const parsed = await parseBounceEmail(Buffer.from(raw, "latin1"));
    expect(parsed.kind === "dsn" ? parsed.format : undefined).not.toBe("mfilter");
    expect(parsed.recipients).toEqual([]);
  });

  it("keeps none of the original's headers or body in the diagnostic", async () => {
    for (const file of ["lhost-mfilter-01.eml", "lhost-mfilter-03.eml", "lhost-mfilter-04.eml"]) {
      const parsed = await parse(file);
      expect(parsed.recipients.length).toBeGreaterThan(0);
      for (const r of parsed.recipients) {
        expect(r.diagnostic ?? "").not.toMatch(/\b(?:Received|From|To|Subject|Message-ID|Date|BODY):/i);
        expect(r.diagnostic ?? "").not.toMatch(/Nyaan|ニャーン|original (?:message|mail info)|DATA$/);
      }
    }
  });
});
