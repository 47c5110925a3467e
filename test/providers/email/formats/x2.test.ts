import { describe, expect, it } from "vitest";
import { FORMATS } from "../../../../lambdas/providers/email/formats/index.js";
import { parseBounceEmail } from "../../../../lambdas/providers/email/parse.js";
import { corpusEmail, parseCorpusEmail } from "../corpus-rows.js";

const parse = parseCorpusEmail;

describe("the x2 plain-text format", () => {
  it("is in FORMATS", () => {
    expect(FORMATS.map((f) => f.id)).toContain("x2");
  });

  it("reads lhost-x2-02.eml: three recipients, each with its own reason", async () => {
    const parsed = await parse("lhost-x2-02.eml");
    expect(parsed.kind).toBe("dsn");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("x2");
    // Sisimai says 5.0.910 and 5.0.921, its pseudo codes: the text has none ("[0]", "[#102]" are not).
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@example.com", null, null, "failed"],
      ["mikeneko@example.com", null, null, "failed"],
      ["sabineko@example.com", null, null, "failed"],
    ]);
    expect(parsed.recipients.map((r) => r.diagnostic)).toEqual([
      "This user doesn't have a example.com account (kijitora@example.com) [0]",
      "Sorry your message to mikeneko@example.com cannot be delivered. This account has been disabled or discontinued [#102].",
      "This user doesn't have a example.com account (sabineko@example.com) [0]",
    ]);
  });

  it("reads lhost-x2-03.eml: a connection timed out, given up", async () => {
    const parsed = await parse("lhost-x2-03.eml");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("x2");
    // Sisimai says 5.0.947/delayed (its "expired" reason) and no command; "I'm not going to try
    // again" is a failure, and the connection is what failed.
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@example.org", null, "CONN", "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toContain("unable to connect to remote server [192.0.2.222:25]");
  });

  it("reads lhost-x2-06.eml: qmail's own (#4.4.1) code", async () => {
    const parsed = await parse("lhost-x2-06.eml");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("x2");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora-nyaan@neko.example.com", "4.4.1", null, "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toContain(
      "Sorry, I wasn't able to establish an SMTP connection.",
    );
  });

  it("does not take the same text from a sender that is not a MAILER-DAEMON", async () => {
    const raw = corpusEmail("lhost-x2-02.eml")
      .toString("utf8")
      .replace(/^From: MAILER-DAEMON@example\.com$/m, "From: postmaster@example.com");
    const parsed = await parseBounceEmail(Buffer.from(raw));
    expect(parsed.kind === "dsn" ? parsed.format : undefined).not.toBe("x2");
    expect(parsed.recipients).toEqual([]);
  });

  it("keeps none of the original's headers or body in the diagnostic", async () => {
    for (const file of ["lhost-x2-02.eml", "lhost-x2-03.eml", "lhost-x2-04.eml"]) {
      const parsed = await parse(file);
      expect(parsed.recipients.length).toBeGreaterThan(0);
      for (const r of parsed.recipients) {
        expect(r.diagnostic ?? "").not.toMatch(
          /\b(?:Received|X-Originating-IP|From|To|Subject|Message-ID):/i,
        );
        expect(r.diagnostic ?? "").not.toMatch(/Nyaa|Original message follows|HassleMe/i);
      }
    }
  });
});
