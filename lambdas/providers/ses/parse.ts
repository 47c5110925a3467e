/**
 * SES bodies → normalized events: `parseSes` for a body vouched for as a whole (an import, the SQS
 * consumer), `parseSesSnsMessage` for the signed `Message` of a verified SNS notification.
 */
import {
  type SesEnvelopeItem,
  type SesShape,
  type SnsMeta,
  unwrapSes,
  unwrapSnsMessage,
} from "./envelopes.js";
import { parseSesRecord, type SesParsedNotification, type SkippedRecipient } from "./records.js";

export type ParseSesOptions = {
  /** The tenant every event belongs to. */
  readonly tenant: string;
  /** When the body was received: `occurredAt` of a record that carries no timestamp at all. */
  readonly receivedAt?: Date;
};

/** `parseSes`'s answer: the events, plus the shape and the SNS metadata the caller may need. */
export type SesParseResult = SesParsedNotification & {
  readonly shape: SesShape;
  /** The top-level SNS document's metadata (`sns-http` only, confirmations included), else null. */
  readonly sns: SnsMeta | null;
};

/**
 * Parses an SES body of any shape into normalized events, one per recipient and event, in body
 * order. An SNS Subscription/Unsubscribe confirmation yields no events (`sns.type` tells; confirming
 * is the caller's job after verifying the signature).
 *
 * @throws InputError when the body is not a recognizable SES shape or a record is malformed.
 * @example
 * const { events, ignored } = parseSes(JSON.parse(snsHttpBody), { tenant: "default" });
 * // events[0]: { provider: "ses", type: "invalid", subtype: "mailbox_not_found",
 * //   reason: "user_unknown", eventId: "<feedbackId>#jane@example.com", scope: "*", … }
 */
export function parseSes(body: unknown, opts: ParseSesOptions): SesParseResult {
  const { shape, items, sns } = unwrapSes(body);
  return { shape, sns, ...parseItems(items, opts) };
}

/**
 * Parses the signed `Message` of a verified SNS Notification (see `verifySnsMessage`) as the one
 * shape it may be, an SES record. Nothing else of the SNS document is read.
 *
 * @throws InputError when the message is not JSON or not a valid SES record.
 * @example
 * const verified = await verifySnsMessage(document, options);
 * const { events } = parseSesSnsMessage(verified.message, snsMeta, { tenant: "default" });
 */
export function parseSesSnsMessage(message: string, sns: SnsMeta, opts: ParseSesOptions): SesParseResult {
  return { shape: "sns-http", sns, ...parseItems(unwrapSnsMessage(message, sns), opts) };
}

function parseItems(items: readonly SesEnvelopeItem[], opts: ParseSesOptions): SesParsedNotification {
  const events: SesParsedNotification["events"] = [];
  const skipped: SkippedRecipient[] = [];
  let ignored = 0;
  for (const item of items) {
    const parsed = parseSesRecord(item.record, { ...opts, path: item.path });
    events.push(...parsed.events);
    skipped.push(...parsed.skipped);
    ignored += parsed.ignored;
  }
  return { events, ignored, skipped };
}
