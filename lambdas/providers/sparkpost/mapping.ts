/**
 * SparkPost's event → taxonomy mapping as data: the table of docs/providers/sparkpost.md ("How
 * SparkPost's events map to our taxonomy"), rendered by `npm run docs`, each row with an example
 * batch that test/providers/mapping.test.ts runs through the adapter. Read only by the docs
 * generator and the tests, never by the adapter.
 */
import type { ProviderMapping } from "../mapping.js";
import { BOUNCE_CLASSES } from "./bounce-classes.js";

/** "class 50 Mail Block, 51 Spam Block": the classes' numbers and SparkPost names. */
function classes(...codes: readonly number[]): string {
  const names = codes.map((code) => `${code} ${BOUNCE_CLASSES.get(code)?.name ?? "?"}`);
  return `class ${names.join(", ")}`;
}

/** The fine reason a class gives when the diagnostic says no more, as Markdown. */
function reasonOf(code: number): string {
  const reason = BOUNCE_CLASSES.get(code)?.reason;
  return reason ? `\`${reason}\`` : "—";
}

/** The fields every SparkPost event of the examples carries (from test/fixtures/sparkpost/). */
const COMMON = {
  campaign_id: "Example Campaign Name",
  customer_id: "1",
  friendly_from: "sender@example.org",
  message_id: "000443ee14578172be22",
  transmission_id: "65832150921904138",
  rcpt_to: "recipient@example.com",
  raw_rcpt_to: "recipient@example.com",
  rcpt_type: "to",
  sending_ip: "192.0.2.1",
  subaccount_id: "101",
  timestamp: "1767261600",
};

/** A one-element webhook batch: `[{"msys": {"<eventClass>": {…}}}]`. */
function batch(eventClass: string, event: Record<string, unknown>): unknown {
  return [{ msys: { [eventClass]: { ...COMMON, ...event } } }];
}

/** A `message_event` bounce-like event (`bounce`, `out_of_band`, `policy_rejection`). */
function bounce(
  type: string,
  eventId: string,
  bounceClass: string | null,
  errorCode: string,
  rawReason: string,
): unknown {
  return batch("message_event", {
    type,
    event_id: eventId,
    ...(bounceClass === null ? {} : { bounce_class: bounceClass }),
    error_code: errorCode,
    raw_reason: rawReason,
    reason: rawReason.replace(/<[^>]*@[^>]*>/g, "...@..."),
  });
}

