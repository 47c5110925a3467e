/**
 * Raw bounce and complaint emails (RFC 5322) → what they report, per recipient. Pure: no I/O, no
 * store. MIME (transfer encodings, charsets, multipart) is postal-mime's; the report parts are
 * read by dsn.ts and arf.ts. A message with no standard report is tried against the plain-text
 * formats of the common MTAs (formats/index.ts, Exim's, qmail's…); none matching, it comes back
 * `unrecognised`.
 */
import PostalMime, {
  type Address,
  type Attachment,
  addressParser,
  decodeWords,
  type Email,
} from "postal-mime";
import { canonicalizeAddress } from "../../core/address.js";
import type { FeedbackType } from "../../core/taxonomy.js";
import { type FeedbackReport, parseFeedbackReport } from "./arf.js";
import { autoReplyReason } from "./auto-reply.js";
import { type DsnRecipient, parseDeliveryStatus, type SkippedRecipient } from "./dsn.js";
import { EmailParseError, EmailTooLargeError } from "./errors.js";
import { readFieldBlocks } from "./fields.js";
import { type BounceHeaders, FORMATS } from "./formats/index.js";

/** Refused before parsing: a bounce with its original attached is rarely above a few hundred KiB. */
export const MAX_EMAIL_BYTES = 10 * 1024 * 1024;
/** MIME nesting postal-mime accepts (its default, 256, is far beyond any report). */
const MAX_NESTING_DEPTH = 32;
/** Header bytes across all parts (postal-mime's default is 2 MiB). */
const MAX_HEADERS_BYTES = 1024 * 1024;
/** Leaf parts after parsing: a report has three, a bounce of a newsletter a few dozen. */
const MAX_PARTS = 500;
/**
 * Line feeds a message may have. postal-mime does work per line; real reports are far below this (a
 * 10 MiB base64 attachment is about 140 000 lines), while 10 MiB of empty lines is 5 million, so
 * such a message is refused before parsing instead of parsed for seconds.
 */
export const MAX_LINES = 300_000;
/** Only this much of an attached original is read, and only up to its first blank line. */
const MAX_ORIGINAL_HEADER_BYTES = 256 * 1024;

const DSN_TYPES = new Set(["message/delivery-status", "message/global-delivery-status"]);
const ARF_TYPES = new Set(["message/feedback-report"]);
const ORIGINAL_TYPES = new Set([
  "message/rfc822",
  "message/global",
  "text/rfc822-headers",
  // A misspelling seen in the wild (one of the ARF fixtures).
  "text/rfc822-header",
  "message/global-headers",
]);

/**
 * One recipient a report is about: a delivery-status recipient's fields, and a complaint's
 * feedback type. Fields a kind of report does not carry are `null`.
 */
export type ParsedRecipient = DsnRecipient & {
  /** Complaints only. */
  readonly feedbackType: FeedbackType | null;
};

/** Headers of the message a report is about (never its body). */
export type OriginalMessage = {
  readonly messageId: string | null;
  readonly from: string | null;
  /** Canonical `To`/`Cc` addresses. */
  readonly to: readonly string[];
  readonly subject: string | null;
};

type Common = {
  /** The report's own `Message-ID`, `Subject`, `Date` (ISO when it parses) and `From`. */
  readonly messageId: string | null;
  readonly subject: string | null;
  readonly date: string | null;
  readonly from: string | null;
  readonly original: OriginalMessage | null;
  readonly reportingMta: string | null;
  readonly arrivalAt: string | null;
  readonly recipients: readonly ParsedRecipient[];
  readonly skipped: readonly SkippedRecipient[];
};

/**
 * What a raw email reports: a delivery status notification (`dsn`), a feedback report (`arf`), an
 * automatic reply to ignore (`auto-reply`), or none of them (`unrecognised`, no recipients).
 */
export type ParsedBounceEmail =
  | (Common & {
      readonly kind: "dsn";
      /** Set when the report is an MTA's plain text: the id of the decoder that read it. */
      readonly format?: string;
    })
  | (Common & { readonly kind: "arf"; readonly feedback: FeedbackReport })
  | (Common & { readonly kind: "auto-reply"; readonly reason: string })
  | (Common & { readonly kind: "unrecognised" });

type Part = Attachment;

const utf8 = new TextDecoder("utf-8");

