import { describe, expect, it } from "vitest";
import { FORMATS } from "../../../../lambdas/providers/email/formats/index.js";
import { parseBounceEmail } from "../../../../lambdas/providers/email/parse.js";
import { corpusEmail, parseCorpusEmail } from "../corpus-rows.js";

const parse = parseCorpusEmail;

describe("the gmx plain-text format", () => {
  it("is in FORMATS", () => {
    expect(FORMATS.map((f) => f.id)).toContain("gmx");
  });

  it("reads lhost-gmx-01.eml", async () => {
    const parsed = await parse("lhost-gmx-01.eml");
    expect(parsed.kind).toBe("dsn");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("gmx");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["shironeko@example.jp", "5.2.2", "RCPT", "failed"],
    ]);
    // Ours keeps GMX's "SMTP error … after RCPT command" and host lines before the reply.
    expect(parsed.recipients[0]?.diagnostic).toBe(
      "SMTP error from remote server after RCPT command: host: mx.example.jp 5.2.2 <shironeko@example.jp>... Mailbox Full",
    );
  });

  it("reads lhost-gmx-03.eml: two quoted addresses, each with its own reason", async () => {
    const parsed = await parse("lhost-gmx-03.eml");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("gmx");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["mikeneko@example.co.jp", "5.2.1", "RCPT", "failed"],
      ["sabineko@example.co.jp", "5.2.2", "RCPT", "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toContain("5.2.1 <mikeneko@example.co.jp>... User Unknown");
    expect(parsed.recipients[1]?.diagnostic).toContain("5.2.2 <sabineko@example.co.jp>... Mailbox Full");
  });

  it("reads lhost-gmx-04.eml: a bracketed address and GMX's own Reason:", async () => {
    const parsed = await parse("lhost-gmx-04.eml");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("gmx");
    // Sisimai says 5.0.947/delayed (its "expired" reason); GMX calls it "a permanent error".
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@6jo.example.co.jp", null, null, "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toBe("delivery retry timeout exceeded");
  });

  it("leaves an Exim bounce not sent by GMX to Exim (lhost-exim-02.eml)", async () => {
    const parsed = await parse("lhost-exim-02.eml");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("exim");
  });

  it("does not take GMX's text from another sender", async () => {
    const raw = corpusEmail("lhost-gmx-03.eml")
      .toString("utf8")
      .replace(/^From: MAILER-DAEMON@mail\.gmx\.com$/m, "From: MAILER-DAEMON@mx.example.net");
    const parsed = await parseBounceEmail(Buffer.from(raw));
    expect(parsed.kind === "dsn" ? parsed.format : undefined).not.toBe("gmx");
  });

  it("keeps none of the original's headers or body in the diagnostic", async () => {
    for (const file of ["lhost-gmx-01.eml", "lhost-gmx-03.eml", "lhost-gmx-04.eml"]) {
      const parsed = await parse(file);
      expect(parsed.recipients.length).toBeGreaterThan(0);
      for (const r of parsed.recipients) {
        expect(r.diagnostic ?? "").not.toMatch(/\b(?:Received|From|To|Subject|Message-ID|X-Provags-ID):/i);
        expect(r.diagnostic ?? "").not.toMatch(/Nyaa|original message|trinity-/i);
      }
    }
  });
});
