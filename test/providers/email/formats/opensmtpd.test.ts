import { describe, expect, it } from "vitest";
import { FORMATS } from "../../../../lambdas/providers/email/formats/index.js";
import { parseBounceEmail } from "../../../../lambdas/providers/email/parse.js";
import { corpusEmail, parseCorpusEmail } from "../corpus-rows.js";

const parse = parseCorpusEmail;

describe("the opensmtpd plain-text format", () => {
  it("is in FORMATS", () => {
    expect(FORMATS.map((f) => f.id)).toContain("opensmtpd");
  });

  it("reads lhost-opensmtpd-01.eml", async () => {
    const parsed = await parse("lhost-opensmtpd-01.eml");
    expect(parsed.kind).toBe("dsn");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("opensmtpd");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["apdugoaidugoaidugoaeiudggadi@gmail.com", "5.1.1", null, "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toContain(
      "550 5.1.1 http://support.google.com/mail/bin/answer.py",
    );
  });

  it("reads lhost-opensmtpd-02.eml: one line per recipient", async () => {
    const parsed = await parse("lhost-opensmtpd-02.eml");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("opensmtpd");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["mailboxfull@example.jp", "5.2.2", null, "failed"],
      ["userunknown@example.jp", "5.1.1", null, "failed"],
    ]);
    expect(parsed.recipients.map((r) => r.diagnostic)).toEqual([
      "550 5.2.2 <mailboxfull@example.jp>... Mailbox Full",
      "550 5.1.1 <userunknown@example.jp>... User Unknown",
    ]);
  });

  it("reads lhost-opensmtpd-05.eml: an expired envelope", async () => {
    const parsed = await parse("lhost-opensmtpd-05.eml");
    // Sisimai says 5.0.947/delayed (its "expired" reason); OpenSMTPD has given the message up.
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@mail.example.co.jp", null, null, "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toBe("Envelope expired");
  });

  it("does not take the recipient lines without OpenSMTPD's MAILER-DAEMON banner", async () => {
    const raw = corpusEmail("lhost-opensmtpd-02.eml")
      .toString("utf8")
      .replace(/This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail\./, "Hello.");
    const parsed = await parseBounceEmail(Buffer.from(raw));
    expect(parsed.kind === "dsn" ? parsed.format : undefined).not.toBe("opensmtpd");
    expect(parsed.recipients).toEqual([]);
  });

  it("keeps none of the original's headers or body in the diagnostic", async () => {
    for (const file of ["lhost-opensmtpd-02.eml", "lhost-opensmtpd-03.eml", "lhost-opensmtpd-05.eml"]) {
      const parsed = await parse(file);
      expect(parsed.recipients.length).toBeGreaterThan(0);
      for (const r of parsed.recipients) {
        expect(r.diagnostic ?? "").not.toMatch(/\b(?:Received|From|To|Subject):/i);
        expect(r.diagnostic ?? "").not.toMatch(/Nyaa|test from OpenSMTPD|copy of the original/i);
      }
    }
  });
});
