import { describe, expect, it } from "vitest";
import { classify } from "../../../lambdas/core/classifier/index.js";

/**
 * "User unknown" words are not always a missing mailbox: a recipient-side filter refusing after DATA
 * often says the same. These cases pin which evidence turns the words into `filtered` and which
 * keeps them `user_unknown` (docs/classification.md, "What 'user unknown' needs").
 */
describe("user-unknown words and the evidence around them", () => {
  it.each([
    [
      "au/KDDI's filter form, no address before the colon",
      { smtpCode: "550", diagnostic: "550 : User unknown" },
    ],
    [
      "the same form quoted by Office 365",
      {
        smtpCode: "550",
        enhancedCode: "5.1.351",
        diagnostic:
          "Remote Server returned '550 5.1.351 Remote server returned unknown recipient or mailbox unavailable -> : User unknown'",
      },
    ],
    [
      "a mailbox-status code (X.2.0)",
      { smtpCode: "550", enhancedCode: "5.2.0", diagnostic: "550 User unknown" },
    ],
    [
      "a security or policy status (X.7)",
      { smtpCode: "550", enhancedCode: "5.7.1", diagnostic: "550 5.7.1 User Unknown: jdoe@example.org" },
    ],
    [
      "'Unknown user <address>' with no stage and no X.1 status",
      { smtpCode: "550", diagnostic: "550 Unknown user jdoe@docomo.example.ne.jp" },
    ],
    [
      "the DATA stage named",
      {
        smtpCode: "550",
        diagnostic:
          "host mx.example.net[192.0.2.1] said: 550 5.1.1 User unknown (in reply to end of DATA command)",
      },
    ],
  ])("is filtered: %s", (_name, input) => {
    // Act
    const result = classify(input);
    // Assess
    expect(result).toMatchObject({
      reason: "filtered",
      type: "invalid",
      subtype: "sender_or_recipient_rejected",
    });
  });

  it.each([
    [
      "KDDI's unknown-mailbox form, the address before the colon",
      { smtpCode: "550", diagnostic: "550 <jdoe@ezweb.example.ne.jp>: User unknown" },
    ],
    [
      "'Unknown user <address>' with an X.1.1 status",
      { smtpCode: "550", enhancedCode: "5.1.1", diagnostic: "550 Unknown user jdoe@docomo.example.ne.jp" },
    ],
    [
      "'Unknown user <address>' at RCPT (qmail's progress note)",
      {
        diagnostic:
          "Sorry, no SMTP connection got far enough; most progress was RCPT TO response; remote host 192.0.2.32 said: 550 Unknown user jdoe@example.ne.jp",
      },
    ],
    [
      "an X.7 status at RCPT",
      {
        smtpCode: "550",
        enhancedCode: "5.7.1",
        diagnostic:
          "SMTP error from remote mail server after RCPT TO:<jdoe@example.org>: 550 5.7.1 User unknown",
      },
    ],
    [
      "an X.2.0 status at RCPT",
      {
        smtpCode: "550",
        enhancedCode: "5.2.0",
        diagnostic: "host mx.example.org[192.0.2.1] said: 550 User unknown (in reply to RCPT TO command)",
      },
    ],
    [
      "plain 'User unknown' with an X.1.1 status",
      { smtpCode: "550", enhancedCode: "5.1.1", diagnostic: "550 5.1.1 User unknown" },
    ],
  ])("stays user_unknown: %s", (_name, input) => {
    // Act
    const result = classify(input);
    // Assess
    expect(result).toMatchObject({ reason: "user_unknown", type: "invalid", subtype: "mailbox_not_found" });
  });

  it("reads Amazon SES's legacy text by the receiver's quoted reply, not SES's status title", () => {
    // Prepare: "Unknown address error" is SES's title for 5.1.0; the receiver said "Access denied".
    const input = {
      smtpCode: "550",
      enhancedCode: "5.7.1",
      diagnostic:
        "5.1.0 - Unknown address error 550-'5.7.1 <bounce@example.com>... Access denied' (delivery attempts: 0)",
    };
    // Act
    const result = classify(input);
    // Assess
    expect(result.reason).toBe("security_error");
  });

  it("still reads a mailbox-full reply inside SES's legacy text", () => {
    // Act
    const result = classify({
      diagnostic:
        "5.1.0 - Unknown address error 550-'5.2.2 <jdoe@example.jp>... Mailbox Full' (delivery attempts: 0)",
    });
    // Assess
    expect(result.reason).toBe("mailbox_full");
  });

  it("takes Gmail's relay states after DATA as a filter, and state 14 (RCPT) at face value", () => {
    // Prepare
    const relay =
      "Google tried to deliver your message, but it was rejected by the recipient domain. The error that the other server returned was: ";
    // Act
    const afterData = classify({ smtpCode: "554", diagnostic: `${relay}554 5.7.0 Header error (state 18).` });
    const atRcpt = classify({
      smtpCode: "550",
      diagnostic: `${relay}550 5.1.1 <jdoe@example.jp>... User unknown (state 14).`,
    });
    // Assess
    expect(afterData).toMatchObject({ reason: "filtered", rule: "provider-gmail-state-after-data" });
    expect(atRcpt.reason).toBe("user_unknown");
  });
});
