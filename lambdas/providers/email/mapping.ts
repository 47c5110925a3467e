/**
 * The raw-email event → taxonomy mapping as data (lambdas/providers/mapping.ts): the rows of the
 * table in docs/providers/email.md, each with a raw email (a string: the body of
 * `POST /v1/import/email` as it is) that test/providers/mapping.test.ts runs through the adapter.
 * Read only by the docs generator and the tests, never by the adapter.
 */
import type { ProviderMapping } from "../mapping.js";

const CRLF = "\r\n";
const BOUNDARY = "REPORT-BOUNDARY-1";

/** A `multipart/report` of `reportType` around a human part and `report` (its fields), CRLF line ends. */
function report(
  reportType: string,
  reportPart: string,
  report: readonly string[],
  headers: readonly string[],
) {
  return [
    ...headers,
    "MIME-Version: 1.0",
    `Content-Type: multipart/report; report-type=${reportType}; boundary="${BOUNDARY}"`,
    "",
    `--${BOUNDARY}`,
    "Content-Type: text/plain; charset=us-ascii",
    "",
    "This is an automatically generated report.",
    "",
    `--${BOUNDARY}`,
    `Content-Type: ${reportPart}`,
    "",
    ...report,
    "",
    `--${BOUNDARY}`,
    "Content-Type: text/rfc822-headers",
    "",
    "From: news@sender.example.com",
    "To: jdoe@example.org",
    "Subject: Your receipt",
    "Message-ID: <original-1@sender.example.com>",
    "",
    `--${BOUNDARY}--`,
    "",
  ].join(CRLF);
}

/** A DSN (RFC 3464) from `mx.example.net` about one recipient, with its per-recipient fields. */
function dsn(id: string, recipient: string, fields: readonly string[]): string {
  return report(
    "delivery-status",
    "message/delivery-status",
    [
      "Reporting-MTA: dns; mx.example.net",
      "Arrival-Date: Fri, 20 Nov 2026 09:59:58 +0000",
      "",
      `Final-Recipient: rfc822; ${recipient}`,
      ...fields,
    ],
    [
      "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>",
      "To: news@sender.example.com",
      "Subject: Undelivered Mail Returned to Sender",
      `Message-ID: <${id}@mx.example.net>`,
      "Date: Fri, 20 Nov 2026 10:00:00 +0000",
    ],
  );
}

/** An ARF report (RFC 5965) of `feedbackType` about `recipient`. */
function arf(id: string, recipient: string, feedbackType: string): string {
  return report(
    "feedback-report",
    "message/feedback-report",
    [
      `Feedback-Type: ${feedbackType}`,
      "User-Agent: ExampleFBL/1.0",
      "Version: 1",
      "Original-Mail-From: <news@sender.example.com>",
      `Original-Rcpt-To: <${recipient}>`,
      "Arrival-Date: Fri, 20 Nov 2026 09:00:00 +0000",
    ],
    [
      "From: Feedback Loop <fbl@isp.example.net>",
      "To: abuse@sender.example.com",
      "Subject: Email Feedback Report",
      `Message-ID: <${id}@isp.example.net>`,
      "Date: Fri, 20 Nov 2026 10:00:00 +0000",
    ],
  );
}

/** A plain message: an auto-reply when `headers` say so, else nothing this service reads. */
const plain = (headers: readonly string[], body: string): string =>
  [
    "From: jdoe@example.org",
    "To: news@sender.example.com",
    "Message-ID: <reply-1@example.org>",
    "Date: Fri, 20 Nov 2026 10:00:00 +0000",
    ...headers,
    "Content-Type: text/plain; charset=us-ascii",
    "",
    body,
    "",
  ].join(CRLF);

const HARD_BOUNCE_EFFECT =
  "per reason: `user_unknown`/`has_moved`/`suspend` 365 d, `host_unknown`/`not_accept` 30 d, `bad_address_format` never; IP/content/auth rejections and `undefined` none";
const SOFT_BOUNCE_EFFECT =
  "recipient-side reasons (`mailbox_full`, `expired`, …) count toward 3 in 14 days → 7 d; others none";
const CLASSIFIER = "the classifier's (`Diagnostic-Code`, `Status`)";

