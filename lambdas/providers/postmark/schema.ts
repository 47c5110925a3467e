/**
 * Postmark webhook records (docs/providers/postmark.md §4): one zod schema per `RecordType` we read. Every schema
 * is loose (Postmark adds fields) and reads only what the adapter uses.
 */
import * as z from "zod";
import { parseJsonText } from "../../core/json.js";

/** Longest string field we accept in an id or stream (Postmark's are uuids and short names). */
const MAX_ID = 200;

/**
 * A Postmark datetime: ISO 8601, often with 7 fractional digits and an offset
 * (`2016-04-27T16:28:50.3963933-04:00`); `Date` reads it.
 *
 * @example
 * PostmarkDateSchema.parse("2019-11-05T16:33:54.9070259Z"); // "2019-11-05T16:33:54.9070259Z"
 */
export const PostmarkDateSchema = z
  .string()
  .max(64)
  .refine((value) => /^\d{4}-\d\d-\d\dT/.test(value) && !Number.isNaN(Date.parse(value)), {
    message: "an ISO 8601 datetime is expected",
  });

/**
 * A bounce `ID` (int64). The body is parsed with the source text of every `ID` kept as a string
 * (`parsePostmarkJson`), because ids such as `4323372036854775807` do not fit a JS number; a
 * number (built by hand, e.g. in tests) is accepted when it is a safe integer.
 *
 * @example
 * PostmarkIdSchema.parse("4323372036854775807"); // "4323372036854775807"
 * PostmarkIdSchema.parse(42);                    // "42"
 */
export const PostmarkIdSchema = z.union([
  z.string().regex(/^\d{1,20}$/, "a decimal integer id is expected"),
  z
    .number()
    .int()
    .nonnegative()
    .refine(Number.isSafeInteger, "the id is too large for a number: send it as written by Postmark")
    .transform(String),
]);

/** `MessageStream`: `outbound` (the default transactional stream), `broadcast`, or a stream id. */
export const PostmarkStreamSchema = z.string().min(1).max(100);

/**
 * The field every record has: which kind of record it is.
 *
 * @example
 * PostmarkHeaderSchema.parse({ RecordType: "Bounce" }); // { RecordType: "Bounce" }
 */
export const PostmarkHeaderSchema = z.looseObject({ RecordType: z.string().min(1).max(64) });

/**
 * A `Bounce` record, and the `SpamComplaint` record (same shape, `Type: "SpamComplaint"`).
 * `Email` is optional: a `Type: "Unsubscribe"` record has been seen without it.
 *
 * @example
 * PostmarkBounceSchema.parse({
 *   RecordType: "Bounce", ID: "4323372036854775807", Type: "HardBounce", TypeCode: 1,
 *   MessageID: "883953f4-6105-42a2-a16a-77a8eac79483", MessageStream: "outbound",
 *   Details: "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
 *   Email: "jdoe@example.org", BouncedAt: "2019-11-05T16:33:54.9070259Z", Inactive: true,
 * });
 */
export const PostmarkBounceSchema = z.looseObject({
  RecordType: z.string(),
  ID: PostmarkIdSchema,
  Type: z.string().max(64).nullish(),
  TypeCode: z.number().int().nullish(),
  MessageID: z.string().max(MAX_ID).nullish(),
  MessageStream: PostmarkStreamSchema.nullish(),
  Description: z.string().nullish(),
  Details: z.string().nullish(),
  Email: z.string().nullish(),
  BouncedAt: PostmarkDateSchema.nullish(),
  Inactive: z.boolean().nullish(),
  CanActivate: z.boolean().nullish(),
});
export type PostmarkBounce = z.infer<typeof PostmarkBounceSchema>;

/**
 * A `SubscriptionChange` record: an address added to (`SuppressSending: true`) or removed from
 * (`false`, a reactivation) a message stream's suppression list. `MessageID` is null for manual
 * suppressions and reactivations.
 *
 * @example
 * PostmarkSubscriptionChangeSchema.parse({
 *   RecordType: "SubscriptionChange", MessageID: null, MessageStream: "broadcast",
 *   ChangedAt: "2020-02-01T10:53:34.416071Z", Recipient: "jdoe@example.org", Origin: "Recipient",
 *   SuppressSending: true, SuppressionReason: "ManualSuppression",
 * });
 */
export const PostmarkSubscriptionChangeSchema = z.looseObject({
  RecordType: z.literal("SubscriptionChange"),
  MessageID: z.string().max(MAX_ID).nullish(),
  MessageStream: PostmarkStreamSchema.nullish(),
  ChangedAt: PostmarkDateSchema,
  Recipient: z.string(),
  Origin: z.string().max(64).nullish(),
  SuppressSending: z.boolean(),
  SuppressionReason: z.string().max(64).nullish(),
});
export type PostmarkSubscriptionChange = z.infer<typeof PostmarkSubscriptionChangeSchema>;

/**
 * A `Delivery` record: the receiving server accepted the message for `Recipient`.
 *
 * @example
 * PostmarkDeliverySchema.parse({
 *   RecordType: "Delivery", MessageID: "883953f4-6105-42a2-a16a-77a8eac79483",
 *   Recipient: "jdoe@example.org", DeliveredAt: "2019-11-05T16:33:54.9070259Z",
 * });
 */
export const PostmarkDeliverySchema = z.looseObject({
  RecordType: z.literal("Delivery"),
  MessageID: z.string().min(1).max(MAX_ID),
  MessageStream: PostmarkStreamSchema.nullish(),
  Recipient: z.string(),
  DeliveredAt: PostmarkDateSchema.nullish(),
  Details: z.string().nullish(),
});
export type PostmarkDelivery = z.infer<typeof PostmarkDeliverySchema>;

/**
 * A page of the Bounces API (`GET /bounces`), accepted by `/v1/import/postmark` for backfills: its
 * records have the Bounce shape, with or without `RecordType`.
 *
 * @example
 * PostmarkBouncePageSchema.parse({ TotalCount: 1, Bounces: [{ ID: 1, Type: "HardBounce", Email: "a@example.org" }] });
 */
export const PostmarkBouncePageSchema = z.looseObject({
  Bounces: z.array(z.unknown()),
});

/**
 * The `JSON.parse` reviver that keeps the exact digits of every `ID` (int64 bounce ids exceed
 * `Number.MAX_SAFE_INTEGER`): a numeric `ID` comes back as its source text. Uses the reviver's
 * source-text context (Node ≥ 21); without it, the number's own string. Pass it to
 * `parseJsonBody` / `parseJsonText` (`core/json.ts`), which bound the depth first: a reviver
 * recurses once per level of nesting.
 *
 * @example
 * parseJsonText('{"ID":4323372036854775807}', "The body", postmarkIdReviver); // { ID: "4323372036854775807" }
 */
export function postmarkIdReviver(key: string, value: unknown, context?: { source?: string }): unknown {
  return key === "ID" && typeof value === "number" ? (context?.source ?? String(value)) : value;
}

/**
 * Parses Postmark JSON text keeping the exact digits of every `ID` (see `postmarkIdReviver`),
 * depth-bounded like every body.
 *
 * @throws InputError for empty, too deeply nested or malformed JSON.
 * @example
 * parsePostmarkJson('{"ID":4323372036854775807}'); // { ID: "4323372036854775807" }
 */
export function parsePostmarkJson(text: string): unknown {
  return parseJsonText(text, "The body", postmarkIdReviver);
}
