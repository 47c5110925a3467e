/**
 * The mailbox bucket as the handler uses it: read one mail (refusing one above the parser's limit
 * before downloading it), and keep an unreadable one under `poison/` with its problem.
 */
import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { EmailTooLargeError } from "../providers/email/errors.js";
import { MAX_EMAIL_BYTES } from "../providers/email/parse.js";
import { poisonKeyOf } from "./keys.js";

/** The object is gone (expired, deleted): there is nothing left to read. */
export class MailGoneError extends Error {
  override readonly name = "MailGoneError";
}

/** S3 user metadata is ASCII and, with every header, at most 2 KB: the problem is cut to fit. */
const MAX_PROBLEM_CHARS = 512;
const asciiOnly = (text: string): string =>
  text
    .replace(/[^\x20-\x7e]/g, "?")
    .slice(0, MAX_PROBLEM_CHARS)
    .trim();

const isNotFound = (err: unknown): boolean =>
  err instanceof Error && (err.name === "NoSuchKey" || err.name === "NotFound");

/**
 * The mail's bytes. `knownSize` (the notification's) saves the HeadObject; either way a mail above
 * `limit` is refused before its body is requested.
 *
 * @throws EmailTooLargeError above `limit`; MailGoneError when the object no longer exists
 * @example const raw = await readMail(s3, "mailbox", "incoming/acme/abc", 1200);
 */
export async function readMail(
  s3: S3Client,
  bucket: string,
  key: string,
  knownSize: number | undefined,
  limit: number = MAX_EMAIL_BYTES,
): Promise<Buffer> {
  try {
    const size =
      knownSize ?? (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentLength ?? 0;
    if (size > limit) throw new EmailTooLargeError(size, limit);
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    // The object may have been replaced since the notification: the body's own length counts too.
    if ((out.ContentLength ?? 0) > limit) throw new EmailTooLargeError(out.ContentLength ?? 0, limit);
    const bytes = await out.Body?.transformToByteArray();
    return Buffer.from(bytes ?? new Uint8Array());
  } catch (err) {
    if (isNotFound(err)) throw new MailGoneError(`${key} no longer exists`, { cause: err });
    throw err;
  }
}

/**
 * Copies an unreadable mail to `poison/<tenant>/<name>` (server side: nothing is downloaded), with
 * the problem and the original key as object metadata. Idempotent: a second copy replaces the first.
 *
 * @returns the poison object's key
 * @example await keepPoison(s3, "mailbox", "incoming/acme/abc", "EmailParseError: broken MIME");
 */
export async function keepPoison(
  s3: S3Client,
  bucket: string,
  key: string,
  problem: string,
): Promise<string> {
  const poisonKey = poisonKeyOf(key);
  await s3.send(
    new CopyObjectCommand({
      Bucket: bucket,
      Key: poisonKey,
      CopySource: `${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`,
      MetadataDirective: "REPLACE",
      ContentType: "message/rfc822",
      Metadata: { problem: asciiOnly(problem), "source-key": asciiOnly(key) },
    }),
  );
  return poisonKey;
}
