/**
 * SendGrid's event → taxonomy mapping as data: the table of docs/providers/sendgrid.md ("How
 * SendGrid's events map to our taxonomy") is rendered from `MAPPING` (`npm run docs`), and
 * test/providers/mapping.test.ts runs every row's example through the adapter. Read only by the docs
 * generator and the tests, never by the adapter.
 */
import type { ProviderMapping } from "../mapping.js";

/** The fields every event of one message carries (test/fixtures/sendgrid/). */
const MESSAGE = {
  email: "jdoe@example.org",
  timestamp: 1763990000,
  "smtp-id": "<14c5d75ce93.dfd.64b469@ismtpd-555>",
  category: ["newsletter", "weekly"],
  sg_message_id: "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
} as const;

/** What the default policy does with a bounce, by reason (design.md §3). */
const BOUNCE_EFFECT =
  "per reason: `user_unknown`/`has_moved`/`suspend` 365 d, `host_unknown`/`not_accept` 30 d, `bad_address_format` never; IP/content/auth rejections none";

/** A subscription-group event (`group_unsubscribe`, `group_resubscribe`) of group 42, as SendGrid posts it. */
const groupEvent = (event: string, sgEventId: string) => ({
  ...MESSAGE,
  event,
  sg_event_id: sgEventId,
  asm_group_id: 42,
  useragent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
  ip: "198.51.100.7",
  url: "https://sendgrid.com?asm_group_id=42",
});

