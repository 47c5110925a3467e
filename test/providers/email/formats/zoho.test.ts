import { describe, expect, it } from "vitest";
import { FORMATS } from "../../../../lambdas/providers/email/formats/index.js";
import { parseBounceEmail } from "../../../../lambdas/providers/email/parse.js";
import { parseCorpusEmail } from "../corpus-rows.js";

const parse = parseCorpusEmail;

/** A minimal ASCII text bounce from this sender. */
const email = (from: string, subject: string, body: readonly string[]) =>
  Buffer.from(
    [
      `From: ${from}`,
      "To: sender@zoho.example.com",
      `Subject: ${subject}`,
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=UTF-8",
      "",
      ...body,
    ].join("\r\n"),
  );

const WARNING = [
  "This message was created automatically by mail delivery system.",
  "",
  "THIS IS A WARNING MESSAGE ONLY.",
  "",
  "YOU DO NOT NEED TO RESEND YOUR MESSAGE.",
  "",
  "The original message was received at Fri, 12 Dec 2014 03:49:58 -0800",
  "from sender@zoho.example.com [sender@zoho.example.com]",
  "",
  "----- The following addresses had fatal errors -----",
  "[Status: Error, Address: <one@example.net>, ResponseCode 421, , Host not reachable.]",
  "[Status: Error, Address: <two@example.net>, ResponseCode 450, 4.7.1, Try again later]",
  "",
  "Message will be retried for 4 more day(s)",
  "",
  "----- Transcript of session follows -----",
  "",
  "Received:from mail.zoho.com by mx.zohomail.com",
  "To:<one@example.net>",
  "Subject:Hello",
  "",
];

describe("the zoho plain-text format", () => {
  it("is in FORMATS", () => {
    expect(FORMATS.map((f) => f.id)).toContain("zoho");
  });

  it("reads lhost-zoho-01.eml: one line per recipient, quoted-printable", async () => {
    const parsed = await parse("lhost-zoho-01.eml");
    expect(parsed.kind).toBe("dsn");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("zoho");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@example.co.jp", "5.1.1", null, "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toBe(
      "Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 <kijitora@example.co.jp>... User Unknown",
    );
  });

  it("reads lhost-zoho-02.eml: two recipients", async () => {
    const parsed = await parse("lhost-zoho-02.eml");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("zoho");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["mikeneko@example.co.jp", "5.2.1", null, "failed"],
      ["sabineko@example.co.jp", "5.2.2", null, "failed"],
    ]);
    expect(parsed.recipients[1]?.diagnostic).toContain("Mailbox Full");
  });

  it("reads lhost-zoho-04.eml: the warning's [Status: …, Address: <…>] line, delayed", async () => {
    const parsed = await parse("lhost-zoho-04.eml");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("zoho");
    // Sisimai says 4.0.947, its pseudo code: "ResponseCode 421," is no RFC 3463 code.
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@6kaku.example.co.jp", null, null, "delayed"],
    ]);
    // Sisimai keeps the whole bracket; ours is what follows the address.
    expect(parsed.recipients[0]?.diagnostic).toBe("ResponseCode 421, , Host not reachable.");
  });

  it("reads lhost-zoho-05.eml: 'a permanent error' is failed", async () => {
    const parsed = await parse("lhost-zoho-05.eml");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("zoho");
    // Sisimai says 4.0.947/delayed from the 421 it quotes; Zoho's own words are "This is a
    // permanent error", and there is no "will be retried".
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["kijitora@7jo.example.jp", null, null, "failed"],
    ]);
    expect(parsed.recipients[0]?.diagnostic).toBe(
      "Error, ERROR_CODE :421, ERROR_CODE :, Host not reachable.",
    );
  });

  it("reads each [Status: …] line of a warning; the pasted original after the transcript is not read", async () => {
    const parsed = await parseBounceEmail(
      email("mailer-daemon@mail.zoho.com", "Mail Delivery Status Notification (Delay)", WARNING),
    );
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("zoho");
    expect(parsed.recipients.map((r) => [r.recipient, r.status, r.command, r.action])).toEqual([
      ["one@example.net", null, null, "delayed"],
      ["two@example.net", "4.7.1", null, "delayed"],
    ]);
    expect(parsed.recipients[1]?.diagnostic).toBe("ResponseCode 450, 4.7.1, Try again later");
  });

  it("does not take the same text from a sender that is not Zoho's", async () => {
    const parsed = await parseBounceEmail(
      email("mailer-daemon@mx.example.com", "Mail Delivery Status Notification (Delay)", WARNING),
    );
    expect(parsed.kind === "dsn" ? parsed.format : undefined).not.toBe("zoho");
    expect(parsed.recipients).toEqual([]);
  });

  it("keeps none of the original's headers or body in the diagnostic", async () => {
    for (const file of ["lhost-zoho-01.eml", "lhost-zoho-03.eml", "lhost-zoho-04.eml"]) {
      const parsed = await parse(file);
      expect(parsed.recipients.length).toBeGreaterThan(0);
      for (const r of parsed.recipients) {
        expect(r.diagnostic ?? "").not.toMatch(/\b(?:Received|From|To|Subject|Message-ID|User-Agent):/i);
        expect(r.diagnostic ?? "").not.toMatch(/Nyaa|zohomail|Zoho Mail/i);
      }
    }
  });
});
