/**
 * How Amazon SES's records map to our taxonomy, as data: the rows of the table in
 * docs/providers/ses.md §1.8 (rendered by `npm run docs`), each with an SES record that
 * test/providers/mapping.test.ts runs through `POST /v1/import/ses` to prove the row. The code that
 * decides is records.ts (types, recipients, subscriptions) and bounce.ts (bounce verdicts).
 *
 * Read only by the docs generator and the tests: the adapter never imports it.
 */
import type { MappingRow, ProviderMapping } from "../mapping.js";
import { SES_IGNORED_TYPES } from "./records.js";

/** The `mail` object of a classic notification (identity feedback), as in AWS's examples. */
const classicMail = (messageId: string, timestamp: string, destination: readonly string[]) => ({
  timestamp,
  source: "john@example.com",
  sourceArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com",
  sourceIp: "192.0.2.10",
  sendingAccountId: "123456789012",
  callerIdentity: "ses-sender",
  messageId,
  destination,
});

/** The `mail` object of an event-publishing record (configuration set), as in AWS's examples. */
const publishedMail = (timestamp: string, destination: readonly string[] = ["recipient@example.com"]) => ({
  timestamp,
  source: "sender@example.com",
  sourceArn: "arn:aws:ses:us-east-1:123456789012:identity/sender@example.com",
  sendingAccountId: "123456789012",
  messageId: "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000",
  destination,
  headersTruncated: false,
  tags: { "ses:configuration-set": ["ConfigSet"], "ses:operation": ["SendEmail"] },
});

type BouncedRecipient = {
  readonly emailAddress: string;
  readonly action?: string;
  readonly status?: string;
  readonly diagnosticCode?: string;
};

/** A classic Bounce notification for one recipient (test/fixtures/ses/bounce-*.json). */
const bounce = (bounceType: string, bounceSubType: string, recipient: BouncedRecipient, id: string) => ({
  notificationType: "Bounce",
  bounce: {
    bounceType,
    bounceSubType,
    reportingMTA: "dsn; a8-70.smtp-out.amazonses.com",
    bouncedRecipients: [recipient],
    timestamp: "2026-03-03T12:00:00.000Z",
    feedbackId: `0100018e0f11bb00-${id}-000000`,
  },
  mail: classicMail(`0100018e0f11b000-${id}-000000`, "2026-03-03T11:59:58.000Z", [recipient.emailAddress]),
});

/** A failed DSN for `emailAddress`: its enhanced status and diagnostic. */
const dsn = (emailAddress: string, status: string, diagnosticCode: string): BouncedRecipient => ({
  emailAddress,
  action: "failed",
  status,
  diagnosticCode,
});

/** A classic Complaint notification (test/fixtures/ses/complaint-*.json). */
const complaint = (emailAddress: string, arf: Record<string, string>, id: string) => ({
  notificationType: "Complaint",
  complaint: {
    complainedRecipients: [{ emailAddress }],
    ...arf,
    timestamp: "2026-03-04T08:00:01.500Z",
    feedbackId: `0100018e1400dd00-${id}-000000`,
  },
  mail: classicMail(`0100018e1400d000-${id}-000000`, "2026-03-03T20:00:00.000Z", [emailAddress]),
});

type Topics = readonly { readonly topicName: string; readonly subscriptionStatus: "OptIn" | "OptOut" }[];
type Preferences = { readonly unsubscribeAll: boolean; readonly topicSubscriptionStatus: Topics };

/** An event-publishing Subscription record (test/fixtures/ses/ep-subscription-*.json). */
const subscription = (oldTopicPreferences: Preferences, newTopicPreferences: Preferences) => ({
  eventType: "Subscription",
  mail: publishedMail("2022-01-12T01:00:14.340Z"),
  subscription: {
    contactList: "ContactListName",
    timestamp: "2022-01-12T01:05:00.000Z",
    source: "UnsubscribeHeader",
    newTopicPreferences,
    oldTopicPreferences,
  },
});