export const MAPPING: ProviderMapping = {
  eventColumn: "SparkPost event",
  rows: [
    {
      when: "`injection`",
      becomes: "`request`",
      reason: "—",
      rule: "`sparkpost-injection`",
      effect: "none",
      example: {
        payload: batch("message_event", { type: "injection", event_id: "92356927693813801" }),
        gives: { type: "request", rule: "sparkpost-injection" },
      },
    },
    {
      when: "`delivery`",
      becomes: "`delivered`",
      reason: "—",
      rule: "`sparkpost-delivery`",
      effect: "resets the soft-bounce count",
      example: {
        payload: batch("message_event", {
          type: "delivery",
          event_id: "92356927693813802",
          queue_time: "3",
        }),
        gives: { type: "delivered", rule: "sparkpost-delivery" },
      },
    },
    {
      when: `\`bounce\` / \`out_of_band\`, ${classes(10)}`,
      becomes: "`invalid/mailbox_not_found` (the classifier's type when it names another reason)",
      reason: `${reasonOf(10)} (the classifier's when the text names another specific reason)`,
      rule: "the classifier's, else `sparkpost-class-10`",
      effect: "365 d (another reason: by reason)",
      example: {
        payload: bounce(
          "out_of_band",
          "92356927693813810",
          "10",
          "550",
          "550 5.1.1 The email account that you tried to reach does not exist",
        ),
        gives: {
          type: "invalid",
          subtype: "mailbox_not_found",
          reason: "user_unknown",
          rule: "text-user-unknown",
        },
      },
    },
    {
      when: `\`bounce\` / \`out_of_band\`, ${classes(25, 26)}`,
      becomes: "`invalid/blocklisted`",
      reason: reasonOf(25),
      rule: "`sparkpost-class-25` / `-26`",
      effect: "90 d",
      example: {
        payload: bounce(
          "bounce",
          "92356927693813820",
          "26",
          "554",
          "554 [internal] Recipient address suppressed by Smart Send",
        ),
        gives: { type: "invalid", subtype: "blocklisted", reason: "suppressed", rule: "sparkpost-class-26" },
      },
    },
    {
      when: 'same, when the text names no suppression list and the classifier finds a cause in it, if only an enhanced code: "554 5.7.1 [internal] Exceed Sending Limit"',
      becomes: "the classifier's, permanent (e.g. `invalid/other`)",
      reason: "e.g. `security_error`",
      rule: "the classifier's",
      effect: "by reason (`security_error`: none)",
      example: {
        payload: bounce(
          "bounce",
          "92356927693813821",
          "25",
          "554",
          "554 5.7.1 [internal] Exceed Sending Limit (daily)",
        ),
        gives: { type: "invalid", subtype: "other", reason: "security_error", rule: "enhanced-5.7.1" },
      },
    },
    {
      when: 'same, when the text names another cause the classifier does not read: "554 [internal] Exceed Sending Limit (daily)", "Unconfigured Sending Domain"',
      becomes: "`invalid/other`",
      reason: "`undefined`",
      rule: "`sparkpost-class-25` / `-26`",
      effect: "none (the sender's limit or setup, not the recipient)",
      example: {
        payload: bounce(
          "policy_rejection",
          "92356927693813822",
          "25",
          "554",
          "554 [internal] Exceed Sending Limit (daily)",
        ),
        gives: { type: "invalid", subtype: "other", reason: "undefined", rule: "sparkpost-class-25" },
      },
    },
    {
      when: classes(30),
      becomes: "`invalid/other` unless the text says more",
      reason: "`undefined` (the classifier's when the text says more)",
      rule: "`sparkpost-class-30` (the classifier's when the text says more)",
      effect: "none (the classifier's reason: by reason)",
      example: {
        payload: bounce("bounce", "92356927693813822", "30", "550", "550 5.0.0 No recipients"),
        gives: { type: "invalid", subtype: "other", reason: "undefined", rule: "sparkpost-class-30" },
      },
    },
    {
      when: classes(21),
      becomes: "`soft_bounce/service_unreachable`",
      reason: reasonOf(21),
      rule: "`sparkpost-class-21` or the classifier's",
      effect: "soft-bounce count",
      example: {
        payload: bounce(
          "bounce",
          "92356927693813823",
          "21",
          "451",
          "451 4.4.0 [internal] No MX or A records for example.com",
        ),
        gives: {
          type: "soft_bounce",
          subtype: "service_unreachable",
          reason: "network_error",
          rule: "enhanced-4.4.0",
        },
      },
    },
    {
      when: classes(22),
      becomes: "`soft_bounce/other`",
      reason: reasonOf(22),
      rule: "`sparkpost-class-22` or the classifier's",
      effect: "soft-bounce count (3 in 14 d → 7 d)",
      example: {
        payload: bounce(
          "bounce",
          "92356927693813805",
          "22",
          "552",
          "552 5.2.2 <recipient@example.com>: Mailbox full",
        ),
        gives: { type: "soft_bounce", subtype: "other", reason: "mailbox_full", rule: "text-mailbox-full" },
      },
    },
    {
      when: classes(23),
      becomes: "`soft_bounce/other`",
      reason: reasonOf(23),
      rule: "`sparkpost-class-23` or the classifier's",
      effect: "none",
      example: {
        payload: bounce(
          "bounce",
          "92356927693813824",
          "23",
          "552",
          "552 5.3.4 Message size exceeds fixed maximum message size",
        ),
        gives: { type: "soft_bounce", subtype: "other", reason: "mesg_too_big", rule: "text-mesg-too-big" },
      },
    },
    {
      when: classes(24),
      becomes: "`soft_bounce/service_unreachable`",
      reason: reasonOf(24),
      rule: "`sparkpost-class-24` or the classifier's",
      effect: "soft-bounce count",
      example: {
        payload: bounce("bounce", "92356927693813825", "24", "", "[internal] Connection timeout"),
        gives: {
          type: "soft_bounce",
          subtype: "service_unreachable",
          reason: "expired",
          rule: "text-expired",
        },
      },
    },
    {
      when: classes(1, 20, 40, 70),
      becomes:
        "the classifier's, `permanent: false` (a 5xx reply still makes it permanent); `soft_bounce/other` when it finds nothing",
      reason: "the classifier's, e.g. `undefined`",
      rule: "the classifier's, or `sparkpost-class-<n>` when undecided",
      effect: "by reason",
      example: {
        payload: bounce("bounce", "92356927693813826", "70", "451", "451 Try again later"),
        gives: { type: "soft_bounce", subtype: "other", reason: "undefined", rule: "sparkpost-class-70" },
      },
    },
    {
      when: classes(50, 51),
      becomes:
        "`soft_bounce/ip_or_domain_rejected`; with a 5xx reply `invalid/sender_or_recipient_rejected` (design §2.4)",
      reason: reasonOf(50),
      rule: "`sparkpost-class-50` / `-51` or the classifier's",
      effect: "none (says nothing about the address)",
      example: {
        payload: bounce(
          "bounce",
          "92356927693813806",
          "50",
          "554",
          "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
        ),
        gives: {
          type: "invalid",
          subtype: "sender_or_recipient_rejected",
          reason: "blocked",
          rule: "text-blocked-list",
        },
      },
    },
    {
      when: classes(52),
      becomes: "`soft_bounce/spam_rejected`; 5xx `invalid/spam`",
      reason: reasonOf(52),
      rule: "`sparkpost-class-52` or the classifier's",
      effect: "none",
      example: {
        payload: bounce("bounce", "92356927693813827", "52", "550", "550 5.7.1 Message rejected"),
        gives: { type: "invalid", subtype: "spam", reason: "spam_detected", rule: "sparkpost-class-52" },
      },
    },
    {
      when: classes(53),
      becomes: "`soft_bounce/other`; 5xx `invalid/other`",
      reason: reasonOf(53),
      rule: "`sparkpost-class-53` or the classifier's",
      effect: "none",
      example: {
        payload: bounce("bounce", "92356927693813828", "53", "554", "554 5.6.1 Prohibited attachment"),
        gives: { type: "invalid", subtype: "other", reason: "content_error", rule: "sparkpost-class-53" },
      },
    },
    {
      when: classes(54),
      becomes: "`soft_bounce/sender_or_recipient_rejected`; 5xx `invalid/sender_or_recipient_rejected`",
      reason: reasonOf(54),
      rule: "`sparkpost-class-54` or the classifier's",
      effect: "soft-bounce count when temporary",
      example: {
        payload: bounce(
          "bounce",
          "92356927693813829",
          "54",
          "454",
          "454 4.7.1 <recipient@example.com>: Relay access denied",
        ),
        gives: {
          type: "soft_bounce",
          subtype: "sender_or_recipient_rejected",
          reason: "no_relaying",
          rule: "text-no-relaying",
        },
      },
    },
    {
      when: `${classes(90)} (the recipient replied "unsubscribe")`,
      becomes: "`unsubscribe`, scope `*`",
      reason: "—",
      rule: "`sparkpost-class-90`",
      effect: "never expires",
      example: {
        payload: bounce("bounce", "92356927693813809", "90", "250", "unsubscribe"),
        gives: { type: "unsubscribe", rule: "sparkpost-class-90", scope: "*", resubscribe: false },
      },
    },
    {
      when: classes(60, 80, 100),
      becomes: "ignored",
      reason: "—",
      rule: "—",
      effect: "none",
      example: {
        payload: bounce("bounce", "92356927693813808", "60", "250", "Out of office until Monday"),
        gives: "ignored",
      },
    },
    {
      when: "unknown or missing class",
      becomes: "the classifier alone",
      reason: "the classifier's",
      rule: "the classifier's",
      effect: "by reason",
      example: {
        payload: bounce(
          "bounce",
          "92356927693813830",
          null,
          "550",
          "550 5.1.1 <recipient@example.com>: Recipient address rejected: User unknown in virtual mailbox table",
        ),
        gives: {
          type: "invalid",
          subtype: "mailbox_not_found",
          reason: "user_unknown",
          rule: "text-user-unknown",
        },
      },
    },
    {
      when: "`policy_rejection`",
      becomes:
        "as a bounce of its class (usually 25); without a class: text naming the suppression list → `invalid/blocklisted`, else the classifier (permanent), `invalid/other` when it finds nothing",
      reason: "`suppressed` / the classifier's / `undefined`",
      rule: "`sparkpost-class-<n>`, `sparkpost-policy-rejection-suppressed`, the classifier's, `sparkpost-policy-rejection`",
      effect: "by reason: 90 d for `suppressed`, none for `undefined`",
      example: {
        payload: bounce(
          "policy_rejection",
          "92356927693813811",
          "25",
          "554",
          "554 5.7.1 recipient address suppressed due to customer policy",
        ),
        gives: { type: "invalid", subtype: "blocklisted", reason: "suppressed", rule: "sparkpost-class-25" },
      },
    },
    {
      when: "`spam_complaint`",
      becomes:
        "`complaint`, `feedbackType` from `fbtype` (`abuse`, `fraud`, `virus`, `not-spam`; anything else `other`; none → null)",
      reason: "—",
      rule: "`sparkpost-spam-complaint`",
      effect: "180 d (`not-spam`: none, by the policy's `ignoreFeedbackTypes`)",
      example: {
        payload: batch("message_event", {
          type: "spam_complaint",
          event_id: "92356927693813812",
          fbtype: "abuse",
          report_by: "server.example.net",
          report_to: "abuse.example.org",
        }),
        gives: { type: "complaint", rule: "sparkpost-spam-complaint", feedbackType: "abuse" },
      },
    },
    {
      when: "`list_unsubscribe`, `link_unsubscribe`",
      becomes: "`unsubscribe`, scope `*`",
      reason: "—",
      rule: "`sparkpost-list-unsubscribe` / `sparkpost-link-unsubscribe`",
      effect: "never expires",
      example: {
        payload: batch("unsubscribe_event", {
          type: "link_unsubscribe",
          event_id: "92356927693813814",
          mailfrom: "bounces@example.org",
          target_link_name: "Unsubscribe",
          target_link_url: "https://example.org/unsubscribe",
        }),
        gives: { type: "unsubscribe", rule: "sparkpost-link-unsubscribe", scope: "*", resubscribe: false },
      },
    },
    {
      when: "`delay`, `sms_status`, unknown `message_event` types; `gen_event` (`generation_failure`, `generation_rejection`), `track_event` (open, click, amp_*), `relay_event`, `ab_test_event`, other event classes",
      becomes: "ignored",
      reason: "—",
      rule: "—",
      effect: "none",
      example: {
        payload: bounce(
          "delay",
          "92356927693813803",
          "21",
          "451",
          "451 4.4.0 [internal] No MX or A records for example.com",
        ),
        gives: "ignored",
      },
    },
  ],
};
