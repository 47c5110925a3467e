/**
 * RFC 5965 `message/feedback-report` parts: the machine-readable half of a complaint (ARF) sent by
 * a mailbox provider's feedback loop.
 */
import { canonicalizeAddress } from "../../core/address.js";
import type { FeedbackType } from "../../core/taxonomy.js";
import { feedbackTypeOf } from "../shared/feedback-type.js";
import { isoDate, readFieldBlocks, stripType } from "./fields.js";

export type FeedbackReport = {
  /** `Feedback-Type` as written, lower-cased (`abuse`, `auth-failure`, `opt-out`…). */
  readonly rawFeedbackType: string | null;
  /** The service's feedback type (see `feedbackTypeOf` in ../shared/feedback-type.ts). */
  readonly feedbackType: FeedbackType | null;
  /** Canonical `Original-Rcpt-To` addresses (RFC 5965 §3.2; the field may repeat). */
  readonly recipients: string[];
  /** Canonical `Removal-Recipient` addresses (RFC 6650-era opt-out reports). */
  readonly removalRecipients: string[];
  /** `Arrival-Date` (or the older drafts' `Received-Date`) as ISO 8601. */
  readonly arrivalAt: string | null;
  readonly sourceIp: string | null;
  readonly reportedDomain: string | null;
  readonly userAgent: string | null;
  /** Canonical `Original-Mail-From`. */
  readonly originalMailFrom: string | null;
};

const MAX_RECIPIENTS = 1000;

/** The canonical addresses of repeated fields, in order, without repeats; invalid ones dropped. */
function addresses(values: readonly string[]): string[] {
  const out = new Set<string>();
  for (const value of values) {
    if (out.size >= MAX_RECIPIENTS) break;
    // Some reporters put several addresses, comma-separated, in one field.
    for (const part of stripType(value).split(",")) {
      const result = canonicalizeAddress(part);
      if (result.ok) out.add(result.address);
    }
  }
  return [...out];
}

/**
 * Parses the text of a feedback-report part. The recipients are only those the report names;
 * falling back to the original message's `To` is the caller's job (it holds the original).
 *
 * @example
 * parseFeedbackReport("Feedback-Type: abuse\nOriginal-Rcpt-To: <U@Example.com>\nSource-IP: 192.0.2.1\n");
 * // { rawFeedbackType: "abuse", feedbackType: "abuse", recipients: ["u@example.com"], sourceIp: "192.0.2.1", … }
 */
export function parseFeedbackReport(text: string): FeedbackReport {
  const fields = new Map<string, string[]>();
  for (const block of readFieldBlocks(text)) {
    for (const { name, value } of block) {
      const list = fields.get(name) ?? [];
      list.push(value);
      fields.set(name, list);
    }
  }
  const first = (name: string): string | null => {
    const value = fields.get(name)?.[0];
    return value === undefined || value === "" ? null : value;
  };
  const rawType = first("feedback-type")?.toLowerCase() ?? null;
  const mailFrom = addresses(fields.get("original-mail-from") ?? []);
  return {
    rawFeedbackType: rawType,
    feedbackType: feedbackTypeOf(rawType),
    recipients: addresses(fields.get("original-rcpt-to") ?? []),
    removalRecipients: addresses(fields.get("removal-recipient") ?? []),
    arrivalAt: isoDate(first("arrival-date") ?? first("received-date") ?? undefined),
    sourceIp: first("source-ip"),
    reportedDomain: first("reported-domain"),
    userAgent: first("user-agent"),
    originalMailFrom: mailFrom[0] ?? null,
  };
}
