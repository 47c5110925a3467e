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
      "Subject: Undeliverable message",
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=us-ascii",
      "",
      ...body,
    ].join("\r\n"),
  );

describe("the notes plain-text format", () => {
  it("is in FORMATS", () => {
    expect(FORMATS.map((f) => f.id)).toContain("notes");
  });

  it("reads lhost-notes-01.eml: a Japanese (ISO-2022-JP) reason", async () => {
    const parsed = await parse("lhost-notes-01.eml");
    expect(parsed.kind).toBe("dsn");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("notes");
    // Sisimai says 5.0.901, its pseudo code: Notes gives no code and no command.
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@u1.example.co.jp", null, null, "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toBe("エラー(テストメッセージとしての)");
  });

  it("reads lhost-notes-03.eml", async () => {
    const parsed = await parse("lhost-notes-03.eml");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("notes");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@example.com", null, null, "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toBe("User not listed in public Name & Address Book");
  });

  it("names no recipient when the failure reasons list no address", async () => {
    const parsed = await parseBounceEmail(
      email([
        "------- Failure Reasons  --------",
        "",
        "User not listed in public Name & Address Book",
        "",
        "------- Returned Message --------",
        "To: someone@example.com",
        "",
        "someone@example.com",
      ]),
    );
    expect(parsed.kind).toBe("unrecognised");
    expect(parsed.recipients).toEqual([]);
  });

  it("does not take an address alone on a line without the Failure Reasons banner", async () => {
    const parsed = await parseBounceEmail(
      email(["User not listed in public Name & Address Book", "someone@example.com", ""]),
    );
    expect(parsed.kind).toBe("unrecognised");
  });

  it("keeps none of the original's headers or body in the diagnostic", async () => {
    for (const file of ["lhost-notes-01.eml", "lhost-notes-02.eml", "lhost-notes-03.eml"]) {
      const parsed = await parse(file);
      expect(parsed.recipients.length).toBeGreaterThan(0);
      for (const r of parsed.recipients) {
        expect(r.diagnostic ?? "").not.toMatch(/\b(?:Received|From|To|Subject|Message-I[Dd]|Reply-To):/i);
        expect(r.diagnostic ?? "").not.toMatch(/Nyaa|Returned Message|Lotus SMTP/i);
      }
    }
  });
});