const topic = (topicName: string, subscriptionStatus: "OptIn" | "OptOut") => ({
  topicName,
  subscriptionStatus,
});

const HARD_BOUNCE_EFFECT =
  "per reason: `user_unknown`/`has_moved`/`suspend` 365 d, `host_unknown`/`not_accept` 30 d, `bad_address_format` never; IP/content/auth rejections and `undefined` none";
const SOFT_BOUNCE_EFFECT =
  "recipient-side reasons (`mailbox_full`, `expired`, …) count toward 3 in 14 days → 7 d; others none";

/** The record types SES sends that never become events, by `SES_IGNORED_TYPES` (records.ts). */
const IGNORED: Readonly<Record<string, { readonly effect: string; readonly payload: unknown }>> = {
  Reject: {
    effect: "none: a message-level refusal (e.g. a virus), not a statement about the recipient",
    payload: {
      eventType: "Reject",
      mail: publishedMail("2016-10-14T17:38:15.211Z"),
      reject: { reason: "Bad content" },
    },
  },
  Open: {
    effect: "none",
    payload: {
      eventType: "Open",
      mail: publishedMail("2017-08-09T21:59:49.927Z"),
      open: { ipAddress: "192.0.2.1", timestamp: "2017-08-09T22:00:19.652Z", userAgent: "Mozilla/5.0" },
    },
  },
  Click: {
    effect: "none",
    payload: {
      eventType: "Click",
      mail: publishedMail("2017-08-09T23:50:05.795Z"),
      click: {
        ipAddress: "192.0.2.1",
        link: "https://www.example.com/offers",
        timestamp: "2017-08-09T23:51:25.570Z",
        userAgent: "Mozilla/5.0",
      },
    },
  },
  "Rendering Failure": {
    effect: "none: a template error, before any recipient is tried",
    payload: {
      eventType: "Rendering Failure",
      mail: publishedMail("2018-01-22T18:43:06.197Z"),
      failure: {
        errorMessage: "Attribute 'attributeName' is not present in the rendering data.",
        templateName: "MyTemplate",
      },
    },
  },
  DeliveryDelay: {
    effect: "none: SES is still retrying; the outcome arrives as a `Delivery` or a `Transient` `Bounce`",
    payload: {
      eventType: "DeliveryDelay",
      mail: publishedMail("2020-06-16T00:15:40.641Z"),
      deliveryDelay: {
        timestamp: "2020-06-16T00:25:40.095Z",
        delayType: "TransientCommunicationFailure",
        expirationTime: "2020-06-16T00:25:40.914Z",
        delayedRecipients: [
          {
            emailAddress: "recipient@example.com",
            status: "4.4.1",
            diagnosticCode: "smtp; 421 4.4.1 Unable to connect to remote host",
          },
        ],
      },
    },
  },
};

const ignoredRows: MappingRow[] = [...SES_IGNORED_TYPES].map((type) => {
  const row = IGNORED[type];
  if (row === undefined) throw new Error(`ses/mapping.ts has no row for the ignored type ${type}`);
  return {
    when: `\`${type}\` (event publishing)`,
    becomes: "ignored (counted in `ignored`)",
    reason: "—",
    rule: "—",
    effect: row.effect,
    example: { payload: row.payload, gives: "ignored" },
  };
});

