import { describe, expect, it } from "vitest";
import { FORMATS } from "../../../../lambdas/providers/email/formats/index.js";
import { parseCorpusEmail } from "../corpus-rows.js";

const parse = parseCorpusEmail;

describe("the v5sendmail plain-text format", () => {
  it("is in FORMATS", () => {
    expect(FORMATS.map((f) => f.id)).toContain("v5sendmail");
  });

  it("reads lhost-v5sendmail-03.eml", async () => {
    const parsed = await parse("lhost-v5sendmail-03.eml");
    expect(parsed.kind).toBe("dsn");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("v5sendmail");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@example.org", "5.0.0", "RCPT", "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toBe("550 <kijitora@example.org>, User Unknown User unknown");
  });

  it("reads lhost-v5sendmail-05.eml: each recipient with its own dialogue, host lines skipped", async () => {
    const parsed = await parse("lhost-v5sendmail-05.eml");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("v5sendmail");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@example.edu", "5.0.0", "DATA", "failed"],
      ["kuroneko@example.or.jp", "5.0.0", null, "failed"],
      ["kijitora@example.org", "5.0.0", null, "failed"],
      ["mikeneko@example.co.jp", "5.0.0", "RCPT", "failed"],
    ]);
  });

  it("reads lhost-v5sendmail-07.eml: a refused MAIL FROM", async () => {
    const parsed = await parse("lhost-v5sendmail-07.eml");
    expect(parsed.recipients.map((r) => [r.recipient, r.command])).toEqual([
      ["kijitora@example.org", "MAIL"],
      ["mikeneko@example.org", null],
      ["hachiware@example.edu", "RCPT"],
    ]);
  });

  it("names no recipient for a host-level deferral alone (lhost-v5sendmail-01.eml)", async () => {
    const parsed = await parse("lhost-v5sendmail-01.eml");
    expect(parsed.kind).toBe("unrecognised");
    expect(parsed.recipients).toEqual([]);
  });

  it("keeps none of the original's body in the diagnostic", async () => {
    for (const file of ["lhost-v5sendmail-03.eml", "lhost-v5sendmail-05.eml"]) {
      const parsed = await parse(file);
      for (const r of parsed.recipients) {
        expect(r.diagnostic ?? "").not.toMatch(/^(?:Received|From|To|Subject):/im);
        expect(r.diagnostic ?? "").not.toMatch(/Nyaa/i);
      }
    }
  });
});
