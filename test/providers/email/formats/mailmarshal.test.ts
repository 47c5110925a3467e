import { describe, expect, it } from "vitest";
import { FORMATS } from "../../../../lambdas/providers/email/formats/index.js";
import { parseBounceEmail } from "../../../../lambdas/providers/email/parse.js";
import { parseCorpusEmail } from "../corpus-rows.js";

const parse = parseCorpusEmail;

/** A minimal ASCII text bounce. */
const email = (body: readonly string[]) =>
  Buffer.from(
    [
      "From: postmaster@example.com",
      "To: sender@example.org",
      'Subject: Undeliverable Mail: "Hello"',
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=us-ascii",
      "",
      ...body,
    ].join("\r\n"),
  );

const REPORT = [
  "Your message:",
  "   From:    sender@example.org",
  "   Subject: Hello",
  "",
  "Could not be delivered because of",
  "",
  "550 5.7.1 Relaying denied",
  "",
];

describe("the mailmarshal plain-text format", () => {
  it("is in FORMATS", () => {
    expect(FORMATS.map((f) => f.id)).toContain("mailmarshal");
  });

  it("reads lhost-mailmarshalsmtp-02.eml", async () => {
    const parsed = await parse("lhost-mailmarshalsmtp-02.eml");
    expect(parsed.kind).toBe("dsn");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("mailmarshal");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@nyaan.example.com", "5.1.1", null, "failed"],
    ]);
    // Sisimai's diagnostic keeps MailMarshal's "Could not be delivered because of" lead-in; ours is the reply.
    expect(parsed.recipients[0]?.diagnostic).toBe("550 5.1.1 User unknown");
  });

  it("reads each indented address of the list, never the original's From under 'Your message:'", async () => {
    const parsed = await parseBounceEmail(
      email([
        ...REPORT,
        "The following recipients were affected: ",
        "    a@example.net",
        "    b@example.net",
        "",
      ]),
    );
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("mailmarshal");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["a@example.net", "5.7.1", null, "failed"],
      ["b@example.net", "5.7.1", null, "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toBe("550 5.7.1 Relaying denied");
  });

  it("names no recipient without 'The following recipients were affected:'", async () => {
    const parsed = await parseBounceEmail(email([...REPORT, "    a@example.net", ""]));
    expect(parsed.kind).toBe("unrecognised");
    expect(parsed.recipients).toEqual([]);
  });

  it("keeps none of the original's headers nor the Additional Information in the diagnostic", async () => {
    const parsed = await parse("lhost-mailmarshalsmtp-02.eml");
    expect(parsed.recipients.length).toBeGreaterThan(0);
    for (const r of parsed.recipients) {
      expect(r.diagnostic ?? "").not.toMatch(
        /\b(?:From|Subject|Original Sender|Sender-MTA|Remote-MTA|Reporting-MTA):/i,
      );
      expect(r.diagnostic ?? "").not.toMatch(/Nyaan|sironeko|rr1\.example\.com/i);
    }
  });
});
