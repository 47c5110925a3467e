import { describe, expect, it } from "vitest";
import { FORMATS } from "../../../../lambdas/providers/email/formats/index.js";
import { parseBounceEmail } from "../../../../lambdas/providers/email/parse.js";
import { parseCorpusEmail } from "../corpus-rows.js";

const parse = parseCorpusEmail;

/** A minimal ASCII text bounce with these headers. */
const email = (headers: readonly string[], body: string) =>
  Buffer.from(
    [...headers, "MIME-Version: 1.0", "Content-Type: text/plain; charset=us-ascii", "", body].join("\r\n"),
  );

describe("the imailserver plain-text format", () => {
  it("is in FORMATS", () => {
    expect(FORMATS.map((f) => f.id)).toContain("imailserver");
  });

  it("reads lhost-imailserver-01.eml", async () => {
    const parsed = await parse("lhost-imailserver-01.eml");
    expect(parsed.kind).toBe("dsn");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("imailserver");
    // Sisimai says 5.0.911, its pseudo code: IMail's line carries no code.
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@example.com", null, null, "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toBe("Unknown user: kijitora@example.com");
  });

  it("reads lhost-imailserver-02.eml: a full mailbox", async () => {
    const parsed = await parse("lhost-imailserver-02.eml");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("imailserver");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@example.co.jp", null, null, "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toBe(
      "User mailbox exceeds allowed size: kijitora@example.co.jp",
    );
  });

  it("reads lhost-imailserver-06.eml: the remote reply is the reason; the pasted To: is no recipient", async () => {
    const parsed = await parse("lhost-imailserver-06.eml");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("imailserver");
    // Sisimai names HELO, read from the "HELO=[…]" inside the reply text; no command was answered.
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@example.jp", null, null, "failed"],
    ]);
    const diagnostic = parsed.recipients[0]?.diagnostic ?? "";
    expect(diagnostic).toMatch(/^REJECTED - Blacklisted URL in message\. \(example\.com\) in \[black\]\./);
    // The "550-" continuation prefixes are dropped.
    expect(diagnostic).not.toMatch(/\b550-/);
  });

  it("does not take 'Unknown user: …' without IMail's X-Mailer or subject", async () => {
    const parsed = await parseBounceEmail(
      email(
        ["From: postmaster@example.org", "To: sender@example.org", "Subject: Returned mail"],
        "Unknown user: nobody@example.com\r\n\r\n",
      ),
    );
    expect(parsed.kind).toBe("unrecognised");
    expect(parsed.recipients).toEqual([]);
  });

  it("reads the same text with IMail's subject", async () => {
    const parsed = await parseBounceEmail(
      email(
        ["From: postmaster@example.org", "To: sender@example.org", "Subject: Undeliverable Mail"],
        "Unknown user: nobody@example.com\r\n\r\n",
      ),
    );
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("imailserver");
    expect(parsed.recipients.map((r) => r.recipient)).toEqual(["nobody@example.com"]);
  });

  it("keeps none of the original's headers or body in the diagnostic", async () => {
    for (const file of ["lhost-imailserver-01.eml", "lhost-imailserver-03.eml", "lhost-imailserver-06.eml"]) {
      const parsed = await parse(file);
      expect(parsed.recipients.length).toBeGreaterThan(0);
      for (const r of parsed.recipients) {
        expect(r.diagnostic ?? "").not.toMatch(/\b(?:Received|From|Reply-To|To|Subject|Message-ID|CC):/i);
        expect(r.diagnostic ?? "").not.toMatch(/Nyaa|Original message follows|Karen Alton/i);
      }
    }
  });
});
