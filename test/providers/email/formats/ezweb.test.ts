import { describe, expect, it } from "vitest";
import { FORMATS } from "../../../../lambdas/providers/email/formats/index.js";
import { parseBounceEmail } from "../../../../lambdas/providers/email/parse.js";
import { parseCorpusEmail } from "../corpus-rows.js";

const parse = parseCorpusEmail;

/** A minimal UTF-8 text bounce with these headers. */
const email = (headers: readonly string[], body: string) =>
  Buffer.from(
    [...headers, "MIME-Version: 1.0", "Content-Type: text/plain; charset=UTF-8", "", body].join("\r\n"),
    "utf8",
  );

describe("the ezweb plain-text format", () => {
  it("is in FORMATS", () => {
    expect(FORMATS.map((f) => f.id)).toContain("ezweb");
  });

  it("reads lhost-ezweb-01.eml: a bare <rcpt> line and the English prose after it", async () => {
    const parsed = await parse("lhost-ezweb-01.eml");
    expect(parsed.kind).toBe("dsn");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("ezweb");
    // Sisimai says 5.0.910, its pseudo code: the text quotes no code and no reply.
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["this-message-rejected-by-the-domain-filter@ezweb.ne.jp", null, null, "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toBe(
      "Each of the following recipients was rejected by a remote mail server.",
    );
  });

  it("reads lhost-ezweb-04.eml: Recipient:, the command sent and the reply, the Japanese prose dropped", async () => {
    const parsed = await parse("lhost-ezweb-04.eml");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("ezweb");
    // Sisimai says 5.0.911 (pseudo); ours is the class of the quoted 550 reply, X.0.0.
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["this-local-part-does-not-exist-on-the-server@ezweb.ne.jp", "5.0.0", "RCPT", "failed"],
    ]);
    const diagnostic = parsed.recipients[0]?.diagnostic ?? "";
    expect(diagnostic).toContain(
      "550 <this-local-part-does-not-exist-on-the-server@ezweb.ne.jp>: User unknown",
    );
    // The ISO-2022-JP prose above the English is not part of it.
    expect(diagnostic).toMatch(/^[\x20-\x7e]*$/);
  });

  it("reads lhost-ezweb-08.eml: a refused MAIL FROM", async () => {
    const parsed = await parse("lhost-ezweb-08.eml");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("ezweb");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora-neko-nyaan-22222-cats@hotmail.com", "5.0.0", "MAIL", "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toContain("550 SC-004 (COL0-MC1-F1) Unfortunately");
  });

  it("reads lhost-ezweb-05.eml: a message never delivered in time", async () => {
    const parsed = await parse("lhost-ezweb-05.eml");
    // Sisimai says delayed (its "expired" reason); EZweb has given up, so it is failed.
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.action])).toEqual([
      ["this-local-part-does-not-exist-on-the-server@ezweb.ne.jp", null, "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toContain(
      "Your message was not delivered within 0 days and 1 hours.",
    );
  });

  const body = [
    "次のあて先へのメッセージはエラーのため送信できませんでした。",
    "",
    "Each of the following recipients was rejected by a remote",
    "mail server.",
    "",
    "    Recipient: <nobody@ezweb.ne.jp>",
    "    >>> RCPT TO:<nobody@ezweb.ne.jp>",
    "    <<< 550 5.1.1 <nobody@ezweb.ne.jp>: User unknown",
    "",
  ].join("\r\n");

  it("reads a UTF-8 Japanese bounce with two of EZweb's marks (From and Subject)", async () => {
    const parsed = await parseBounceEmail(
      email(
        [
          "From: Postmaster@ezweb.ne.jp",
          "To: sender@example.com",
          "Subject: Mail System Error - Returned Mail",
        ],
        body,
      ),
    );
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("ezweb");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["nobody@ezweb.ne.jp", "5.1.1", "RCPT", "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).not.toContain("次のあて先");
  });

  it("does not take the same text with only one mark (the subject)", async () => {
    const parsed = await parseBounceEmail(
      email(
        [
          "From: postmaster@example.com",
          "To: sender@example.com",
          "Subject: Mail System Error - Returned Mail",
        ],
        body,
      ),
    );
    expect(parsed.kind).toBe("unrecognised");
    expect(parsed.recipients).toEqual([]);
  });

  it("keeps none of the original's headers in the diagnostic (lhost-ezweb-01.eml quotes them inline)", async () => {
    for (const file of ["lhost-ezweb-01.eml", "lhost-ezweb-04.eml", "lhost-ezweb-07.eml"]) {
      const parsed = await parse(file);
      expect(parsed.recipients.length).toBeGreaterThan(0);
      for (const r of parsed.recipients) {
        expect(r.diagnostic ?? "").not.toMatch(/\b(?:Received|From|To|Subject|Message-Id|Mime-Version):/i);
        expect(r.diagnostic ?? "").not.toMatch(/EZweb Mail|user@example\.or\.jp/);
      }
    }
  });
});