export const MAPPING: ProviderMapping = {
  eventColumn: "SendGrid event",
  rows: [
    {
      when: "`processed`",
      becomes: "`request`",
      reason: "—",
      rule: "`sendgrid-processed`",
      effect: "none",
      example: {
        payload: [
          {
            ...MESSAGE,
            event: "processed",
            sg_event_id: "cHJvY2Vzc2VkLTE",
            pool: { name: "new_MY_test", id: 210 },
          },
        ],
        gives: { type: "request", subtype: null, reason: null, rule: "sendgrid-processed" },
      },
    },
    {
      when: "`deferred`",
      becomes: "`request` (design §2.1: deferred, being retried); `smtp` from `response` (else `reason`)",
      reason: "—",
      rule: "`sendgrid-deferred`",
      effect: "none",
      example: {
        payload: [
          {
            ...MESSAGE,
            event: "deferred",
            sg_event_id: "ZGVmZXJyZWQtMQ",
            response: "421 4.7.0 Try again later, closing connection.",
            attempt: "5",
          },
        ],
        gives: { type: "request", subtype: null, reason: null, rule: "sendgrid-deferred" },
      },
    },
    {
      when: "`delivered`",
      becomes: "`delivered`",
      reason: "—",
      rule: "`sendgrid-delivered`",
      effect: "ends a soft-bounce escalation of the address",
      example: {
        payload: [
          {
            ...MESSAGE,
            event: "delivered",
            sg_event_id: "ZGVsaXZlcmVkLTE",
            response: "250 2.0.0 OK 1763990000 a1si1234567qkb.100 - gsmtp",
            tls: 1,
            ip: "192.0.2.10",
          },
        ],
        gives: { type: "delivered", subtype: null, reason: null, rule: "sendgrid-delivered" },
      },
    },
    {
      when: "`bounce`, `type: bounce` (or no `type`)",
      becomes:
        "`invalid` / per reason (e.g. `550 5.1.1` → `mailbox_not_found`); a reason that is only ever temporary (`mailbox_full`, `speeding`, …) gives `soft_bounce`",
      reason: "the classifier's (`user_unknown`, `host_unknown`, `blocked`, …)",
      rule: "the classifier's (`text-user-unknown`, `enhanced-5.1.1`, …)",
      effect: `${BOUNCE_EFFECT}; a \`soft_bounce\` as for \`type: blocked\``,
      example: {
        payload: [
          {
            ...MESSAGE,
            event: "bounce",
            sg_event_id: "Ym91bmNlLWludmFsaWQ",
            type: "bounce",
            status: "5.1.1",
            bounce_classification: "Invalid Address",
            tls: 1,
            ip: "192.0.2.10",
            reason:
              "550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces.",
          },
        ],
        gives: {
          type: "invalid",
          subtype: "mailbox_not_found",
          reason: "user_unknown",
          rule: "text-user-unknown",
        },
      },
    },
    {
      when: "`bounce`, `type: blocked`",
      becomes:
        "`soft_bounce` / per reason; `invalid` when the reply is 5xx or the reason is only ever permanent (`user_unknown`, …)",
      reason: "the classifier's",
      rule: "the classifier's",
      effect:
        "recipient-side reasons count toward 3 in 14 days → 7 d; blocks of our IP/reputation none; an `invalid` one as for `type: bounce`",
      example: {
        payload: [
          {
            ...MESSAGE,
            event: "bounce",
            sg_event_id: "YmxvY2tlZC1yZXB1dGF0aW9u",
            type: "blocked",
            status: "4.7.1",
            bounce_classification: "Reputation",
            reason: "421 4.7.1 Client host rejected: blocked using zen.spamhaus.org",
          },
        ],
        gives: {
          type: "soft_bounce",
          subtype: "ip_or_domain_rejected",
          reason: "blocked",
          rule: "text-blocked-list",
        },
      },
    },
    {
      when: "`bounce`, reply text vague (only a code class, or none), `bounce_classification` names a class",
      becomes: "per reason, `invalid` or `soft_bounce` as for `type: bounce` / `type: blocked` above",
      reason:
        "from the classification: `Invalid Address` → `user_unknown` (a `5.1.3` status is specific already: `bad_address_format`, rule `enhanced-5.1.3`); `Mailbox Unavailable` → `suspend` when permanent (`type` not `blocked`, or a 5xx reply) / `mailbox_full` otherwise; `Technical Failure` → `not_accept`; `Content` → `spam_detected`; `Reputation` → `bad_reputation`; `Frequency or Volume Too High` → `speeding` (always soft)",
      rule: "`sendgrid-classification-<slug>`",
      effect: "per reason, as above",
      example: {
        payload: [
          {
            ...MESSAGE,
            email: "inactive@example.org",
            event: "bounce",
            sg_event_id: "Ym91bmNlLW1haWxib3gtdW5hdmFpbGFibGU",
            type: "bounce",
            status: "5.0.0",
            bounce_classification: "Mailbox Unavailable",
            reason: "550 5.0.0 Requested action not taken",
          },
        ],
        gives: {
          type: "invalid",
          subtype: "mailbox_not_found",
          reason: "suspend",
          rule: "sendgrid-classification-mailbox-unavailable",
        },
      },
    },
    {
      when: "`bounce`, vague text, `bounce_classification` `Unclassified` (or absent, or unknown)",
      becomes: "`invalid` / `other` or `soft_bounce` / `other`",
      reason: "`undefined`",
      rule: "`reply-5xx` / `reply-4xx` / `fallback-*`",
      effect: "none",
      example: {
        payload: [
          {
            ...MESSAGE,
            email: "inactive@example.org",
            event: "bounce",
            sg_event_id: "Ym91bmNlLXVuY2xhc3NpZmllZA",
            type: "bounce",
            status: "5.0.0",
            bounce_classification: "Unclassified",
            reason: "550 5.0.0 Requested action not taken",
          },
        ],
        gives: { type: "invalid", subtype: "other", reason: "undefined", rule: "reply-5xx" },
      },
    },
    {
      when: "`dropped`, `Bounced Address`",
      becomes: "`invalid` / `blocklisted`",
      reason: "`suppressed`",
      rule: "`sendgrid-dropped-bounced-address`",
      effect: "90 d",
      example: {
        payload: [
          {
            ...MESSAGE,
            event: "dropped",
            sg_event_id: "ZHJvcHBlZC1ib3VuY2Vk",
            reason: "Bounced Address",
            status: "5.0.0",
          },
        ],
        gives: {
          type: "invalid",
          subtype: "blocklisted",
          reason: "suppressed",
          rule: "sendgrid-dropped-bounced-address",
        },
      },
    },
    {
      when: "`dropped`, `Spam Reporting Address`",
      becomes: "`invalid` / `blocklisted`",
      reason: "`suppressed`",
      rule: "`sendgrid-dropped-spam-reporting-address`",
      effect: "90 d",
      example: {
        payload: [
          {
            ...MESSAGE,
            event: "dropped",
            sg_event_id: "ZHJvcHBlZC1zcGFtcmVwb3J0",
            reason: "Spam Reporting Address",
            status: "5.0.0",
          },
        ],
        gives: {
          type: "invalid",
          subtype: "blocklisted",
          reason: "suppressed",
          rule: "sendgrid-dropped-spam-reporting-address",
        },
      },
    },
    {
      when: "`dropped`, `Unsubscribed Address`",
      becomes:
        "`invalid` / `unsubscribed`; scope `asm-<asm_group_id>` when the message was sent with a group (SendGrid does not say whether the group's or the global list refused it; a global unsubscribe arrives as its own `unsubscribe` event), else `*`",
      reason: "`unsubscribed`",
      rule: "`sendgrid-dropped-unsubscribed-address`",
      effect: "an `unsubscribe` cause at that scope, never expires (policy `unsubscribe.suppressRefusals`)",
      example: {
        payload: [
          {
            ...MESSAGE,
            event: "dropped",
            sg_event_id: "ZHJvcHBlZC11bnN1YnNjcmliZWQ",
            reason: "Unsubscribed Address",
            status: "5.0.0",
            asm_group_id: 42,
          },
        ],
        gives: {
          type: "invalid",
          subtype: "unsubscribed",
          reason: "unsubscribed",
          rule: "sendgrid-dropped-unsubscribed-address",
          scope: "asm-42",
        },
      },
    },
    {
      when: "`dropped`, `Invalid`",
      becomes: "`invalid` / `bad_address_format`",
      reason: "`bad_address_format`",
      rule: "`sendgrid-dropped-invalid`",
      effect: "never expires; an address we cannot even parse is skipped and counted in `ignored`",
      example: {
        payload: [
          {
            ...MESSAGE,
            email: "jdoe@example",
            event: "dropped",
            sg_event_id: "ZHJvcHBlZC1pbnZhbGlk",
            reason: "Invalid",
            status: "5.1.3",
          },
          {
            ...MESSAGE,
            email: "jdoe@example.invalid",
            event: "dropped",
            sg_event_id: "ZHJvcHBlZC1pbnZhbGlkLTI",
            reason: "Invalid",
            status: "5.1.3",
          },
        ],
        gives: {
          type: "invalid",
          subtype: "bad_address_format",
          reason: "bad_address_format",
          rule: "sendgrid-dropped-invalid",
        },
      },
    },
    {
      when: "`dropped`, `Spam Content …`",
      becomes: "`invalid` / `spam`",
      reason: "`spam_detected`",
      rule: "`sendgrid-dropped-spam-content`",
      effect: "none (content, not the address)",
      example: {
        payload: [
          {
            ...MESSAGE,
            event: "dropped",
            sg_event_id: "ZHJvcHBlZC1zcGFtY29udGVudA",
            reason: "Spam Content (if spam checker app enabled)",
            status: "5.0.0",
          },
        ],
        gives: {
          type: "invalid",
          subtype: "spam",
          reason: "spam_detected",
          rule: "sendgrid-dropped-spam-content",
        },
      },
    },
    {
      when: "`dropped`, other reasons (`Invalid SMTPAPI header`, `Recipient List over Package Quota`, …)",
      becomes: "ignored",
      reason: "—",
      rule: "—",
      effect: "none (our account's problem)",
      example: {
        payload: [
          {
            ...MESSAGE,
            event: "dropped",
            sg_event_id: "ZHJvcHBlZC1zbXRwYXBp",
            reason: "Invalid SMTPAPI header",
            status: "5.0.0",
          },
        ],
        gives: "ignored",
      },
    },
    {
      when: "`spamreport`",
      becomes: "`complaint`, `feedbackType: null`",
      reason: "—",
      rule: "`sendgrid-spamreport`",
      effect: "180 d",
      example: {
        payload: [{ ...MESSAGE, event: "spamreport", sg_event_id: "c3BhbXJlcG9ydC0x" }],
        gives: {
          type: "complaint",
          subtype: null,
          reason: null,
          feedbackType: null,
          rule: "sendgrid-spamreport",
        },
      },
    },
    {
      when: "`unsubscribe`",
      becomes: "`unsubscribe`, `unsubscribeReason: null`",
      reason: "—",
      rule: "`sendgrid-unsubscribe`",
      effect: "never expires, scope `*`",
      example: {
        payload: [{ ...MESSAGE, event: "unsubscribe", sg_event_id: "dW5zdWJzY3JpYmUtMQ" }],
        gives: {
          type: "unsubscribe",
          unsubscribeReason: null,
          scope: "*",
          resubscribe: false,
          rule: "sendgrid-unsubscribe",
        },
      },
    },
    {
      when: "`group_unsubscribe`",
      becomes: "`unsubscribe`, scope `asm-<asm_group_id>`",
      reason: "—",
      rule: "`sendgrid-group-unsubscribe`",
      effect: "never expires, scope `asm-<id>` (checks with that scope, or below it)",
      example: {
        payload: [groupEvent("group_unsubscribe", "Z3JvdXAtdW5zdWItMQ")],
        gives: {
          type: "unsubscribe",
          scope: "asm-42",
          resubscribe: false,
          rule: "sendgrid-group-unsubscribe",
        },
      },
    },
    {
      when: "`group_resubscribe`",
      becomes: "`unsubscribe`, `resubscribe: true`, scope `asm-<asm_group_id>`",
      reason: "—",
      rule: "`sendgrid-group-resubscribe`",
      effect: "lifts the unsubscribe at `asm-<id>` only (never `*`, never other causes)",
      example: {
        payload: [groupEvent("group_resubscribe", "Z3JvdXAtcmVzdWItMQ")],
        gives: {
          type: "unsubscribe",
          scope: "asm-42",
          resubscribe: true,
          rule: "sendgrid-group-resubscribe",
        },
      },
    },
    {
      when: "`open`, `click`, `account_status_change`, unknown events",
      becomes: "ignored (counted in `ignored`)",
      reason: "—",
      rule: "—",
      effect: "none",
      example: {
        payload: [
          {
            ...MESSAGE,
            event: "open",
            sg_event_id: "b3Blbi0x",
            sg_machine_open: false,
            useragent: "Mozilla/5.0",
            ip: "198.51.100.7",
          },
          {
            ...MESSAGE,
            event: "click",
            sg_event_id: "Y2xpY2stMQ",
            useragent: "Mozilla/5.0",
            ip: "198.51.100.7",
            url: "https://www.example.com/offers",
          },
          {
            event: "account_status_change",
            email: "ops@example.com",
            timestamp: 1763990000,
            sg_event_id: "YWNjb3VudC1zdGF0dXM",
            type: "compliance_suspend",
          },
        ],
        gives: "ignored",
      },
    },
  ],
};
