/**
 * Zod schemas for Amazon SES sending notifications (docs/providers/ses.md §1), one schema per SES type.
 *
 * The same record comes from two producers: classic feedback notifications (`notificationType`:
 * Bounce, Complaint, Delivery) and event publishing (`eventType`: Send, Reject, Bounce, Complaint,
 * Delivery, Open, Click, Rendering Failure, DeliveryDelay, Subscription). SES says it may add fields
 * at any time, so every object is loose (unknown keys kept, never refused) and only the fields we
 * read are validated.
 *
 * Powertools' `schemas/ses` describes SES *receiving* (inbound mail → Lambda) events, not these
 * sending notifications, so it is not reused here. The transport envelopes are in `envelopes.ts`.
 */
import * as z from "zod";

/** ISO 8601 with `Z` or an offset, as SES writes every timestamp (`2016-01-27T14:59:38.237Z`). */
export const SesTimestampSchema = z.iso.datetime({ offset: true });

/** A contact-list or topic name: becomes one segment of a scope, so no `*`, `/` or white space. */
const ScopeSegmentSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^*/\s]+$/, "a contact list or topic name must not contain `*`, `/` or white space");

/**
 * The `mail` object every SES record carries (docs/providers/ses.md §1.1). Only what we read is checked.
 *
 * @example
 * SesMailSchema.parse({ timestamp: "2016-01-27T14:59:38.237Z", messageId: "0000…-000000",
 *   destination: ["jane@example.com"] });
 */
export const SesMailSchema = z.looseObject({
  timestamp: SesTimestampSchema.nullish(),
  messageId: z.string().min(1).max(256),
  destination: z.array(z.string()).nullish(),
});
export type SesMail = z.infer<typeof SesMailSchema>;

/** One `bounce.bouncedRecipients[]` item; `status`/`diagnosticCode` only when a DSN was attached. */
export const SesBouncedRecipientSchema = z.looseObject({
  emailAddress: z.string(),
  action: z.string().nullish(),
  status: z.string().nullish(),
  diagnosticCode: z.string().nullish(),
});
export type SesBouncedRecipient = z.infer<typeof SesBouncedRecipientSchema>;

/**
 * The `bounce` object (docs/providers/ses.md §1.2). `bounceType`/`bounceSubType` stay open strings: an
 * unknown value is handled as `Undetermined`, not refused.
 *
 * @example
 * SesBounceSchema.parse({ bounceType: "Permanent", bounceSubType: "General",
 *   bouncedRecipients: [{ emailAddress: "jane@example.com", status: "5.1.1",
 *     diagnosticCode: "smtp; 550 5.1.1 user unknown" }],
 *   timestamp: "2016-01-27T14:59:38.237Z", feedbackId: "00000138111222aa-…-000000" });
 */
export const SesBounceSchema = z.looseObject({
  bounceType: z.string().min(1),
  bounceSubType: z.string().nullish(),
  bouncedRecipients: z.array(SesBouncedRecipientSchema),
  timestamp: SesTimestampSchema.nullish(),
  feedbackId: z.string().min(1).max(256),
});
export type SesBounce = z.infer<typeof SesBounceSchema>;

/**
 * The `complaint` object (docs/providers/ses.md §1.3). `complaintFeedbackType` is absent when no ARF report
 * was attached.
 *
 * @example
 * SesComplaintSchema.parse({ complainedRecipients: [{ emailAddress: "richard@example.com" }],
 *   timestamp: "2016-01-27T14:59:38.237Z", feedbackId: "000001378603177f-…-000000",
 *   complaintFeedbackType: "abuse" });
 */
export const SesComplaintSchema = z.looseObject({
  complainedRecipients: z.array(z.looseObject({ emailAddress: z.string() })),
  timestamp: SesTimestampSchema.nullish(),
  feedbackId: z.string().min(1).max(256),
  complaintFeedbackType: z.string().nullish(),
  complaintSubType: z.string().nullish(),
});
export type SesComplaint = z.infer<typeof SesComplaintSchema>;

/**
 * The `delivery` object (docs/providers/ses.md §1.4).
 *
 * @example
 * SesDeliverySchema.parse({ timestamp: "2016-01-27T14:59:38.237Z", recipients: ["jane@example.com"],
 *   smtpResponse: "250 ok" });
 */
export const SesDeliverySchema = z.looseObject({
  timestamp: SesTimestampSchema.nullish(),
  recipients: z.array(z.string()),
  smtpResponse: z.string().nullish(),
});
export type SesDelivery = z.infer<typeof SesDeliverySchema>;

/** `newTopicPreferences` / `oldTopicPreferences` of a Subscription event. */
export const SesTopicPreferencesSchema = z.looseObject({
  unsubscribeAll: z.boolean().nullish(),
  topicSubscriptionStatus: z
    .array(z.looseObject({ topicName: ScopeSegmentSchema, subscriptionStatus: z.string() }))
    .nullish(),
});
export type SesTopicPreferences = z.infer<typeof SesTopicPreferencesSchema>;

/**
 * The `subscription` object of event publishing (docs/providers/ses.md §1.5). The recipient is not in it:
 * it comes from `mail.destination`.
 *
 * @example
 * SesSubscriptionSchema.parse({ contactList: "Newsletter", timestamp: "2022-01-12T01:00:17.910Z",
 *   source: "UnsubscribeHeader", newTopicPreferences: { unsubscribeAll: true },
 *   oldTopicPreferences: { unsubscribeAll: false } });
 */
export const SesSubscriptionSchema = z.looseObject({
  contactList: ScopeSegmentSchema,
  timestamp: SesTimestampSchema.nullish(),
  source: z.string().nullish(),
  newTopicPreferences: SesTopicPreferencesSchema,
  oldTopicPreferences: SesTopicPreferencesSchema.nullish(),
});
export type SesSubscription = z.infer<typeof SesSubscriptionSchema>;

/**
 * What every SES record has before we know its type: `eventType` (event publishing) or
 * `notificationType` (classic). Read as `eventType ?? notificationType`.
 *
 * @example
 * SesRecordHeaderSchema.parse({ notificationType: "Bounce", bounce: {}, mail: {} });
 */
export const SesRecordHeaderSchema = z
  .looseObject({
    eventType: z.string().min(1).max(64).optional(),
    notificationType: z.string().min(1).max(64).optional(),
  })
  .refine((r) => r.eventType !== undefined || r.notificationType !== undefined, {
    message: "an SES record has `eventType` (event publishing) or `notificationType` (notifications)",
    path: ["eventType"],
  });

/** A Bounce record (either producer). */
export const SesBounceRecordSchema = z.looseObject({ mail: SesMailSchema, bounce: SesBounceSchema });
/** A Complaint record (either producer). */
export const SesComplaintRecordSchema = z.looseObject({ mail: SesMailSchema, complaint: SesComplaintSchema });
/** A Delivery record (either producer). */
export const SesDeliveryRecordSchema = z.looseObject({ mail: SesMailSchema, delivery: SesDeliverySchema });
/** A Send record (event publishing): one `request` per `mail.destination`. */
export const SesSendRecordSchema = z.looseObject({
  mail: SesMailSchema.extend({ destination: z.array(z.string()) }),
});
/** A Subscription record (event publishing, SES list management). */
export const SesSubscriptionRecordSchema = z.looseObject({
  mail: SesMailSchema.extend({ destination: z.array(z.string()) }),
  subscription: SesSubscriptionSchema,
});
