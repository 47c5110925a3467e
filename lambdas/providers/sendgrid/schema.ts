/**
 * Zod schema for the SendGrid Event Webhook body (docs/providers/sendgrid.md §2): always a JSON array of event
 * objects. SendGrid adds fields over time and custom args (`unique_args`) appear as extra top-level
 * keys, so every event is a loose object and only the fields we read are checked.
 */
import * as z from "zod";

/** Unix seconds, as SendGrid writes `timestamp` (a number; a digit string is accepted too). */
const UnixSecondsSchema = z.union([
  z.number().int().nonnegative().max(1e11),
  z
    .string()
    .regex(/^\d{1,11}$/, "a Unix time in seconds")
    .transform(Number),
]);

/** The suppression (ASM) group id: a positive integer, sent as a number (a digit string is accepted). */
export const AsmGroupIdSchema = z.union([
  z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  z
    .string()
    .regex(/^[1-9]\d{0,15}$/, "a positive integer")
    .transform(Number),
]);

/**
 * One Event Webhook event. `event` is an open string: an event type SendGrid adds later is
 * acknowledged and ignored, not refused.
 *
 * @example
 * SendgridEventSchema.parse({ email: "jdoe@example.org", timestamp: 1700000000, event: "bounce",
 *   type: "bounce", sg_event_id: "ZGVsaXZlcmVkLTAtMjQ", sg_message_id: "14c5d75ce93.dfd.64b469.filter0001.0",
 *   reason: "550 5.1.1 The email account that you tried to reach does not exist.", status: "5.1.1",
 *   bounce_classification: "Invalid Address" });
 */
export const SendgridEventSchema = z.looseObject({
  event: z.string().min(1).max(64),
  email: z.string().max(1024),
  timestamp: UnixSecondsSchema.nullish(),
  /** Unique per event, stable across redeliveries (docs/providers.md §0): our `eventId`. */
  sg_event_id: z.string().min(1).max(512).nullish(),
  sg_message_id: z.string().max(512).nullish(),
  /** `bounce`: `"bounce"` (permanent) or `"blocked"` (the receiver refused, often temporarily). */
  type: z.string().max(64).nullish(),
  /**
   * `bounce`/`dropped`: the SMTP reply or SendGrid's drop reason. Free text, not refused for its
   * length (that would lose the whole batch): `smtpFrom` caps what is kept.
   */
  reason: z.string().nullish(),
  /** `bounce`/`dropped`: the enhanced status code (`5.1.1`); may be absent on blocks. */
  status: z.string().max(64).nullish(),
  bounce_classification: z.string().max(128).nullish(),
  /** `deferred`/`delivered`: the receiver's reply (free text, capped by `smtpFrom` as `reason`). */
  response: z.string().nullish(),
  asm_group_id: AsmGroupIdSchema.nullish(),
});
export type SendgridEvent = z.infer<typeof SendgridEventSchema>;

/**
 * The whole request body: one or more events (SendGrid never posts an empty batch; an empty one is
 * refused as malformed). Elements are validated one by one so an issue names its index.
 *
 * @example
 * SendgridBatchSchema.parse([{ email: "jdoe@example.org", timestamp: 1700000000, event: "spamreport",
 *   sg_event_id: "c3BhbXJlcG9ydC0x" }]);
 */
export const SendgridBatchSchema = z
  .array(z.unknown(), { error: "a SendGrid Event Webhook body is a JSON array of events" })
  .min(1, "the batch is empty: SendGrid always sends at least one event");