function bytesOf(content: Part["content"]): Uint8Array {
  if (typeof content === "string") return new TextEncoder().encode(content);
  return content instanceof Uint8Array ? content : new Uint8Array(content);
}

/** The header block of an attached message: bytes up to the first empty line, bounded. */
function headerBlock(bytes: Uint8Array): Uint8Array {
  const limit = Math.min(bytes.length, MAX_ORIGINAL_HEADER_BYTES);
  for (let i = 0; i < limit; i++) {
    if (bytes[i] !== 0x0a) continue;
    if (bytes[i + 1] === 0x0a) return bytes.subarray(0, i + 1);
    if (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a) return bytes.subarray(0, i + 1);
  }
  return bytes.subarray(0, limit);
}

function canonicalList(addresses: readonly Address[] | undefined): string[] {
  const out = new Set<string>();
  for (const entry of addresses ?? []) {
    for (const mailbox of entry.group ?? [entry]) {
      const result = canonicalizeAddress(mailbox.address ?? "");
      if (result.ok) out.add(result.address);
    }
  }
  return [...out];
}

function mailboxOf(address: Address | undefined): string | null {
  return canonicalList(address === undefined ? [] : [address])[0] ?? null;
}

/**
 * Reads only the headers of the attached original; its body is never parsed or kept. The header
 * block is read with the report fields' reader (RFC 5322 unfolding, fields.ts) and postal-mime's
 * own address and encoded-word decoders: a second MIME parse of the block cost about a tenth of
 * the time of a whole report.
 */
function originalOf(parts: readonly Part[]): OriginalMessage | null {
  const part = parts.find((p) => ORIGINAL_TYPES.has(p.mimeType));
  if (part === undefined) return null;
  const block = headerBlock(bytesOf(part.content));
  if (block.length === 0) return null;
  const fields = readFieldBlocks(utf8.decode(block))[0] ?? [];
  const values = (name: string): string[] => fields.filter((f) => f.name === name).map((f) => f.value);
  const addresses = (name: string): Address[] => values(name).flatMap((v) => addressParser(v));
  const subject = values("subject")[0];
  return {
    messageId: values("message-id")[0] ?? null,
    from: mailboxOf(addresses("from")[0]),
    to: canonicalList([...addresses("to"), ...addresses("cc")]),
    subject: subject === undefined ? null : decodeWords(subject),
  };
}

/** The line feeds of a message, counted without copying it. */
function lineCount(raw: Buffer | string): number {
  let count = 0;
  for (let at = raw.indexOf("\n"); at >= 0; at = raw.indexOf("\n", at + 1)) count++;
  return count;
}

