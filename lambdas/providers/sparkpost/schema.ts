/**
 * SparkPost / Bird event webhook payloads (docs/providers/sparkpost.md §5): one schema per event source.
 *
 * A request body is a JSON array ("batch") of `{"msys": {"<event class>": {…, "type": "<event>"}}}`;
 * `{"msys": {}}` is the ping SparkPost sends when a webhook is created or tested. Objects are loose:
 * SparkPost adds fields (`rcpt_meta`, `ip_pool`, `amp_*`…) and we read only the ones below.
 */
import * as z from "zod";

/** The event classes whose events can become normalized events; any other class is acknowledged and counted. */
export const SPARKPOST_EVENT_CLASSES = ["message_event", "unsubscribe_event"] as const;

/** Latest instant an ISO-8601 date with a four-digit year can name (9999-12-31T23:59:59Z), in ms. */
const MAX_MS = 253_402_300_799_000;
const UNIX_SECONDS = /^\d{1,12}(\.\d{1,9})?$/;
/** An ISO-8601 date-time (`Date.parse` alone accepts far too much: "-5" is a date to V8). */
const ISO_DATE_TIME = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d{1,9})?)?(Z|[+-]\d\d:?\d\d)$/i;

/**
 * A SparkPost `timestamp` → ISO-8601, or `null` when it is not a date: unix seconds as a string
 * (`"1454442600"`, what SparkPost sends), a number, or an ISO date (Bird's newer payloads).
 *
 * @example
 * isoOfTimestamp("1454442600"); // "2016-02-02T19:50:00.000Z"
 * isoOfTimestamp("yesterday");  // null
 */
export function isoOfTimestamp(value: string | number): string | null {
  let ms: number;
  if (typeof value === "number") ms = value * 1000;
  else {
    const text = value.trim();
    if (UNIX_SECONDS.test(text)) ms = Number(text) * 1000;
    else ms = ISO_DATE_TIME.test(text) ? Date.parse(text) : Number.NaN;
  }
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_MS) return null;
  return new Date(Math.floor(ms)).toISOString();
}

const TimestampSchema = z
  .union([z.string().max(64), z.number()])
  .refine((v) => isoOfTimestamp(v) !== null, "timestamp must be unix seconds or an ISO-8601 date");

/** A string SparkPost sometimes sends as a number (`bounce_class`, `error_code`, ids). */
const StringLike = z.union([z.string(), z.number().transform(String)]);

/**
 * One event of the `message_event` or `unsubscribe_event` class: everything the parser reads.
 *
 * @example
 * SparkPostEventSchema.parse({
 *   type: "bounce", event_id: "92356927693813856", timestamp: "1454442600",
 *   rcpt_to: "recipient@example.com", bounce_class: "10", error_code: "550",
 *   raw_reason: "550 5.1.1 <recipient@example.com>: Recipient address rejected: User unknown",
 * });
 */
export const SparkPostEventSchema = z.looseObject({
  type: z.string().min(1).max(64),
  /** Unique per event; the same on redeliveries: our idempotency key. */
  event_id: StringLike.pipe(z.string().trim().min(1).max(512)),
  timestamp: TimestampSchema.nullish(),
  /** The recipient, normalized by SparkPost (lower-cased). */
  rcpt_to: z.string().nullish(),
  /** The recipient as given in the transmission. */
  raw_rcpt_to: z.string().nullish(),
  /** Bounce classification code as a string ("10", "25"…): see bounce-classes.ts. */
  bounce_class: StringLike.nullish(),
  /** The SMTP reply code ("550"). */
  error_code: StringLike.nullish(),
  /** The full SMTP reply / DSN text. */
  raw_reason: z.string().nullish(),
  /** The same text with addresses and IPs redacted. */
  reason: z.string().nullish(),
  /** spam_complaint: the ARF feedback type (`abuse`, `fraud`, `virus`, `other`, `not-spam`). */
  fbtype: z.string().nullish(),
});
export type SparkPostEvent = z.infer<typeof SparkPostEventSchema>;

/**
 * One element of the batch. `msys` holds one event class (or none: a ping).
 *
 * @example
 * SparkPostElementSchema.parse({ msys: {} }); // the ping
 */
export const SparkPostElementSchema = z.looseObject({
  msys: z.record(z.string(), z.unknown()),
});
export type SparkPostElement = z.infer<typeof SparkPostElementSchema>;
