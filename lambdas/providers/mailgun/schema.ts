/**
 * Zod schemas for what Mailgun posts to a webhook (docs/providers/mailgun.md §3): one JSON object per request,
 * `{"signature": {timestamp, token, signature[, parent-signature]}, "event-data": {...}}`.
 *
 * Loose objects throughout: Mailgun adds fields over time ("we do not recommend hardcoding the
 * fields"), so only what we read is checked.
 */
import * as z from "zod";

/** Longest token we remember (Mailgun's are 50 characters); bounds the replay-guard key. */
export const MAX_TOKEN_LENGTH = 256;

/**
 * The `signature` block. `timestamp` is unix seconds, a string in Mailgun's examples (a number is
 * accepted and kept in its decimal form, which is what was signed).
 *
 * @example
 * MailgunSignatureSchema.parse({
 *   timestamp: "1770920772", token: "e0b5477167110d68991efc6b9f89f0a11066af27834600e123",
 *   signature: "12d99f5a15355c180971bed7494d578b093c958f57766f3fe750761baed12345",
 * });
 */
export const MailgunSignatureSchema = z.looseObject({
  timestamp: z.union([
    z.string().regex(/^\d{1,12}$/, "unix seconds"),
    z
      .number()
      .int()
      .nonnegative()
      .max(1e12)
      .transform((n) => String(n)),
  ]),
  token: z.string().min(1).max(MAX_TOKEN_LENGTH),
  signature: z.string().min(1).max(1024),
  "parent-signature": z.string().max(1024).nullish(),
});
export type MailgunSignature = z.infer<typeof MailgunSignatureSchema>;

/** Just enough of the body to find the signature block (verify reads nothing else). */
export const MailgunSignedBodySchema = z.looseObject({ signature: MailgunSignatureSchema });

/**
 * `event-data.delivery-status` (on `delivered` and `failed`; `null` on `accepted`). `code` is the
 * SMTP reply code, or one of Mailgun's own (498 "No MX", 605–607 suppressions).
 *
 * @example
 * MailgunDeliveryStatusSchema.parse({ code: 550, message: "5.1.1 The email account … does not exist",
 *   description: "", "attempt-no": 1, "enhanced-code": "5.1.1" });
 */
export const MailgunDeliveryStatusSchema = z.looseObject({
  code: z.union([z.number(), z.string().max(32)]).nullish(),
  message: z.string().nullish(),
  description: z.string().nullish(),
  "enhanced-code": z.string().max(32).nullish(),
  "attempt-no": z.number().nullish(),
  "retry-seconds": z.number().nullish(),
});
export type MailgunDeliveryStatus = z.infer<typeof MailgunDeliveryStatusSchema>;

/** Unix seconds as Mailgun gives them (a float in webhooks; a numeric string is accepted for imports). */
const EpochSecondsSchema = z
  .union([z.number(), z.string().regex(/^\d{1,12}(\.\d{1,9})?$/, "unix seconds")])
  .transform((v) => Number(v))
  .refine((n) => Number.isFinite(n) && n > 0 && n < 1e11, "unix seconds");

/**
 * One event (`event-data` in a webhook, one of `items` in the Events API). `id` is Mailgun's event
 * id (unique within a day), `recipient` is absent on some account-level events we ignore anyway.
 *
 * @example
 * MailgunEventDataSchema.parse({ event: "failed", id: "G9Bn5sl1TC6nu79C8C0bwg", timestamp: 1521233123.501324,
 *   recipient: "alice@example.com", severity: "permanent", reason: "bounce",
 *   "delivery-status": { code: 550, message: "No such user" } });
 */
export const MailgunEventDataSchema = z.looseObject({
  event: z.string().min(1).max(64),
  id: z.string().min(1).max(256),
  timestamp: EpochSecondsSchema,
  recipient: z.string().max(1024).nullish(),
  severity: z.string().max(64).nullish(),
  reason: z.string().max(64).nullish(),
  "delivery-status": MailgunDeliveryStatusSchema.nullish(),
});
export type MailgunEventData = z.infer<typeof MailgunEventDataSchema>;
