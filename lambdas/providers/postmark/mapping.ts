/**
 * Postmark's event → taxonomy mapping as data (lambdas/providers/mapping.ts): the rows of the table
 * in docs/providers/postmark.md, each with a Postmark payload that test/providers/mapping.test.ts
 * runs through the adapter. Read only by the docs generator and the tests, never by the adapter.
 */
import type { MappingRow, ProviderMapping } from "../mapping.js";
import { POSTMARK_TYPE_CODES } from "./adapter.js";

const TYPE_CODE: ReadonlyMap<string, number> = new Map(
  [...POSTMARK_TYPE_CODES].map(([code, type]) => [type, code]),
);

/** A bounce `Type` as the docs name it, with its `TypeCode`: "`HardBounce` (1)". */
function bounceType(type: string): string {
  const code = TYPE_CODE.get(type);
  if (code === undefined) throw new Error(`${type} is not a Postmark bounce type`);
  return `\`${type}\` (${code})`;
}

/** Bounce types listed in one row: "`AutoResponder` (64), `AddressChange` (128)". */
const bounceTypes = (...types: string[]): string => types.map(bounceType).join(", ");

/** A Bounce webhook record of `type` (its `TypeCode` from the adapter's table), as Postmark posts it. */
function bounce(type: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    RecordType: "Bounce",
    MessageStream: "outbound",
    ID: 3719297980,
    Type: type,
    TypeCode: TYPE_CODE.get(type) ?? null,
    Tag: "",
    MessageID: "7c1e5b2a-4d3f-4a8e-9b6c-0f2d1e3a4b5c",
    Metadata: {},
    ServerID: 23,
    Details: "",
    Email: "jane.roe@example.org",
    From: "sender@example.org",
    BouncedAt: "2024-03-11T10:00:00.0000000Z",
    DumpAvailable: false,
    Inactive: false,
    CanActivate: true,
    Subject: "Your receipt",
    ...fields,
  };
}

/** A SubscriptionChange webhook record, as Postmark posts it. */
function subscriptionChange(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    RecordType: "SubscriptionChange",
    MessageID: "4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b",
    ServerID: 123456,
    MessageStream: "broadcast",
    ChangedAt: "2020-02-01T10:53:34.416071Z",
    Recipient: "reader@example.org",
    Origin: "Recipient",
    SuppressSending: true,
    SuppressionReason: "ManualSuppression",
    Tag: "newsletter",
    Metadata: {},
    ...fields,
  };
}

const REFINE = "(Details refine)";
/** When a soft type with a reason of "depends" class is permanent (`classifyPostmarkBounce`). */
const PERMANENT = "when `Inactive` or Details carry a 5xx code";
const CLASSIFIER = "or the classifier's";
const STREAM_UNSUBSCRIBE = "suppress in the stream's scope, never expires";

