import { describe, expect, it } from "vitest";
import { FORMATS } from "../../../../lambdas/providers/email/formats/index.js";
import { parseBounceEmail } from "../../../../lambdas/providers/email/parse.js";
import { corpusEmail, parseCorpusEmail } from "../corpus-rows.js";

const parse = parseCorpusEmail;

describe("the exchange2003 plain-text format", () => {
  it("is in FORMATS", () => {
    expect(FORMATS.map((f) => f.id)).toContain("exchange2003");
  });

  it("reads lhost-exchange2003-01.eml: the original's To under 'Your message' is no recipient", async () => {
    const parsed = await parse("lhost-exchange2003-01.eml");
    expect(parsed.kind).toBe("dsn");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("exchange2003");
    // Sisimai says 5.0.911, its own pseudo code: Exchange's text carries no RFC 3463 code.
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@example.jp", null, null, "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toBe(
      "The recipient name is not recognized MSEXCH:IMS:NNN:KIJITORACAT:NEKO 0 (000C05A6) Unknown Recipient",
    );
  });

  it("reads lhost-exchange2003-02.eml: two recipients, the MTS-ID skipped", async () => {
    const parsed = await parse("lhost-exchange2003-02.eml");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("exchange2003");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@example.co.jp", null, null, "failed"],
      ["mikeneko@example.co.jp", null, null, "failed"],
    ]);
    for (const r of parsed.recipients) {
      expect(r.diagnostic).toContain("The recipient name is not recognized");
      expect(r.diagnostic).toContain("Unknown Recipient");
      expect(r.diagnostic).not.toMatch(/MTS-ID|;l=/);
    }
  });

  it("reads lhost-exchange2003-04.eml: the Internet Mail Connector's 'could not be reached' list", async () => {
    const parsed = await parse("lhost-exchange2003-04.eml");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("exchange2003");
    // Sisimai says 5.0.910 (its pseudo code); the text has no code.
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@example.com", null, null, "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toBe("Recipient Not Found MSEXCH:IMC:NEKO:KIJITORA:CAT");
  });

  it("drops the MTS-ID's wrapped tail even when it does not start with ';' (lhost-exchange2003-07.eml)", async () => {
    const parsed = await parse("lhost-exchange2003-07.eml");
    expect(parsed.recipients.map((r) => [r.recipient, r.action])).toEqual([
      ["kijitora@example.org", "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toBe(
      "The recipient name is not recognized MSEXCH:IMS:Kyoto Nyaans:NEKO:Nyaan 2 (000C05A6) Unknown Recipient",
    );
  });

  it("does not take the same text without Exchange's headers", async () => {
    const raw = corpusEmail("lhost-exchange2003-01.eml")
      .toString("utf8")
      .replace(/^X-Mailer:.*\n/m, "")
      .replace(/^X-MS-Embedded-Report:.*\n/m, "")
      .replace(/ with Internet Mail Service \(/, " with SMTP (");
    const parsed = await parseBounceEmail(Buffer.from(raw));
    expect(parsed.kind === "dsn" ? parsed.format : undefined).not.toBe("exchange2003");
    expect(parsed.recipients).toEqual([]);
  });

  it("keeps none of the original's headers or body in the diagnostic", async () => {
    // Each original's body ("Nyaaa…n") and a header only the original has.
    const originals: [string, RegExp][] = [
      ["lhost-exchange2003-02.eml", /Nyaaaa+n|email bounce/],
      ["lhost-exchange2003-05.eml", /\bNyaan\b|Shironeko/],
      ["lhost-exchange2003-07.eml", /Nyaaaa+n|Sironeko|R00031/],
    ];
    for (const [file, body] of originals) {
      const parsed = await parse(file);
      expect(parsed.recipients.length).toBeGreaterThan(0);
      for (const r of parsed.recipients) {
        expect(r.diagnostic ?? "").not.toMatch(/(?:^|\s)(?:Message-ID|From|To|Subject|Sent|X-Mailer):/i);
        expect(r.diagnostic ?? "").not.toMatch(body);
      }
    }
  });
});
