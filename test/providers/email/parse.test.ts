import { describe, expect, it } from "vitest";
import { EmailParseError, EmailTooLargeError } from "../../../lambdas/providers/email/errors.js";
import {
  MAX_EMAIL_BYTES,
  type ParsedBounceEmail,
  parseBounceEmail,
} from "../../../lambdas/providers/email/parse.js";

/** A multipart/report around the given parts, CRLF line ends. */
function report(reportType: string, parts: string[], extraHeaders: string[] = []): string {
  const b = "BOUNDARY-1";
  return [
    "From: MAILER-DAEMON@mx.example.net",
    "To: sender@example.com",
    "Subject: =?UTF-8?B?w4ljaGVjIGRlIGxhIGRpc3RyaWJ1dGlvbg==?=",
    "Message-ID: <report-1@mx.example.net>",
    "Date: Sat, 13 Sep 2014 05:23:57 +0000",
    "MIME-Version: 1.0",
    `Content-Type: multipart/report; report-type=${reportType}; boundary="${b}"`,
    ...extraHeaders,
    "",
    ...parts.flatMap((p) => [`--${b}`, p]),
    `--${b}--`,
    "",
  ].join("\r\n");
}

const HUMAN = "Content-Type: text/plain; charset=us-ascii\r\n\r\nYour message could not be delivered.\r\n";
const ORIGINAL =
  'Content-Type: message/rfc822\r\n\r\nFrom: sender@example.com\r\nTo: "Kiji" <Kiji@Example.org>, neko@example.org\r\nMessage-ID: <orig-1@example.com>\r\nSubject: Hello\r\n\r\nSECRET BODY TEXT\r\n';