function isoOrNull(value: string | undefined): string | null {
  if (value === undefined) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/**
 * Parses one raw email into what it reports.
 *
 * @throws EmailTooLargeError above {@link MAX_EMAIL_BYTES}; EmailParseError when the MIME cannot be
 * read or exceeds the nesting, header or part limits (its `cause` is the library's error).
 * @example
 * const parsed = await parseBounceEmail(readFileSync("bounce.eml"));
 * if (parsed.kind === "dsn") for (const r of parsed.recipients) console.log(r.recipient, r.status, r.action);
 * // "user@example.org" "5.1.1" "failed"
 */
export async function parseBounceEmail(raw: Buffer | string): Promise<ParsedBounceEmail> {
  const size = typeof raw === "string" ? Buffer.byteLength(raw, "utf8") : raw.byteLength;
  if (size > MAX_EMAIL_BYTES) throw new EmailTooLargeError(size, MAX_EMAIL_BYTES);
  const lines = lineCount(raw);
  if (lines > MAX_LINES) throw new EmailParseError(`too many lines (more than ${MAX_LINES}): ${lines}`);
  let email: Email;
  try {
    email = await PostalMime.parse(raw, {
      maxNestingDepth: MAX_NESTING_DEPTH,
      maxHeadersSize: MAX_HEADERS_BYTES,
      // The original inside a report is evidence, read by originalOf; never inlined.
      forceRfc822Attachments: true,
      maxRfc822NestingDepth: 0,
    });
  } catch (cause) {
    throw new EmailParseError(`unreadable MIME: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
  }
  if (email.attachments.length > MAX_PARTS) {
    throw new EmailParseError(`too many MIME parts (${email.attachments.length} > ${MAX_PARTS})`);
  }
  const parts = email.attachments;
  const common = {
    messageId: email.messageId ?? null,
    subject: email.subject ?? null,
    date: isoOrNull(email.date),
    from: mailboxOf(email.from),
    original: originalOf(parts),
  };
  const arfPart = parts.find((p) => ARF_TYPES.has(p.mimeType));
  if (arfPart !== undefined) {
    const feedback = parseFeedbackReport(utf8.decode(bytesOf(arfPart.content)));
    // Sisimai's order too: the report's own recipients, then the original's `To`.
    const addresses =
      feedback.recipients.length > 0
        ? feedback.recipients
        : feedback.removalRecipients.length > 0
          ? feedback.removalRecipients
          : (common.original?.to ?? []);
    return {
      kind: "arf",
      ...common,
      feedback,
      reportingMta: null,
      arrivalAt: feedback.arrivalAt,
      recipients: addresses.map((recipient) => ({
        ...EMPTY_RECIPIENT,
        recipient,
        feedbackType: feedback.feedbackType,
      })),
      skipped: [],
    };
  }
  const dsnParts = parts.filter((p) => DSN_TYPES.has(p.mimeType));
  if (dsnParts.length > 0) {
    const reports = dsnParts.map((p) => parseDeliveryStatus(utf8.decode(bytesOf(p.content))));
    return {
      kind: "dsn",
      ...common,
      reportingMta: reports.find((r) => r.reportingMta !== null)?.reportingMta ?? null,
      arrivalAt: reports.find((r) => r.arrivalAt !== null)?.arrivalAt ?? null,
      recipients: reports.flatMap((r) => r.recipients.map((x) => ({ ...x, feedbackType: null }))),
      skipped: reports.flatMap((r) => r.skipped),
    };
  }
  const plain = plainTextReport(email, common.original);
  if (plain !== null) {
    return {
      kind: "dsn",
      ...common,
      format: plain.format,
      reportingMta: null,
      arrivalAt: null,
      recipients: plain.recipients,
      skipped: [],
    };
  }
  const none = { reportingMta: null, arrivalAt: null, recipients: [], skipped: [] };
  const reason = autoReplyReason((name) =>
    email.headers
      .filter((h) => h.key === name)
      .map((h) => (name === "subject" ? (email.subject ?? "") : h.value)),
  );
  if (reason !== null) return { kind: "auto-reply", ...common, ...none, reason };
  return { kind: "unrecognised", ...common, ...none };
}

/** Bounds the plain text the format decoders read: a bounce's own prose is a few KiB. */
const MAX_PLAIN_TEXT = 256 * 1024;

/**
 * The fallback for a message without a standard report: its own text part (the HTML one stripped
 * of tags when it has no text) through FORMATS in order; the first match that names a recipient
 * wins. The decoders cut the text where the MTA starts quoting the original.
 */
function plainTextReport(
  email: Email,
  original: OriginalMessage | null,
): { format: string; recipients: ParsedRecipient[] } | null {
  const text = (email.text ?? htmlText(email.html) ?? "").slice(0, MAX_PLAIN_TEXT);
  if (text.trim() === "") return null;
  const headers: BounceHeaders = {
    from: (email.headers.find((h) => h.key === "from")?.value ?? "").toLowerCase(),
    subject: email.subject ?? "",
    get: (name) => email.headers.filter((h) => h.key === name).map((h) => h.value),
    originalTo: original?.to ?? [],
  };
  for (const format of FORMATS) {
    if (!format.matches(headers, text)) continue;
    const found = format.decode(text, headers);
    if (found.length === 0) continue;
    return {
      format: format.id,
      recipients: found.map((r) => ({
        ...EMPTY_RECIPIENT,
        recipient: r.recipient,
        action: r.action,
        status: r.status,
        diagnostic: r.diagnostic,
        command: r.command,
        feedbackType: null,
      })),
    };
  }
  return null;
}

function htmlText(html: string | undefined): string | undefined {
  if (html === undefined) return undefined;
  return html
    .slice(0, MAX_PLAIN_TEXT)
    .replace(/<br\s*\/?>|<\/(?:p|div|tr|li|h\d)>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

const EMPTY_RECIPIENT = {
  originalRecipient: null,
  action: null,
  status: null,
  diagnostic: null,
  remoteMta: null,
  command: null,
  lastAttemptAt: null,
} as const;