export const MAPPING: ProviderMapping = {
  eventColumn: "Email (report, per recipient)",
  rows: [
    {
      when: "DSN, `Action: failed`, `Status: 5.x.x` (or no status, a 5xx in `Diagnostic-Code`)",
      becomes: "`invalid` / by the classifier (`mailbox_not_found`, …), scope `*`",
      reason: CLASSIFIER,
      rule: CLASSIFIER,
      effect: HARD_BOUNCE_EFFECT,
      example: {
        payload: dsn("dsn-failed-1", "jdoe@example.org", [
          "Action: failed",
          "Status: 5.1.1",
          "Remote-MTA: dns; mx.example.org",
          "Diagnostic-Code: smtp; 550 5.1.1 <jdoe@example.org>: Recipient address rejected: User unknown",
        ]),
        gives: {
          type: "invalid",
          subtype: "mailbox_not_found",
          reason: "user_unknown",
          rule: "text-user-unknown",
          scope: "*",
        },
      },
    },
    {
      when: "DSN, `Action: failed`, `Status: 4.x.x`",
      becomes: "`soft_bounce` / by the classifier, never permanent (the MTA's own verdict), scope `*`",
      reason: CLASSIFIER,
      rule: CLASSIFIER,
      effect: SOFT_BOUNCE_EFFECT,
      example: {
        payload: dsn("dsn-failed-4xx", "full.mailbox@example.org", [
          "Action: failed",
          "Status: 4.2.2",
          "Diagnostic-Code: smtp; 452 4.2.2 Mailbox full",
        ]),
        gives: { type: "soft_bounce", reason: "mailbox_full", scope: "*" },
      },
    },
    {
      when: "DSN, `Action: delayed` (or no action, a 4.x.x `Status`)",
      becomes:
        "`soft_bounce` / the classifier's when it names a soft reason, else `soft_bounce` / `service_unreachable`",
      reason: "the classifier's, else `expired`",
      rule: "the classifier's, else `action-delayed`",
      effect: SOFT_BOUNCE_EFFECT,
      example: {
        payload: dsn("dsn-delayed-1", "slow.host@example.org", [
          "Action: delayed",
          "Status: 4.0.0",
          "Will-Retry-Until: Sat, 21 Nov 2026 10:00:00 +0000",
        ]),
        gives: { type: "soft_bounce", reason: "expired", rule: "action-delayed", scope: "*" },
      },
    },
    {
      when: "DSN, `Action: delivered`, `relayed` or `expanded` (or no action, a 2.x.x `Status`)",
      becomes: "`delivered`",
      reason: "—",
      rule: "`dsn-delivered`, `dsn-relayed`, `dsn-expanded` (by the action)",
      effect: "resets the soft-bounce count of the address and ends its soft-bounce escalation",
      example: {
        payload: dsn("dsn-relayed-1", "jdoe@example.org", ["Action: relayed", "Status: 2.0.0"]),
        gives: { type: "delivered", rule: "dsn-relayed" },
      },
    },
    {
      when: "ARF feedback report (`Feedback-Type` `abuse`, `fraud`, `virus`, `other`…)",
      becomes:
        "`complaint`, one per `Original-Rcpt-To` (else `Removal-Recipient`, else the original's `To`), with its `feedbackType`, scope `*`",
      reason: "—",
      rule: "`arf-complaint`",
      effect: "180 d",
      example: {
        payload: arf("arf-abuse-1", "richard@example.com", "abuse"),
        gives: { type: "complaint", feedbackType: "abuse", rule: "arf-complaint", scope: "*" },
      },
    },
    {
      when: "ARF feedback report, `Feedback-Type: not-spam`",
      becomes: "`complaint`, `feedbackType: not-spam` (recorded)",
      reason: "—",
      rule: "`arf-complaint`",
      effect: "none (policy `complaint.ignoreFeedbackTypes`)",
      example: {
        payload: arf("arf-not-spam-1", "pat@example.org", "not-spam"),
        gives: { type: "complaint", feedbackType: "not-spam", rule: "arf-complaint" },
      },
    },
    {
      when: "An auto-reply (`Auto-Submitted: auto-replied`, vacation and out-of-office notices, RFC 3834)",
      becomes: "ignored (`ignored: 1`)",
      reason: "—",
      rule: "—",
      effect: "none: an auto-reply says nothing about delivery",
      example: {
        payload: plain(["Subject: Out of office", "Auto-Submitted: auto-replied"], "I am away until Monday."),
        gives: "ignored",
      },
    },
    {
      when: "Any other message (a bounce in prose only, without a `message/delivery-status` part), or a report naming no recipient",
      becomes: "ignored (`ignored: 1`)",
      reason: "—",
      rule: "—",
      effect: "none: only standard reports are read",
      example: {
        payload: plain(["Subject: Hello"], "Just a message, no report."),
        gives: "ignored",
      },
    },
  ],
};
