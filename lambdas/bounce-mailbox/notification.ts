/**
 * The SQS message of one new mail: the EventBridge event S3 sends for it (`Object Created`, the
 * bucket's EventBridge notifications), delivered to the queue by the stack's rule as its body.
 * Only what the handler reads is checked.
 */
import * as z from "zod";

const objectCreated = z.object({
  source: z.literal("aws.s3"),
  "detail-type": z.literal("Object Created"),
  detail: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    // EventBridge gives the key as written (not URL-encoded, unlike S3's own notifications).
    object: z.object({ key: z.string().min(1), size: z.number().int().nonnegative().optional() }),
  }),
});

/** The object a message names. */
export type MailObject = { readonly bucket: string; readonly key: string; readonly size: number | undefined };

/** A message body that is not an S3 `Object Created` event. */
export class MailNotificationError extends Error {
  override readonly name = "MailNotificationError";
}

/**
 * The object an SQS message body names.
 *
 * @throws MailNotificationError when the body is not JSON or not an S3 `Object Created` event
 * @example
 * mailObjectOf(JSON.stringify({ source: "aws.s3", "detail-type": "Object Created",
 *   detail: { bucket: { name: "b" }, object: { key: "incoming/acme/abc", size: 1200 } } }));
 * // { bucket: "b", key: "incoming/acme/abc", size: 1200 }
 */
export function mailObjectOf(body: string): MailObject {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    throw new MailNotificationError("the message body is not JSON", { cause: err });
  }
  const parsed = objectCreated.safeParse(json);
  if (!parsed.success) {
    throw new MailNotificationError("the message body is not an S3 Object Created event", {
      cause: parsed.error,
    });
  }
  const { bucket, object } = parsed.data.detail;
  return { bucket: bucket.name, key: object.key, size: object.size };
}
