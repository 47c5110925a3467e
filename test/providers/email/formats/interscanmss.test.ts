import { describe, expect, it } from "vitest";
import { FORMATS } from "../../../../lambdas/providers/email/formats/index.js";
import { parseBounceEmail } from "../../../../lambdas/providers/email/parse.js";
import { corpusEmail, parseCorpusEmail } from "../corpus-rows.js";

const parse = parseCorpusEmail;

describe("the interscanmss plain-text format", () => {
  it("is in FORMATS", () => {
    expect(FORMATS.map((f) => f.id)).toContain("interscanmss");
  });

  it("reads lhost-interscanmss-01.eml: the SMTP dialogue", async () => {
    const parsed = await parse("lhost-interscanmss-01.eml");
    expect(parsed.kind).toBe("dsn");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("interscanmss");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@example.co.jp", "5.1.1", "RCPT", "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toBe("550 5.1.1 <kijitora@example.co.jp>... user unknown");
  });

  it("reads lhost-interscanmss-02.eml: 'Unable to deliver message to <rcpt>'", async () => {
    const parsed = await parse("lhost-interscanmss-02.eml");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("interscanmss");
    // Sisimai says 5.0.911, its pseudo code: the text has none.
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@neko.example.jp", null, null, "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toContain(
      "Unable to deliver message to <kijitora@neko.example.jp>",
    );
  });

  it("reads lhost-interscanmss-03.eml: the 'Reason:' label dropped, the original's own bounce not read", async () => {
    const parsed = await parse("lhost-interscanmss-03.eml");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("interscanmss");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@example.jp", null, null, "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toBe(
      "Unable to deliver message to <kijitora@example.jp> (and other recipients in the same domain).",
    );
  });

  it("does not take the dialogue without InterScan's sender or banner", async () => {
    const raw = corpusEmail("lhost-interscanmss-01.eml")
      .toString("utf8")
      .replace(/^From: "InterScan MSS" </m, 'From: "Postmaster" <');
    const parsed = await parseBounceEmail(Buffer.from(raw));
    expect(parsed.kind === "dsn" ? parsed.format : undefined).not.toBe("interscanmss");
    expect(parsed.recipients).toEqual([]);
  });

  it("keeps none of the original's headers or body in the diagnostic", async () => {
    for (const file of [
      "lhost-interscanmss-01.eml",
      "lhost-interscanmss-02.eml",
      "lhost-interscanmss-03.eml",
    ]) {
      const parsed = await parse(file);
      expect(parsed.recipients.length).toBeGreaterThan(0);
      for (const r of parsed.recipients) {
        expect(r.diagnostic ?? "").not.toMatch(/\b(?:Received|From|To|Subject|Message-ID):/i);
        // lhost-interscanmss-03.eml's original is itself a Sendmail bounce ("Invalid recipient").
        expect(r.diagnostic ?? "").not.toMatch(/Nyaa|Invalid recipient|Transcript/i);
      }
    }
  });
});
