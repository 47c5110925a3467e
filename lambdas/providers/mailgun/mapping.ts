/**
 * How Mailgun's events map to our taxonomy, as data: the rows of the table in
 * docs/providers/mailgun.md ("How Mailgun's events map to our taxonomy"), each with an example event
 * (an Events API item, as `POST /v1/import/mailgun` takes it) that test/providers/mapping.test.ts
 * runs through the adapter. Read only by the docs generator and the tests, never by the adapter.
 */
import type { ProviderMapping } from "../mapping.js";

type Json = Record<string, unknown>;

/** One Mailgun event as the Events API (or a webhook's `event-data`) gives it. */
const event = (kind: string, id: string, recipient: string, fields: Json = {}): Json => ({
  event: kind,
  id,
  timestamp: 1763990000.512345,
  recipient,
  "recipient-domain": recipient.slice(recipient.indexOf("@") + 1),
  envelope: { sender: "news@mg.example.org", targets: recipient, transport: "smtp" },
  message: {
    headers: {
      to: recipient,
      "message-id": "20261124150000.1.AB12CD34@mg.example.org",
      from: "News <news@mg.example.org>",
      subject: "Weekly news",
    },
  },
  tags: ["newsletter"],
  ...fields,
});

/** A `failed` event: its severity, Mailgun's reason, and the `delivery-status` of the last attempt. */
const failed = (
  id: string,
  recipient: string,
  severity: "permanent" | "temporary",
  reason: string,
  deliveryStatus: Json,
): Json =>
  event("failed", id, recipient, {
    "log-level": severity === "permanent" ? "error" : "warn",
    severity,
    reason,
    "delivery-status": deliveryStatus,
  });

