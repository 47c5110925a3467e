import { describe, expect, it } from "vitest";
import { FORMATS } from "../../../../lambdas/providers/email/formats/index.js";
import { parseBounceEmail } from "../../../../lambdas/providers/email/parse.js";
import { corpusEmail, parseCorpusEmail } from "../corpus-rows.js";

const parse = parseCorpusEmail;

/** A minimal ASCII text bounce with this subject. */
const email = (subject: string, body: readonly string[]) =>
  Buffer.from(
    [
      "From: MAILER-DAEMON@mx.example.com (Mail Delivery System)",
      "To: sender@example.org",
      `Subject: ${subject}`,
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=us-ascii",
      "",
      ...body,
    ].join("\r\n"),
  );

/** Postfix's delay_template (bounce.cf.default), then the recipient's line. */
const DELAY_WARNING = [
  "This is the mail system at host mx.example.com.",
  "",
  "####################################################################",
  "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #",
  "####################################################################",
  "",
  "Your message could not be delivered for more than 4 hour(s).",
  "It will be retried until it is 5 day(s) old.",
  "",
  "For further assistance, please send mail to postmaster.",
  "",
  "If you do so, please include this problem report. You can",
  "delete your own text from the attached returned message.",
  "",
  "                   The mail system",
  "",
  "<tmp@example.net>: host mx.example.net[192.0.2.9] said: 450 4.2.0 <tmp@example.net>:",
  "    Recipient address rejected: Greylisted (in reply to RCPT TO command)",
  "",
];

describe("the postfix plain-text format", () => {
  it("is in FORMATS", () => {
    expect(FORMATS.map((f) => f.id)).toContain("postfix");
  });

  it("reads lhost-postfix-07.eml: the old 'Postfix program' notice, the reason wrapped", async () => {
    const parsed = await parse("lhost-postfix-07.eml");
    expect(parsed.kind).toBe("dsn");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("postfix");
    // Sisimai says 5.0.910 (its pseudo code); ours is the class of the quoted 550 reply, X.0.0.
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@user.example.or.jp", "5.0.0", null, "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toBe(
      "host mx.user.example.or.jp[192.0.2.22] said: 550 <kijitora@user.example.or.jp>: User unknown",
    );
  });

  it("reads lhost-postfix-34.eml: a DNS failure, no code", async () => {
    const parsed = await parse("lhost-postfix-34.eml");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("postfix");
    // Sisimai says 5.0.944, its pseudo code.
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@example.com", null, null, "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toBe(
      "Name service error for domain example.com: Host not found, try again",
    );
  });

  it("reads lhost-postfix-75.eml: the SMTP server's 'Transcript of session follows'", async () => {
    const parsed = await parse("lhost-postfix-75.eml");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("postfix");
    // The RCPT TO was accepted (250); the session's first error answered DATA.
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@libsisimai.net", "4.3.0", "DATA", "failed"],
    ]);
    // Sisimai prefixes the 354 it saw before; ours is the error reply alone.
    expect(parsed.recipients[0]?.diagnostic).toBe("451 4.3.0 Error: queue file write error");
  });

  it("gives each transcript recipient its own RCPT refusal, the others the general error", async () => {
    const parsed = await parseBounceEmail(
      email("Postfix SMTP server: errors from client.example.org[192.0.2.1]", [
        "Transcript of session follows.",
        "",
        " Out: 220 mx.example.com ESMTP",
        " In:  EHLO client.example.org",
        " Out: 250 mx.example.com",
        " In:  MAIL FROM:<sender@example.org>",
        " Out: 250 2.1.0 Ok",
        " In:  RCPT TO:<nobody@example.com>",
        " Out: 550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown",
        " In:  RCPT TO:<somebody@example.com>",
        " Out: 250 2.1.5 Ok",
        " In:  DATA",
        " Out: 354 End data with <CR><LF>.<CR><LF>",
        " Out: 552 5.3.4 Message size exceeds fixed limit",
        " In:  QUIT",
        " Out: 221 2.0.0 Bye",
        "",
      ]),
    );
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("postfix");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["nobody@example.com", "5.1.1", "RCPT", "failed"],
      ["somebody@example.com", "5.3.4", "DATA", "failed"],
    ]);
  });

  it("does not take a session transcript without the SMTP server's subject", async () => {
    const raw = corpusEmail("lhost-postfix-75.eml")
      .toString("utf8")
      .replace(/^Subject: Postfix SMTP server: errors from .*$/m, "Subject: Session log");
    const parsed = await parseBounceEmail(Buffer.from(raw));
    expect(parsed.kind === "dsn" ? parsed.format : undefined).not.toBe("postfix");
    expect(parsed.recipients).toEqual([]);
  });

  it("reads the delay warning (delay_template) as delayed", async () => {
    const parsed = await parseBounceEmail(email("Delayed Mail (still being retried)", DELAY_WARNING));
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("postfix");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["tmp@example.net", "4.2.0", "RCPT", "delayed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toContain("Recipient address rejected: Greylisted");
  });

  it("reads rfc3464-34.eml: a delay warning flattened to text, its report's own Status taken", async () => {
    const parsed = await parse("rfc3464-34.eml");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("postfix");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@example.com", "4.4.1", null, "delayed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toBe(
      "connect to nyaan.example.com[192.0.2.2]:25: No route to host",
    );
  });

  it("reads the old Postfix's delay warning as delayed", async () => {
    const old = [
      "This is the Postfix program at host mx.example.com.",
      "",
      "####################################################################",
      "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #",
      "####################################################################",
      "",
      "Your message could not be delivered for 4.0 hours.",
      "It will be retried until it is 5.0 days old.",
      "",
      "<tmp@example.net>: connect to example.net[192.0.2.9]: Connection timed",
      "    out",
      "",
    ];
    const parsed = await parseBounceEmail(email("Delayed Mail (still being retried)", old));
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.action, r.diagnostic])).toEqual([
      ["tmp@example.net", null, "delayed", "connect to example.net[192.0.2.9]: Connection timed out"],
    ]);
  });

  it("does not take the mail system's success notice for a bounce", async () => {
    const parsed = await parseBounceEmail(
      email("Successful Mail Delivery Report", [
        "This is the mail system at host mx.example.com.",
        "",
        "Your message was successfully delivered to the destination(s)",
        "listed below. If the message was delivered to mailbox you will",
        "receive no further notifications. Otherwise you may still receive",
        "notifications of mail delivery errors from other systems.",
        "",
        "                   The mail system",
        "",
        "<someone@example.net>: delivery via mx.example.net[192.0.2.9]:25: 250 2.0.0 Ok",
        "",
      ]),
    );
    expect(parsed.kind).toBe("unrecognised");
    expect(parsed.recipients).toEqual([]);
  });

  it("keeps none of the original's headers or body in the diagnostic", async () => {
    for (const file of [
      "lhost-postfix-07.eml",
      "lhost-postfix-34.eml",
      "lhost-postfix-49.eml",
      "rfc3464-34.eml",
    ]) {
      const parsed = await parse(file);
      expect(parsed.recipients.length).toBeGreaterThan(0);
      for (const r of parsed.recipients) {
        expect(r.diagnostic ?? "").not.toMatch(/\b(?:Received|From|To|Subject|Message-ID|Return-Path):/i);
        // The originals' body is "Nyaan" (a host in rfc3464-34.eml is nyaan.example.com).
        expect(r.diagnostic ?? "").not.toMatch(/Nyaan/);
        expect(r.diagnostic ?? "").not.toMatch(/Final-Recipient|Reporting-MTA|Will-Retry-Until|X-Postfix/i);
      }
    }
  });
});
