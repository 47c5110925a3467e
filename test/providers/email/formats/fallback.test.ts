import { describe, expect, it } from "vitest";
import { parseBounceEmail } from "../../../../lambdas/providers/email/parse.js";

const exim = [
  "From: Mail Delivery System <Mailer-Daemon@mx.example.org>",
  "To: sender@example.org",
  "Subject: Mail delivery failed: returning message to sender",
  "X-Failed-Recipients: gone@example.net",
  "",
  "This message was created automatically by mail delivery software.",
  "",
  "A message that you sent could not be delivered to one or more of its",
  "recipients. This is a permanent error. The following address(es) failed:",
  "",
  "  gone@example.net",
  "    SMTP error from remote mail server after RCPT TO:<gone@example.net>:",
  "    host mx.example.net [192.0.2.1]: 550 5.1.1 User unknown",
  "",
  "------ This is a copy of the message, including all the headers. ------",
  "",
  "Subject: secret",
  "",
  "  body@example.com",
  "    the original's body 4.4.4",
  "",
].join("\r\n");

describe("the plain-text fallback of parseBounceEmail", () => {
  it("decodes an Exim bounce and reads nothing past the copy of the original", async () => {
    const parsed = await parseBounceEmail(exim);
    expect(parsed.kind).toBe("dsn");
    expect(parsed.kind === "dsn" ? parsed.format : undefined).toBe("exim");
    expect(parsed.recipients).toEqual([
      expect.objectContaining({
        recipient: "gone@example.net",
        status: "5.1.1",
        command: "RCPT",
        action: "failed",
        feedbackType: null,
      }),
    ]);
    expect(JSON.stringify(parsed)).not.toContain("original's body");
  });

  it("reads an Exim delay warning as delayed", async () => {
    const warning = exim
      .replace("Mail delivery failed: returning message to sender", "Warning: message 1abc delayed 24 hours")
      .replace(
        "A message that you sent could not be delivered to one or more of its\r\nrecipients. This is a permanent error. The following address(es) failed:",
        "A message that you sent has not yet been delivered to one or more of its\r\nrecipients after more than 24 hours on the queue.\r\nThe address to which the message has not yet been delivered is:",
      );
    const parsed = await parseBounceEmail(warning);
    expect(parsed.recipients.map((r) => [r.recipient, r.action])).toEqual([["gone@example.net", "delayed"]]);
  });

  it("leaves a message no format matches unrecognised", async () => {
    const parsed = await parseBounceEmail(
      "From: a@example.org\r\nSubject: hello\r\n\r\nJust a note to <b@example.org>:\r\n",
    );
    expect(parsed.kind).toBe("unrecognised");
    expect(parsed.recipients).toEqual([]);
  });
});