export const MAPPING: ProviderMapping = {
  eventColumn: "Mailgun event",
  rows: [
    {
      when: "`accepted`",
      becomes: "`request`",
      reason: "—",
      rule: "`mailgun-accepted`",
      effect: "none",
      example: {
        payload: event("accepted", "CCXMjJ7nQi2N3BPigGOdgQ", "jdoe@example.org", {
          "log-level": "info",
          "delivery-status": null,
        }),
        gives: { type: "request", rule: "mailgun-accepted" },
      },
    },
    {
      when: "`delivered`",
      becomes: "`delivered`",
      reason: "—",
      rule: "`mailgun-delivered`",
      effect: "resets the soft-bounce count",
      example: {
        payload: event("delivered", "MXcc2gEpS-eN8HfkOnmK2w", "jdoe@example.org", {
          "log-level": "info",
          "delivery-status": { code: 250, message: "OK", description: "", "attempt-no": 1, tls: true },
        }),
        gives: { type: "delivered", rule: "mailgun-delivered" },
      },
    },
    {
      when: "`failed` permanent (or without a severity), `bounce` / `generic` / other",
      becomes: "from `delivery-status` by the classifier, e.g. 550 5.1.1 → `invalid` / `mailbox_not_found`",
      reason: "the classifier's (`user_unknown`, …)",
      rule: "the classifier's (`text-…`, `enhanced-…`)",
      effect:
        "by reason: `user_unknown`/`has_moved`/`suspend` 365 d, `host_unknown`/`not_accept` 30 d, `bad_address_format` never expires; IP, reputation and content blocks: none",
      example: {
        payload: failed("G9Bn5sl1TC6nu79C8C0bwg", "Nobody@Example.org", "permanent", "bounce", {
          "attempt-no": 1,
          message:
            "5.1.1 The email account that you tried to reach does not exist. Please try\n5.1.1 double-checking the recipient's email address for typos",
          code: 550,
          "enhanced-code": "5.1.1",
          description: "",
          "mx-host": "mx.example.org",
        }),
        gives: {
          type: "invalid",
          subtype: "mailbox_not_found",
          reason: "user_unknown",
          rule: "text-user-unknown",
        },
      },
    },
    {
      when: "`failed`, `suppress-bounce` (605)",
      becomes: "`invalid` / `blocklisted`",
      reason: "`suppressed`",
      rule: "`mailgun-suppress-bounce`",
      effect: "90 d",
      example: {
        payload: failed("sB1u5pPr3ss-bounce0001", "bounced@example.org", "permanent", "suppress-bounce", {
          "attempt-no": 1,
          message: "",
          code: 605,
          description: "Not delivering to previously bounced address",
        }),
        gives: {
          type: "invalid",
          subtype: "blocklisted",
          reason: "suppressed",
          rule: "mailgun-suppress-bounce",
        },
      },
    },
    {
      when: "`failed`, `suppress-complaint` (607)",
      becomes: "`invalid` / `blocklisted`",
      reason: "`suppressed`",
      rule: "`mailgun-suppress-complaint`",
      effect: "90 d",
      example: {
        payload: failed("sC1u5pPr3ss-cmplnt0001", "angry@example.org", "permanent", "suppress-complaint", {
          "attempt-no": 1,
          message: "",
          code: 607,
          description: "Not delivering to a user who marked your messages as spam",
        }),
        gives: {
          type: "invalid",
          subtype: "blocklisted",
          reason: "suppressed",
          rule: "mailgun-suppress-complaint",
        },
      },
    },
    {
      when: "`failed`, `suppress-unsubscribe` (606)",
      becomes: "`invalid` / `unsubscribed`",
      reason: "`unsubscribed`",
      rule: "`mailgun-suppress-unsubscribe`",
      effect: "as an unsubscribe, `*`, never expires",
      example: {
        payload: failed("sU1u5pPr3ss-unsub00001", "gone@example.org", "permanent", "suppress-unsubscribe", {
          "attempt-no": 1,
          message: "",
          code: 606,
          description: "Not delivering to unsubscribed address",
        }),
        gives: {
          type: "invalid",
          subtype: "unsubscribed",
          reason: "unsubscribed",
          rule: "mailgun-suppress-unsubscribe",
        },
      },
    },
    {
      when: "`failed`, any other `suppress-*`",
      becomes: "`invalid` / `blocklisted`",
      reason: "`suppressed`",
      rule: "`mailgun-suppress-other`",
      effect: "90 d",
      example: {
        payload: failed("sO1u5pPr3ss-other00001", "listed@example.org", "permanent", "suppress-allowlist", {
          "attempt-no": 1,
          message: "",
          code: 605,
          description: "Not delivering to a suppressed address",
        }),
        gives: {
          type: "invalid",
          subtype: "blocklisted",
          reason: "suppressed",
          rule: "mailgun-suppress-other",
        },
      },
    },
    {
      when: "`failed` permanent (or without a severity), `espblock`",
      becomes: "the classifier's; if it finds nothing specific, `invalid` / `sender_or_recipient_rejected`",
      reason: "the classifier's; if nothing specific, `blocked`",
      rule: "the classifier's; if nothing specific, `mailgun-espblock`",
      effect: "by reason; `blocked`: none (says nothing about the address)",
      example: {
        payload: failed("eSpBl0ck-permanent0001", "someone@example.com", "permanent", "espblock", {
          "attempt-no": 1,
          message: "",
          code: 605,
          description: "",
        }),
        gives: {
          type: "invalid",
          subtype: "sender_or_recipient_rejected",
          reason: "blocked",
          rule: "mailgun-espblock",
        },
      },
    },
    {
      when: "`failed` temporary, `old` (Mailgun gave up: the final failure of the message)",
      becomes:
        "the classifier's on the last attempt, `permanent: false`, e.g. 452 4.2.2 → `soft_bounce` / `other`",
      reason: "the classifier's, e.g. `mailbox_full`",
      rule: "the classifier's",
      effect: "soft-bounce count (3 in 14 d → 7 d) for recipient-side reasons",
      example: {
        payload: failed("oLd-fu11-gaveup-0000001", "full@example.org", "temporary", "old", {
          "attempt-no": 8,
          description: "",
          code: 452,
          "enhanced-code": "4.2.2",
          message: "4.2.2 The email account that you tried to reach is over quota.",
          "mx-host": "mx.example.org",
        }),
        gives: { type: "soft_bounce", subtype: "other", reason: "mailbox_full", rule: "text-mailbox-full" },
      },
    },
    {
      when: "`failed` temporary, `old`, `No MX for <domain>` in the text (Mailgun gives code 498)",
      becomes: "`invalid` / `server_unreachable` (no MX during Mailgun's whole retry period)",
      reason: "`not_accept`",
      rule: "`mailgun-old-no-mx`",
      effect: "30 d",
      example: {
        payload: failed("oLd-n0mx-gaveup-0000001", "someone@nomx.example.com", "temporary", "old", {
          "attempt-no": 9,
          description: "No MX for nomx.example.com",
          code: 498,
          message: "No MX for nomx.example.com",
        }),
        gives: {
          type: "invalid",
          subtype: "server_unreachable",
          reason: "not_accept",
          rule: "mailgun-old-no-mx",
        },
      },
    },
    {
      when: '`failed` temporary, `old`, nothing specific ("Too old")',
      becomes: "`soft_bounce` / `service_unreachable`",
      reason: "`expired`",
      rule: "`mailgun-old`",
      effect: "soft-bounce count",
      example: {
        payload: failed("oLd-vag3-gaveup-0000001", "slow@example.org", "temporary", "old", {
          "attempt-no": 7,
          description: "Too old",
          code: 498,
          message: "Too old",
        }),
        gives: {
          type: "soft_bounce",
          subtype: "service_unreachable",
          reason: "expired",
          rule: "mailgun-old",
        },
      },
    },
    {
      when: "`failed` temporary, any other reason (`generic`, `greylisted`, `espblock`, No MX on an early attempt, …)",
      becomes: "`request` (deferred, Mailgun retries), with `smtp`",
      reason: "—",
      rule: "`mailgun-temporary-retrying`",
      effect: "none; the final outcome arrives as `delivered` or as `old`",
      example: {
        payload: failed("gR3yL1st-temporary0001", "jdoe@example.org", "temporary", "greylisted", {
          "mx-host": "mx.example.org",
          "attempt-no": 1,
          description: "Recipient address rejected: Greylisted",
          "retry-seconds": 300,
          code: 450,
          message: "4.2.0 Recipient address rejected: Greylisted",
        }),
        gives: { type: "request", subtype: null, reason: null, rule: "mailgun-temporary-retrying" },
      },
    },
    {
      when: "`complained`",
      becomes: "`complaint` (`feedbackType` null: Mailgun gives none)",
      reason: "—",
      rule: "`mailgun-complained`",
      effect: "180 d",
      example: {
        payload: event("complained", "cOmPl41n3d-00000000001", "angry@example.org", { "log-level": "warn" }),
        gives: { type: "complaint", feedbackType: null, rule: "mailgun-complained" },
      },
    },
    {
      when: "`unsubscribed`",
      becomes: "`unsubscribe`, scope `*`",
      reason: "—",
      rule: "`mailgun-unsubscribed`",
      effect: "never expires",
      example: {
        payload: event("unsubscribed", "uNsUb-000000000000001", "Leaver@Example.org", {
          "log-level": "info",
          ip: "198.51.100.7",
        }),
        gives: { type: "unsubscribe", scope: "*", resubscribe: false, rule: "mailgun-unsubscribed" },
      },
    },
    {
      when: "`opened`, `clicked`, `rejected`, `stored`, others",
      becomes: "ignored (counted in `ignored`)",
      reason: "—",
      rule: "—",
      effect: "none",
      example: {
        payload: event("opened", "oPeN-000000000000001", "jdoe@example.org", {
          "log-level": "info",
          ip: "198.51.100.7",
        }),
        gives: "ignored",
      },
    },
  ],
};