describe("parseBounceEmail", () => {
  it("reads a DSN with two recipients, the original's headers but never its body", async () => {
    const raw = report("delivery-status", [
      HUMAN,
      [
        "Content-Type: message/delivery-status",
        "",
        "Reporting-MTA: dns; mx.example.net",
        "",
        "Final-Recipient: rfc822; kiji@example.org",
        "Action: failed",
        "Status: 5.1.1",
        "Diagnostic-Code: smtp; 550 5.1.1 unknown (in reply to RCPT TO command)",
        "",
        "Final-Recipient: rfc822; neko@example.org",
        "Action: delayed",
        "Status: 4.2.2",
        "",
      ].join("\r\n"),
      ORIGINAL,
    ]);
    const parsed = await parseBounceEmail(Buffer.from(raw));
    expect(parsed.kind).toBe("dsn");
    expect(parsed.reportingMta).toBe("mx.example.net");
    expect(parsed.subject).toBe("Échec de la distribution");
    expect(parsed.date).toBe("2014-09-13T05:23:57.000Z");
    expect(parsed.original).toEqual({
      messageId: "<orig-1@example.com>",
      from: "sender@example.com",
      to: ["kiji@example.org", "neko@example.org"],
      subject: "Hello",
    });
    expect(
      parsed.recipients.map((r) => [r.recipient, r.action, r.status, r.command, r.feedbackType]),
    ).toEqual([
      ["kiji@example.org", "failed", "5.1.1", "RCPT", null],
      ["neko@example.org", "delayed", "4.2.2", null, null],
    ]);
    expect(JSON.stringify(parsed)).not.toContain("SECRET BODY TEXT");
  });

  it("reads a base64 delivery-status part and a string input", async () => {
    const body = Buffer.from("Final-Recipient: rfc822; a@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n");
    const raw = report("delivery-status", [
      `Content-Type: message/delivery-status\r\nContent-Transfer-Encoding: base64\r\n\r\n${body.toString("base64")}\r\n`,
    ]);
    const parsed = await parseBounceEmail(raw);
    expect(parsed.recipients.map((r) => r.recipient)).toEqual(["a@example.org"]);
  });

  it("reads an ARF complaint, falling back to the original's To", async () => {
    const raw = report("feedback-report", [
      HUMAN,
      "Content-Type: message/feedback-report\r\n\r\nFeedback-Type: fraud\r\nUser-Agent: FBL/1\r\nVersion: 1\r\nSource-IP: 192.0.2.1\r\n",
      "Content-Type: text/rfc822-headers\r\n\r\nFrom: sender@example.com\r\nTo: victim@example.org\r\n",
    ]);
    const parsed = await parseBounceEmail(raw);
    expect(parsed.kind).toBe("arf");
    expect(parsed.recipients.map((r) => [r.recipient, r.feedbackType])).toEqual([
      ["victim@example.org", "fraud"],
    ]);
    if (parsed.kind === "arf") expect(parsed.feedback.sourceIp).toBe("192.0.2.1");
  });

  it("recognises an auto-reply and a plain message", async () => {
    const vacation =
      "From: a@example.org\r\nTo: b@example.com\r\nSubject: Out of office\r\nAuto-Submitted: auto-replied\r\n\r\nAway.\r\n";
    expect((await parseBounceEmail(vacation)).kind).toBe("auto-reply");
    const plain = "From: a@example.org\r\nTo: b@example.com\r\nSubject: Hi\r\n\r\nHello.\r\n";
    const parsed = await parseBounceEmail(plain);
    expect(parsed.kind).toBe("unrecognised");
    expect(parsed.recipients).toEqual([]);
  });

  it("tolerates an unknown charset and non-ASCII headers", async () => {
    const raw = report("delivery-status", [
      "Content-Type: text/plain; charset=x-no-such-charset\r\n\r\nHello\r\n",
      "Content-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822; a@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n",
    ]).replace(
      "Subject: =?UTF-8?B?w4ljaGVjIGRlIGxhIGRpc3RyaWJ1dGlvbg==?=",
      "Subject: =?x-unknown?Q?abc?= 退信",
    );
    const parsed = await parseBounceEmail(Buffer.from(raw, "utf8"));
    expect(parsed.recipients.map((r) => r.recipient)).toEqual(["a@example.org"]);
    expect(parsed.subject).toContain("退信");
  });

  it("never crashes on malformed MIME", async () => {
    for (const raw of [
      "",
      "\u0000\u0001\u0002",
      "Content-Type: multipart/report; boundary=\r\n\r\n--\r\n--\r\n",
      "Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: message/delivery-status\r\n\r\n::::\r\n",
      "no headers at all, just text",
    ]) {
      const parsed = await parseBounceEmail(raw).catch((error: unknown) => error);
      if (parsed instanceof Error) expect(parsed).toBeInstanceOf(EmailParseError);
      else expect((parsed as ParsedBounceEmail).recipients).toEqual([]);
    }
  });

  it("refuses MIME nested deeper than the limit with an EmailParseError carrying the cause", async () => {
    const depth = 64;
    const lines: string[] = ["Content-Type: multipart/mixed; boundary=b0", ""];
    for (let i = 1; i < depth; i++)
      lines.push(`--b${i - 1}`, `Content-Type: multipart/mixed; boundary=b${i}`, "");
    lines.push(`--b${depth - 1}`, "Content-Type: text/plain", "", "x");
    for (let i = depth - 1; i >= 0; i--) lines.push(`--b${i}--`);
    const error = await parseBounceEmail(lines.join("\r\n")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmailParseError);
    expect((error as EmailParseError).cause).toBeInstanceOf(Error);
  });

  it("refuses too many parts", async () => {
    const parts = Array.from(
      { length: 600 },
      (_, i) => `Content-Type: application/octet-stream\r\n\r\n${i}\r\n`,
    );
    await expect(parseBounceEmail(report("delivery-status", parts))).rejects.toBeInstanceOf(EmailParseError);
  });

  it("refuses input above the size cap before parsing, and reads a big attachment below it", async () => {
    const big = Buffer.alloc(MAX_EMAIL_BYTES + 1, 0x61);
    const error = await parseBounceEmail(big).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmailTooLargeError);
    expect(error).toBeInstanceOf(EmailParseError);

    // 10 MB of attachment is ~13.5 MB of base64: over the cap.
    const attachment = Buffer.alloc(10_000_000, 1).toString("base64").replace(/.{76}/g, "$&\r\n");
    const tooBig = report("delivery-status", [
      `Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n${attachment}\r\n`,
    ]);
    await expect(parseBounceEmail(tooBig)).rejects.toBeInstanceOf(EmailTooLargeError);

    // 6 MB of attachment fits, and the report beside it is read.
    const fits = report("delivery-status", [
      "Content-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822; a@example.org\r\nStatus: 5.1.1\r\n",
      `Content-Type: message/rfc822\r\n\r\nTo: a@example.org\r\n\r\n${attachment.slice(0, 8_000_000)}\r\n`,
    ]);
    const parsed = await parseBounceEmail(fits);
    expect(parsed.recipients.map((r) => r.recipient)).toEqual(["a@example.org"]);
    expect(parsed.original?.to).toEqual(["a@example.org"]);
  });
});