export const MAPPING: ProviderMapping = {
  eventColumn: "SES record (`eventType` / `notificationType`)",
  rows: [
    {
      when: "`Send` (event publishing)",
      becomes: "`request`, one per `mail.destination` entry",
      reason: "—",
      rule: "`ses-send`",
      effect: "none",
      example: {
        payload: { eventType: "Send", mail: publishedMail("2016-10-14T05:02:16.645Z"), send: {} },
        gives: { type: "request", rule: "ses-send", scope: "*" },
      },
    },
    {
      when: "`Delivery`",
      becomes: "`delivered`, one per `delivery.recipients` entry",
      reason: "—",
      rule: "`ses-delivery`",
      effect: "resets the soft-bounce count of the address and ends its soft-bounce escalation",
      example: {
        payload: {
          notificationType: "Delivery",
          mail: classicMail(
            "0000014644fe5ef6-9a483358-9170-4cb4-a269-f5dcdf415321-000000",
            "2016-01-27T14:59:38.237Z",
            ["jane@example.com"],
          ),
          delivery: {
            timestamp: "2016-01-27T14:59:38.237Z",
            recipients: ["jane@example.com"],
            processingTimeMillis: 546,
            reportingMTA: "a8-70.smtp-out.amazonses.com",
            smtpResponse: "250 ok:  Message 64111812 accepted",
            remoteMtaIp: "192.0.2.20",
          },
        },
        gives: { type: "delivered", rule: "ses-delivery", scope: "*" },
      },
    },
    {
      when: "`Bounce`, `Permanent` / `General` (or a Permanent subtype not listed below), with a DSN",
      becomes:
        "`invalid` / per reason (e.g. `550 5.1.1` → `mailbox_not_found`), one per `bounce.bouncedRecipients` entry",
      reason: "the classifier's (`diagnosticCode` → `status` → reply code)",
      rule: "the classifier's (`text-user-unknown`, `enhanced-5.1.1`, `reply-5xx`, …)",
      effect: HARD_BOUNCE_EFFECT,
      example: {
        payload: bounce(
          "Permanent",
          "General",
          dsn("jane@example.com", "5.1.1", "smtp; 550 5.1.1 <jane@example.com>... User unknown"),
          "33322211-cccc-cccc-cccc-ddddaaaa068a",
        ),
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
      when: "`Bounce`, `Permanent` / `General`, no DSN",
      becomes: "`invalid` / `other`",
      reason: "`undefined`",
      rule: "`fallback-empty`",
      effect: "none (says nothing about the address)",
      example: {
        payload: bounce(
          "Permanent",
          "General",
          { emailAddress: "jane@example.com" },
          "869464a4-8680-4114-98d3-716fe35851f9",
        ),
        gives: { type: "invalid", subtype: "other", reason: "undefined", rule: "fallback-empty" },
      },
    },
    {
      when: "`Bounce`, `Permanent` / `NoEmail`",
      becomes:
        "`invalid` / `mailbox_not_found`; the classifier's verdict when the DSN names a specific reason",
      reason: "`user_unknown`",
      rule: "`ses-no-email` (no DSN, or only a generic code such as `550 5.0.0`)",
      effect: "365 d",
      example: {
        payload: bounce(
          "Permanent",
          "NoEmail",
          dsn("nobody@example.org", "5.0.0", "smtp; 550 5.0.0"),
          "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        ),
        gives: {
          type: "invalid",
          subtype: "mailbox_not_found",
          reason: "user_unknown",
          rule: "ses-no-email",
        },
      },
    },
    {
      when: "`Bounce`, `Permanent` / `Suppressed` (SES's global suppression list)",
      becomes: "`invalid` / `blocklisted`",
      reason: "`suppressed`",
      rule: "`ses-suppressed`",
      effect: "90 d",
      example: {
        payload: bounce(
          "Permanent",
          "Suppressed",
          dsn(
            "gone@example.org",
            "5.1.1",
            "Amazon SES has suppressed sending to this address because it has a recent history of bouncing as an invalid address.",
          ),
          "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e",
        ),
        gives: { type: "invalid", subtype: "blocklisted", reason: "suppressed", rule: "ses-suppressed" },
      },
    },
    {
      when: "`Bounce`, `Permanent` / `OnAccountSuppressionList` (the account's suppression list)",
      becomes: "`invalid` / `blocklisted`",
      reason: "`suppressed`",
      rule: "`ses-on-account-suppression-list`",
      effect: "90 d",
      example: {
        payload: bounce(
          "Permanent",
          "OnAccountSuppressionList",
          dsn(
            "listed@example.org",
            "5.1.1",
            "Amazon SES did not send the message to this address because it is on the suppression list for your account.",
          ),
          "4d5e6f7a-8b9c-4d0e-9f1a-3b4c5d6e7f80",
        ),
        gives: {
          type: "invalid",
          subtype: "blocklisted",
          reason: "suppressed",
          rule: "ses-on-account-suppression-list",
        },
      },
    },
    {
      when: "`Bounce`, `Transient` / `General` (or a Transient subtype not listed below)",
      becomes:
        "`soft_bounce` / per reason (no DSN: `other`); a 5xx reply makes a reason that depends on permanence (e.g. `blocked`) `invalid`",
      reason: "the classifier's (no DSN: `undefined`)",
      rule: "the classifier's (no DSN: `fallback-empty`)",
      effect: SOFT_BOUNCE_EFFECT,
      example: {
        payload: bounce(
          "Transient",
          "General",
          dsn("late@example.org", "4.4.7", "smtp; 421 4.4.7 Message expired"),
          "8b9c0d1e-2f3a-4b4c-8d5e-7f8091a2b3c4",
        ),
        gives: {
          type: "soft_bounce",
          subtype: "service_unreachable",
          reason: "expired",
          rule: "text-expired",
          scope: "*",
        },
      },
    },
    {
      when: "`Bounce`, `Transient` (any subtype), the DSN proves a hard reason (e.g. `550 5.1.1`)",
      becomes: "`invalid` / per reason: the DSN wins over SES's verdict (design.md §2.5)",
      reason: "the classifier's",
      rule: "the classifier's",
      effect: HARD_BOUNCE_EFFECT,
      example: {
        payload: bounce(
          "Transient",
          "General",
          dsn(
            "bob@example.org",
            "5.1.1",
            "smtp; 550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in virtual mailbox table",
          ),
          "9c0d1e2f-3a4b-4c5d-9e6f-8091a2b3c4d5",
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
      when: "`Bounce`, `Transient` / `MailboxFull`",
      becomes: "`soft_bounce` / `other`",
      reason: "`mailbox_full`",
      rule: "`ses-mailbox-full`",
      effect: "counts toward 3 in 14 days → 7 d",
      example: {
        payload: bounce(
          "Transient",
          "MailboxFull",
          dsn(
            "full@example.org",
            "4.2.2",
            "smtp; 452 4.2.2 The email account that you tried to reach is over quota.",
          ),
          "6f7a8b9c-0d1e-4f2a-8b3c-5d6e7f8091a2",
        ),
        gives: { type: "soft_bounce", subtype: "other", reason: "mailbox_full", rule: "ses-mailbox-full" },
      },
    },
    {
      when: "`Bounce`, `Transient` / `MessageTooLarge`",
      becomes: "`soft_bounce` / `other`",
      reason: "`mesg_too_big`",
      rule: "`ses-message-too-large`",
      effect: "none (the message, not the address)",
      example: {
        payload: bounce(
          "Transient",
          "MessageTooLarge",
          dsn("big@example.org", "5.3.4", "smtp; 552 5.3.4 Message size exceeds fixed limit"),
          "7a8b9c0d-1e2f-4a3b-9c4d-6e7f8091a2b3",
        ),
        gives: {
          type: "soft_bounce",
          subtype: "other",
          reason: "mesg_too_big",
          rule: "ses-message-too-large",
        },
      },
    },
    {
      when: "`Bounce`, `Transient` / `ContentRejected`",
      becomes: "`soft_bounce` / `spam_rejected`",
      reason: "`spam_detected`",
      rule: "`ses-content-rejected`",
      effect: "none (the content, not the address)",
      example: {
        payload: bounce(
          "Transient",
          "ContentRejected",
          dsn("filter@example.org", "5.7.1", "smtp; 554 5.7.1 Message rejected due to content"),
          "0d1e2f3a-4b5c-4d6e-8f7a-91a2b3c4d5e6",
        ),
        gives: {
          type: "soft_bounce",
          subtype: "spam_rejected",
          reason: "spam_detected",
          rule: "ses-content-rejected",
        },
      },
    },
    {
      when: "`Bounce`, `Transient` / `AttachmentRejected`",
      becomes: "`soft_bounce` / `other`",
      reason: "`content_error`",
      rule: "`ses-attachment-rejected`",
      effect: "none (the content, not the address)",
      example: {
        payload: bounce(
          "Transient",
          "AttachmentRejected",
          dsn("attach@example.org", "5.7.0", "smtp; 552 5.7.0 Our system detected an illegal attachment"),
          "1e2f3a4b-5c6d-4e7f-9a8b-a2b3c4d5e6f7",
        ),
        gives: {
          type: "soft_bounce",
          subtype: "other",
          reason: "content_error",
          rule: "ses-attachment-rejected",
        },
      },
    },
    {
      when: "`Bounce`, `Undetermined` (or a bounce type SES adds later)",
      becomes: "`soft_bounce`: never `invalid`, whatever the DSN says",
      reason: "`undefined`, or the classifier's when the DSN gives a soft verdict",
      rule: "`ses-undetermined`, or the classifier's",
      effect: "none, unless the DSN gives a recipient-side soft reason (then it counts as above)",
      example: {
        payload: bounce(
          "Undetermined",
          "Undetermined",
          { emailAddress: "maybe@example.org" },
          "2f3a4b5c-6d7e-4f8a-9b0c-b3c4d5e6f708",
        ),
        gives: { type: "soft_bounce", subtype: "other", reason: "undefined", rule: "ses-undetermined" },
      },
    },
    {
      when: "`Complaint` with an ARF report (`complaintFeedbackType` other than `not-spam`)",
      becomes:
        "`complaint`, one per `complaint.complainedRecipients` entry (also with `complaintSubType: OnAccountSuppressionList`); `feedbackType` `abuse`, `fraud`, `virus`, or `other` (`auth-failure` and unknown values)",
      reason: "—",
      rule: "`ses-complaint`",
      effect: "180 d",
      example: {
        payload: complaint(
          "richard@example.com",
          {
            userAgent: "AnyCompany Feedback Loop (V0.01)",
            complaintFeedbackType: "abuse",
            arrivalDate: "2026-03-04T08:00:00.000Z",
          },
          "18c07c78-fa81-4a58-9dd1-fedc3cb8f49a",
        ),
        gives: { type: "complaint", rule: "ses-complaint", feedbackType: "abuse", scope: "*" },
      },
    },
    {
      when: "`Complaint` without `complaintFeedbackType` (no ARF report attached)",
      becomes: "`complaint`, `feedbackType: null`",
      reason: "—",
      rule: "`ses-complaint`",
      effect: "180 d",
      example: {
        payload: complaint("mary@example.com", {}, "fea503bc-7497-49e1-881b-a0379bb037d3"),
        gives: { type: "complaint", rule: "ses-complaint", feedbackType: null },
      },
    },
    {
      when: "`Complaint`, `complaintFeedbackType: not-spam`",
      becomes: "`complaint`, `feedbackType: not-spam` (recorded)",
      reason: "—",
      rule: "`ses-complaint`",
      effect: "none (policy `complaint.ignoreFeedbackTypes`)",
      example: {
        payload: complaint(
          "pat@example.org",
          {
            userAgent: "Yahoo!-Mail-Feedback/2.0",
            complaintFeedbackType: "not-spam",
            arrivalDate: "2026-03-04T08:00:00.000Z",
          },
          "3a4b5c6d-7e8f-4a9b-8c0d-c4d5e6f70819",
        ),
        gives: { type: "complaint", rule: "ses-complaint", feedbackType: "not-spam" },
      },
    },
    {
      when: "`Subscription` (event publishing), `newTopicPreferences.unsubscribeAll: true`",
      becomes:
        "`unsubscribe`, scope `<contactList>` (every topic of the list), one per `mail.destination` entry",
      reason: "—",
      rule: "`ses-subscription-opt-out`",
      effect: "never expires, at `<contactList>`",
      example: {
        payload: subscription(
          { unsubscribeAll: false, topicSubscriptionStatus: [topic("ExampleTopicName", "OptOut")] },
          { unsubscribeAll: true, topicSubscriptionStatus: [topic("ExampleTopicName", "OptOut")] },
        ),
        gives: {
          type: "unsubscribe",
          rule: "ses-subscription-opt-out",
          scope: "ContactListName",
          resubscribe: false,
        },
      },
    },
    {
      when: "`Subscription`, a topic `OptIn` (or absent) → `OptOut`",
      becomes: "`unsubscribe`, scope `<contactList>/<topic>`, one per changed topic",
      reason: "—",
      rule: "`ses-subscription-opt-out`",
      effect: "never expires, at `<contactList>/<topic>`",
      example: {
        payload: subscription(
          {
            unsubscribeAll: false,
            topicSubscriptionStatus: [topic("ProductUpdates", "OptIn"), topic("Events", "OptOut")],
          },
          {
            unsubscribeAll: false,
            topicSubscriptionStatus: [topic("ProductUpdates", "OptOut"), topic("Events", "OptOut")],
          },
        ),
        gives: {
          type: "unsubscribe",
          rule: "ses-subscription-opt-out",
          scope: "ContactListName/ProductUpdates",
          resubscribe: false,
        },
      },
    },
    {
      when: "`Subscription`, a topic `OptOut` → `OptIn`",
      becomes: "`unsubscribe`, `resubscribe: true`, scope `<contactList>/<topic>`",
      reason: "—",
      rule: "`ses-subscription-opt-in`",
      effect: "lifts the unsubscribe at `<contactList>/<topic>` only (never `*`, never other causes)",
      example: {
        payload: subscription(
          { unsubscribeAll: false, topicSubscriptionStatus: [topic("Offers", "OptOut")] },
          { unsubscribeAll: false, topicSubscriptionStatus: [topic("Offers", "OptIn")] },
        ),
        gives: {
          type: "unsubscribe",
          rule: "ses-subscription-opt-in",
          scope: "ContactListName/Offers",
          resubscribe: true,
        },
      },
    },
    {
      when: "`Subscription`, `unsubscribeAll` `true` → `false`",
      becomes:
        "`unsubscribe`, `resubscribe: true`, scope `<contactList>`; plus an unsubscribe of every topic still `OptOut`",
      reason: "—",
      rule: "`ses-subscription-opt-in` (the topics: `ses-subscription-opt-out`)",
      effect:
        "lifts the unsubscribe at `<contactList>` only; the topics still opted out never expire, at `<contactList>/<topic>`",
      example: {
        payload: subscription(
          {
            unsubscribeAll: true,
            topicSubscriptionStatus: [topic("ProductUpdates", "OptIn"), topic("Events", "OptOut")],
          },
          {
            unsubscribeAll: false,
            topicSubscriptionStatus: [topic("ProductUpdates", "OptIn"), topic("Events", "OptOut")],
          },
        ),
        gives: {
          type: "unsubscribe",
          rule: "ses-subscription-opt-in",
          scope: "ContactListName",
          resubscribe: true,
        },
      },
    },
    {
      when: "`Subscription` that changes no preference",
      becomes: "ignored (counted in `ignored`)",
      reason: "—",
      rule: "—",
      effect: "none",
      example: {
        payload: subscription(
          { unsubscribeAll: false, topicSubscriptionStatus: [topic("Events", "OptOut")] },
          { unsubscribeAll: false, topicSubscriptionStatus: [topic("Events", "OptOut")] },
        ),
        gives: "ignored",
      },
    },
    ...ignoredRows,
    {
      when: "any other type (e.g. `AmazonSnsSubscriptionSucceeded`, types SES adds later)",
      becomes: "ignored (counted in `ignored`)",
      reason: "—",
      rule: "—",
      effect: "none",
      example: {
        payload: {
          notificationType: "AmazonSnsSubscriptionSucceeded",
          message:
            "You have successfully subscribed your Amazon SNS topic 'arn:aws:sns:us-east-1:123456789012:ses-notifications' to receive 'Bounce' notifications from Amazon SES for identity 'example.com'.",
        },
        gives: "ignored",
      },
    },
  ],
};
