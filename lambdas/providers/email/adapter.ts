/**
 * Raw bounce and complaint emails (docs/providers/email.md): `POST /v1/import/email`.
 *
 * **Verify.** A raw email carries nothing this service could check it by: anyone can write a DSN or
 * an ARF report naming any address. So `POST /webhooks/email` refuses every request (403
 * `email-webhook-unsupported`) before its body is read; raw emails come only through
 * `POST /v1/import/email`, which the API key authorizes, and through the bounce mailbox
 * (handlers/bounce-mailbox.ts), whose mails SES writes to the service's own bucket under IAM.
 * Nothing unverified is ever parsed.
 *
 * **Parse.** The body is one message (RFC 5322, `message/rfc822`; the content type is not read:
 * any body is taken as raw bytes). `parseBounceEmail` (parse.ts) reads its MIME and its report
 * parts (a DSN, RFC 3464; an ARF report, RFC 5965), and `emailEvents` (events.ts) makes one event
 * per recipient. The report's id is its `Message-ID`, else `sha256:<hex>` of the raw bytes, so the
 * same email imported twice gives the same event ids (duplicates). An auto-reply, a message that is
 * no standard report, or a report naming no recipient is acknowledged as `ignored: 1`.
 *
 * Refusals: above `MAX_EMAIL_BYTES`, `EmailTooLargeError` (413 `email-too-large`); MIME that cannot
 * be read, `EmailParseError` (400 `email-unparseable`); both through `providerProblem`
 * (handlers/webhook-request.ts). An empty body is an `InputError` (400).
 */
import { createHash } from "node:crypto";
import { InputError } from "../../core/errors.js";
import type { ParsedNotification } from "../../core/events.js";
import {
  type ImportUnit,
  type ParseContext,
  type ProviderAdapter,
  TooManyEventsError,
  WebhookAuthError,
  type WebhookRequest,
} from "../types.js";
import { emailEvents } from "./events.js";
import { parseBounceEmail } from "./parse.js";

/** The status of every `POST /webhooks/email`: nothing could ever make it acceptable. */
export const EMAIL_WEBHOOK_REFUSAL_STATUS = 403;
/** The problem slug of that refusal. */
export const EMAIL_WEBHOOK_SLUG = "email-webhook-unsupported";

const webhookRefusal = (): WebhookAuthError =>
  new WebhookAuthError(
    "A raw email carries no signature this service can verify, so /webhooks/email accepts nothing. Send raw emails to POST /v1/import/email with an API key.",
    { status: EMAIL_WEBHOOK_REFUSAL_STATUS, slug: EMAIL_WEBHOOK_SLUG },
  );

/** The id of a report without a `Message-ID`: the SHA-256 of its exact bytes. */
export const rawReportId = (raw: Buffer): string =>
  `sha256:${createHash("sha256").update(raw).digest("hex")}`;

/**
 * The events of one raw email, as `POST /v1/import/email` reads it.
 *
 * @throws EmailTooLargeError, EmailParseError (parse.ts); InputError for an empty body;
 * TooManyEventsError when the report names more recipients than one request may carry.
 * @example
 * await parseEmailImport({ rawBody: readFileSync("bounce.eml"), headers: {}, query: {} },
 *   { tenant: "default", receivedAt: new Date() });
 * // { events: [{ provider: "email", type: "invalid", subtype: "mailbox_not_found", … }], ignored: 0 }
 */
export async function parseEmailImport(
  request: WebhookRequest,
  context: ParseContext,
): Promise<ParsedNotification> {
  const raw = request.rawBody;
  if (raw.byteLength === 0 || raw.toString("latin1").trim() === "") {
    throw new InputError("The request body is empty; a raw email (message/rfc822) is expected.");
  }
  const parsed = await parseBounceEmail(raw);
  const max = context.maxEvents;
  if (max !== undefined && parsed.recipients.length > max) {
    throw new TooManyEventsError(max, parsed.recipients.length, "recipients");
  }
  return emailEvents(
    parsed,
    { tenant: context.tenant, receivedAt: context.receivedAt, reportId: rawReportId(raw) },
    "email",
  );
}

/** A file of `npm run import -- --provider email` is one message: one unit, sent as it is. */
const oneMessage = (value: unknown): readonly ImportUnit[] => [{ value, events: 1, envelope: null }];

/**
 * The raw-email provider. `Signed` is `never`: `verify` refuses every webhook, so `parse` is never
 * given anything (it refuses too, should a caller try).
 */
export const emailAdapter: ProviderAdapter<never, Promise<ParsedNotification>> = {
  provider: "email",
  secretNames: [],
  settingNames: [],
  async verify() {
    throw webhookRefusal();
  },
  async parse() {
    throw webhookRefusal();
  },
  parseImport: parseEmailImport,
  importUnits: oneMessage,
};