const rows: MappingRow[] = [
  {
    when: `Bounce ${bounceType("HardBounce")}`,
    becomes: `\`invalid\` / \`mailbox_not_found\` ${REFINE}, scope \`*\``,
    reason: `\`user_unknown\`, ${CLASSIFIER}`,
    rule: `\`postmark-hard-bounce\`, ${CLASSIFIER}`,
    effect: "suppress 365 days",
    example: {
      // Postmark's "Send test" bounce: its Details name nothing, so the type's reason stands.
      payload: bounce("HardBounce", {
        ID: 42,
        Tag: "Test",
        MessageID: "00000000-0000-0000-0000-000000000000",
        Description: "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
        Details: "Test bounce details",
        Email: "john@example.com",
        Inactive: true,
      }),
      gives: {
        type: "invalid",
        subtype: "mailbox_not_found",
        reason: "user_unknown",
        rule: "postmark-hard-bounce",
        scope: "*",
      },
    },
  },
  {
    when: `Bounce ${bounceType("SoftBounce")}`,
    becomes: `\`soft_bounce\` / \`other\`; \`invalid\` / \`other\` ${PERMANENT} ${REFINE}, scope \`*\``,
    reason: `\`undefined\`, ${CLASSIFIER}`,
    rule: `\`postmark-soft-bounce\`, ${CLASSIFIER}`,
    effect: "counts toward soft escalation only for recipient-side reasons (`mailbox_full`, …)",
    example: {
      payload: bounce("SoftBounce", {
        Details:
          "smtp;452 4.2.2 The email account that you tried to reach is over quota. Please direct the recipient to https://support.example.org/mail/?p=OverQuotaTemp",
        Email: "full.mailbox@example.org",
      }),
      gives: {
        type: "soft_bounce",
        subtype: "other",
        reason: "mailbox_full",
        rule: "text-mailbox-full",
        scope: "*",
      },
    },
  },
  {
    when: `Bounce ${bounceType("Transient")}`,
    becomes: `\`soft_bounce\` / \`service_unreachable\` ${REFINE}, scope \`*\``,
    reason: `\`network_error\`, ${CLASSIFIER}`,
    rule: `\`postmark-transient\`, ${CLASSIFIER}`,
    effect: "soft escalation (3 in 14 days → 7 days)",
    example: {
      payload: bounce("Transient", { Details: "Message delayed", Email: "slow.host@example.org" }),
      gives: {
        type: "soft_bounce",
        subtype: "service_unreachable",
        reason: "network_error",
        rule: "postmark-transient",
        scope: "*",
      },
    },
  },
  {
    when: `Bounce ${bounceType("DnsError")}`,
    becomes: `\`soft_bounce\` / \`service_unreachable\` (Details refine; "host not found" → \`invalid\` / \`server_unreachable\`), scope \`*\``,
    reason: `\`network_error\`, ${CLASSIFIER} (\`host_unknown\`)`,
    rule: `\`postmark-dns-error\`, ${CLASSIFIER}`,
    effect: "soft escalation; `host_unknown` → suppress 30 days",
    example: {
      payload: bounce("DnsError", { Email: "someone@example.invalid" }),
      gives: {
        type: "soft_bounce",
        subtype: "service_unreachable",
        reason: "network_error",
        rule: "postmark-dns-error",
        scope: "*",
      },
    },
  },
  {
    when: `Bounce ${bounceType("SpamNotification")}`,
    becomes: `\`soft_bounce\` / \`spam_rejected\`; \`invalid\` / \`spam\` ${PERMANENT} ${REFINE}, scope \`*\``,
    reason: `\`spam_detected\`, ${CLASSIFIER}`,
    rule: `\`postmark-spam-notification\`, ${CLASSIFIER}`,
    effect: "none (content, not the address)",
    example: {
      payload: bounce("SpamNotification"),
      gives: {
        type: "soft_bounce",
        subtype: "spam_rejected",
        reason: "spam_detected",
        rule: "postmark-spam-notification",
        scope: "*",
      },
    },
  },
  {
    when: `Bounce ${bounceType("VirusNotification")}`,
    becomes: `\`soft_bounce\` / \`spam_rejected\`; \`invalid\` / \`spam\` ${PERMANENT} ${REFINE}, scope \`*\``,
    reason: `\`virus_detected\`, ${CLASSIFIER}`,
    rule: `\`postmark-virus-notification\`, ${CLASSIFIER}`,
    effect: "none",
    example: {
      payload: bounce("VirusNotification"),
      gives: {
        type: "soft_bounce",
        subtype: "spam_rejected",
        reason: "virus_detected",
        rule: "postmark-virus-notification",
        scope: "*",
      },
    },
  },
  {
    when: `Bounce ${bounceType("Unknown")}, and any type Postmark adds later (neither \`Type\` nor \`TypeCode\` known)`,
    becomes: `\`soft_bounce\` / \`other\`; \`invalid\` / \`other\` ${PERMANENT} ${REFINE}, scope \`*\``,
    reason: `\`undefined\`, ${CLASSIFIER}`,
    rule: `\`postmark-unknown\` (a later type: \`postmark-unrecognized-type\`), ${CLASSIFIER}`,
    effect: "none unless Details name a recipient-side reason",
    example: {
      payload: bounce("Unknown"),
      gives: {
        type: "soft_bounce",
        subtype: "other",
        reason: "undefined",
        rule: "postmark-unknown",
        scope: "*",
      },
    },
  },
  {
    when: `Bounce ${bounceType("Blocked")}`,
    becomes: `\`soft_bounce\` / \`ip_or_domain_rejected\`; \`invalid\` / \`sender_or_recipient_rejected\` ${PERMANENT} ${REFINE}, scope \`*\``,
    reason: `\`blocked\`, ${CLASSIFIER}`,
    rule: `\`postmark-blocked\`, ${CLASSIFIER}`,
    effect: "none (a block of our IP says nothing about the address)",
    example: {
      // A 554 reply: permanent, so `invalid`, although Postmark has not deactivated the address.
      payload: bounce("Blocked", {
        Details:
          "smtp;554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org",
        Email: "blocked@example.net",
      }),
      gives: {
        type: "invalid",
        subtype: "sender_or_recipient_rejected",
        reason: "blocked",
        rule: "text-blocked-list",
        scope: "*",
      },
    },
  },
  {
    when: `Bounce ${bounceType("DMARCPolicy")}`,
    becomes:
      "`soft_bounce` / `ip_or_domain_rejected`; `invalid` / `sender_or_recipient_rejected` when `Inactive` (Details are not classified: a 5xx code changes nothing), scope `*`",
    reason: "`auth_failure`",
    rule: "`postmark-dmarc-policy`",
    effect: "none (our authentication)",
    example: {
      payload: bounce("DMARCPolicy", {
        Details:
          "smtp;550 5.7.26 Unauthenticated email from example.org is not accepted due to domain's DMARC policy",
      }),
      gives: {
        type: "soft_bounce",
        subtype: "ip_or_domain_rejected",
        reason: "auth_failure",
        rule: "postmark-dmarc-policy",
        scope: "*",
      },
    },
  },
  {
    when: `Bounce ${bounceType("BadEmailAddress")}`,
    becomes: "`invalid` / `bad_address_format`, scope `*`",
    reason: "`bad_address_format`",
    rule: "`postmark-bad-email-address`",
    effect: "suppress, never expires",
    example: {
      payload: bounce("BadEmailAddress", {
        Description: "Invalid email address — The address is not a valid email address.",
        Details: "Invalid email address",
        Email: "no.such.mailbox@example.com",
        Inactive: true,
        CanActivate: false,
      }),
      gives: {
        type: "invalid",
        subtype: "bad_address_format",
        reason: "bad_address_format",
        rule: "postmark-bad-email-address",
        scope: "*",
      },
    },
  },
  {
    when: `Bounce ${bounceType("ManuallyDeactivated")}`,
    becomes: "`invalid` / `blocklisted`, scope `*`",
    reason: "`suppressed`",
    rule: "`postmark-manually-deactivated`",
    effect: "suppress 90 days",
    example: {
      payload: bounce("ManuallyDeactivated", { Inactive: true }),
      gives: {
        type: "invalid",
        subtype: "blocklisted",
        reason: "suppressed",
        rule: "postmark-manually-deactivated",
        scope: "*",
      },
    },
  },
  {
    when: `Bounce ${bounceType("SpamComplaint")}`,
    becomes: "`complaint`, scope `*`",
    reason: "—",
    rule: "`postmark-spam-complaint`",
    effect: "suppress 180 days",
    example: {
      payload: bounce("SpamComplaint", { Inactive: true, CanActivate: false }),
      gives: { type: "complaint", rule: "postmark-spam-complaint", scope: "*" },
    },
  },
  {
    when: `Bounce ${bounceType("Unsubscribe")}`,
    becomes: "`unsubscribe`, scope of the stream",
    reason: "—",
    rule: "`postmark-unsubscribe-request`",
    effect: STREAM_UNSUBSCRIBE,
    example: {
      payload: bounce("Unsubscribe", {
        MessageStream: "broadcast",
        Tag: "newsletter",
        Description: "Unsubscribe or Remove request.",
        Email: "reader@example.org",
        From: "news@example.org",
      }),
      gives: { type: "unsubscribe", rule: "postmark-unsubscribe-request", scope: "stream-broadcast" },
    },
  },
  {
    when: `Bounce ${bounceTypes("AutoResponder", "AddressChange", "ChallengeVerification", "Subscribe")}`,
    becomes: "ignored (auto-replies and reply requests, never a bounce)",
    reason: "—",
    rule: "—",
    effect: "none",
    example: {
      payload: bounce("AutoResponder", {
        Description: 'Automatic email responder (ex: "Out of Office" or "On Vacation").',
        Details: "I am out of the office until Monday.",
        Email: "on.vacation@example.com",
        DumpAvailable: true,
      }),
      gives: "ignored",
    },
  },
  {
    when: `Bounce ${bounceTypes("OpenRelayTest", "Unconfirmed", "SMTPApiError", "InboundError", "TemplateRenderingFailed")}`,
    becomes: "ignored (not about the recipient, or nothing was sent)",
    reason: "—",
    rule: "—",
    effect: "none",
    example: { payload: bounce("TemplateRenderingFailed"), gives: "ignored" },
  },
  {
    when: "`SpamComplaint` record",
    becomes: "`complaint` (`feedbackType` null: Postmark gives none), scope `*`",
    reason: "—",
    rule: "`postmark-spam-complaint`",
    effect: "suppress 180 days",
    example: {
      // Postmark's own example: TypeCode 512 (SpamNotification's) is not read, the record type is.
      payload: {
        RecordType: "SpamComplaint",
        MessageStream: "outbound",
        ID: 3719297976,
        Type: "SpamComplaint",
        TypeCode: 512,
        Name: "Spam complaint",
        Tag: "Test",
        MessageID: "3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a",
        Metadata: { a_key: "a_value" },
        ServerID: 1234,
        Email: "Complainer@Example.com",
        From: "sender@example.org",
        BouncedAt: "2019-11-05T16:33:54.9070259Z",
        Subject: "Test subject",
        DumpAvailable: true,
        Inactive: true,
        CanActivate: false,
      },
      gives: { type: "complaint", rule: "postmark-spam-complaint", scope: "*", feedbackType: null },
    },
  },
  {
    when: "`SubscriptionChange`, `SuppressSending: true`, `ManualSuppression` (or any other reason)",
    becomes: "`unsubscribe`, scope of the stream",
    reason: "—",
    rule: "`postmark-unsubscribed` (`Origin: Recipient`), else `postmark-manual-suppression` (`Customer`, `Admin`)",
    effect: STREAM_UNSUBSCRIBE,
    example: {
      payload: subscriptionChange({ Metadata: { campaign: "march" } }),
      gives: {
        type: "unsubscribe",
        rule: "postmark-unsubscribed",
        scope: "stream-broadcast",
        resubscribe: false,
      },
    },
  },
  {
    when: "`SubscriptionChange`, `SuppressSending: true`, `SpamComplaint`",
    becomes: "`complaint`, scope `*`",
    reason: "—",
    rule: "`postmark-suppressed-spam-complaint`",
    effect: "suppress 180 days",
    example: {
      payload: subscriptionChange({
        MessageID: "5f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b8c",
        ServerID: 4509041,
        MessageStream: "outbound",
        ChangedAt: "2020-02-01T11:00:00.000000Z",
        Recipient: "complainer@example.net",
        SuppressionReason: "SpamComplaint",
        Tag: null,
      }),
      gives: { type: "complaint", rule: "postmark-suppressed-spam-complaint", scope: "*" },
    },
  },
  {
    when: "`SubscriptionChange`, `SuppressSending: true`, `HardBounce`",
    becomes: "`invalid` / `blocklisted`, scope `*`",
    reason: "`suppressed`",
    rule: "`postmark-suppressed-hard-bounce`",
    effect: "suppress 90 days",
    example: {
      payload: subscriptionChange({
        MessageID: "883953f4-6105-42a2-a16a-77a8eac79483",
        ServerID: 4509041,
        MessageStream: "outbound",
        Recipient: "hard-bounce@example.com",
        SuppressionReason: "HardBounce",
        Tag: "my-tag",
        Metadata: { example: "value" },
      }),
      gives: {
        type: "invalid",
        subtype: "blocklisted",
        reason: "suppressed",
        rule: "postmark-suppressed-hard-bounce",
        scope: "*",
      },
    },
  },
  {
    when: "`SubscriptionChange`, `SuppressSending: false` (reactivation)",
    becomes: "`unsubscribe` with `resubscribe: true`, scope of the stream",
    reason: "—",
    rule: "`postmark-reactivated`",
    effect: "lifts the unsubscribe of that scope only",
    example: {
      payload: subscriptionChange({
        MessageID: null,
        ChangedAt: "2020-02-03T08:00:00.000000Z",
        Origin: "Customer",
        SuppressSending: false,
        Tag: null,
      }),
      gives: {
        type: "unsubscribe",
        rule: "postmark-reactivated",
        scope: "stream-broadcast",
        resubscribe: true,
      },
    },
  },
  {
    when: "`Delivery`",
    becomes: "`delivered`, scope `*`",
    reason: "—",
    rule: "`postmark-delivery`",
    effect: "resets the soft-bounce count",
    example: {
      payload: {
        RecordType: "Delivery",
        ServerID: 23,
        MessageStream: "outbound",
        MessageID: "883953f4-6105-42a2-a16a-77a8eac79483",
        Recipient: "john@example.com",
        Tag: "welcome-email",
        DeliveredAt: "2019-11-05T16:33:54.9070259Z",
        Details: "Test delivery webhook details",
        Metadata: { a_key: "a_value" },
      },
      gives: { type: "delivered", rule: "postmark-delivery", scope: "*" },
    },
  },
  {
    when: "`Open`, `Click`, other record types",
    becomes: "ignored",
    reason: "—",
    rule: "—",
    effect: "none",
    example: {
      payload: {
        RecordType: "Open",
        MessageStream: "outbound",
        Metadata: { a_key: "a_value" },
        FirstOpen: true,
        Platform: "WebMail",
        ReadSeconds: 5,
        MessageID: "883953f4-6105-42a2-a16a-77a8eac79483",
        ReceivedAt: "2019-11-05T16:33:54.9070259Z",
        Tag: "welcome-email",
        Recipient: "john@example.com",
      },
      gives: "ignored",
    },
  },
];

export const MAPPING: ProviderMapping = { eventColumn: "Postmark event", rows };
