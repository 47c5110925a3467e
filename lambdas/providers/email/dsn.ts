/**
 * RFC 3464 `message/delivery-status` parts (and RFC 6533 `message/global-delivery-status`): the
 * machine-readable half of a standard bounce.
 */
import { canonicalizeAddress } from "../../core/address.js";
import { type Field, isoDate, readFieldBlocks, stripType } from "./fields.js";

/** RFC 3464 §2.3.3 action values. */
export const DSN_ACTIONS = ["failed", "delayed", "delivered", "relayed", "expanded"] as const;
export type DsnAction = (typeof DSN_ACTIONS)[number];

/** The SMTP stage a failure answered, when the diagnostic names it (EHLO is reported as HELO). */
export type SmtpCommand = "RCPT" | "DATA" | "MAIL" | "CONN" | "HELO";

/** One per-recipient block of a delivery-status part. */
export type DsnRecipient = {
  /** Canonical address: `Final-Recipient`, or `Original-Recipient` when that is all there is. */
  readonly recipient: string;
  /** Canonical `Original-Recipient`, when present and valid. */
  readonly originalRecipient: string | null;
  readonly action: DsnAction | null;
  /** `class.subject.detail` (RFC 3463), comments dropped. */
  readonly status: string | null;
  /** `Diagnostic-Code` without its type (`smtp;`), unfolded. */
  readonly diagnostic: string | null;
  /** `Remote-MTA` without its type (`dns;`). */
  readonly remoteMta: string | null;
  readonly command: SmtpCommand | null;
  /** `Last-Attempt-Date` as ISO 8601. */
  readonly lastAttemptAt: string | null;
};

/** A recipient block whose address could not be used, kept so a caller can report it. */
export type SkippedRecipient = { readonly raw: string | null; readonly problem: string };

export type DeliveryStatus = {
  /** `Reporting-MTA` without its type. */
  readonly reportingMta: string | null;
  /** `Arrival-Date` as ISO 8601. */
  readonly arrivalAt: string | null;
  readonly recipients: DsnRecipient[];
  readonly skipped: SkippedRecipient[];
};

/** Bounds the work one part can cause; a real DSN lists a handful of recipients. */
const MAX_RECIPIENTS = 1000;
const STATUS = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/;
const RECIPIENT_FIELDS = new Set([
  "original-recipient",
  "final-recipient",
  "action",
  "status",
  "remote-mta",
  "diagnostic-code",
  "last-attempt-date",
  "final-log-id",
  "will-retry-until",
]);

/**
 * Patterns of the diagnostic text that name the SMTP command a reply answered: Postfix's
 * `(in reply to RCPT TO command)`, Exim's `after RCPT TO:<…>` / `after end of data`, and the
 * like. Tried in order; the first that matches wins.
 */
const COMMAND_PATTERNS: CommandPatterns = [
  [/\b(?:in reply to|after|while sending|during)\s+(?:the\s+)?(?:pipelined\s+)?RCPT\b/i, "RCPT"],
  [/\b(?:in reply to|after|while sending|during)\s+(?:the\s+)?(?:pipelined\s+)?MAIL\b/i, "MAIL"],
  [/\b(?:in reply to|after|while sending|during)\s+(?:the\s+)?(?:end of data|DATA|message body)\b/i, "DATA"],
  [/\b(?:in reply to|after|while sending|during)\s+(?:the\s+)?(?:HELO|EHLO|LHLO)\b/i, "HELO"],
  [/\b(?:after|during|while)\s+(?:the\s+)?(?:initial connection|connect(?:ing)?|greeting|banner)\b/i, "CONN"],
  [/\bRCPT TO\s*:?\s*</i, "RCPT"],
  [/\bMAIL FROM\s*:?\s*</i, "MAIL"],
];

/**
 * The SMTP command a diagnostic says the failure answered, or `null` when it does not say.
 *
 * @example
 * commandOf("452 4.3.2 rate limit exceeded (in reply to MAIL FROM command)"); // "MAIL"
 * commandOf("SMTP error from remote mail server after end of data: 554 …");    // "DATA"
 * commandOf("550 5.1.1 User unknown");                                           // null
 */
export function commandOf(diagnostic: string | null): SmtpCommand | null {
  return commandBy(COMMAND_PATTERNS, diagnostic);
}

/** A table of patterns and the SMTP command each names, tried in order. */
export type CommandPatterns = readonly (readonly [RegExp, SmtpCommand])[];

/**
 * The command of the first pattern of `patterns` that matches `text`, or `null`: how `commandOf`
 * and the plain-text formats' own tables (formats/qmail.ts, formats/dragonfly.ts) are read.
 *
 * @example
 * commandBy([[/did not like our RCPT/i, "RCPT"]], "… did not like our RCPT TO: 550 …"); // "RCPT"
 */
export function commandBy(patterns: CommandPatterns, text: string | null): SmtpCommand | null {
  if (text === null) return null;
  for (const [pattern, command] of patterns) if (pattern.test(text)) return command;
  return null;
}

/**
 * The `class.subject.detail` code of a `Status` field (`5.1.1 (user unknown)` → `5.1.1`), or
 * `null` when there is none. Leading zeros are dropped (`5.01.001` → `5.1.1`).
 *
 * @example
 * statusOf("5.1.1 (bad destination mailbox address)"); // "5.1.1"
 */
export function statusOf(value: string | undefined): string | null {
  const match = value === undefined ? null : STATUS.exec(value);
  if (match === null) return null;
  return `${match[1]}.${Number(match[2])}.${Number(match[3])}`;
}

/**
 * The reported status, made specific from the diagnostic when the `Status` field is missing or only
 * says `X.0.0` (Amazon SES, OpenSMTPD, Sendmail write `5.0.0` over a `550 5.7.1 …` reply): the
 * code of the remote server's own reply says more, and is what Sisimai reports too. A code of
 * another class (a `4.x.x` in the text of a `5.0.0` failure) is not taken.
 *
 * @example
 * refinedStatus("5.0.0", "550 5.7.1 Message rejected"); // "5.7.1"
 * refinedStatus("5.1.1", "550 5.7.1 Message rejected"); // "5.1.1"
 */
export function refinedStatus(status: string | null, diagnostic: string | null): string | null {
  if (status !== null && !/^\d\.0\.0$/.test(status)) return status;
  const fromText = diagnostic === null ? null : statusOf(diagnostic);
  if (fromText === null || /^\d\.0\.0$/.test(fromText)) return status ?? fromText;
  return status === null || fromText[0] === status[0] ? fromText : status;
}

/** The first RFC 3464 action word of an `Action` field (some MTAs append comments). */
function actionOf(value: string | undefined): DsnAction | null {
  const word = value
    ?.trim()
    .split(/[\s(;]/)[0]
    ?.toLowerCase();
  return DSN_ACTIONS.find((a) => a === word) ?? null;
}

/** An address field's value: type stripped, then RFC 6533 `utf-8;` xtext-style `\x{…}` undone. */
function addressOf(value: string): string {
  return stripType(value).replace(/\\x\{([0-9A-Fa-f]{1,6})\}/g, (_, hex: string) =>
    String.fromCodePoint(Number.parseInt(hex, 16)),
  );
}

const nonEmpty = (value: string | undefined): string | null =>
  value === undefined || value === "" ? null : value;

/**
 * Parses the text of a delivery-status part. Per-recipient blocks are told apart by blank lines
 * and, because some MTAs omit those, also by a field that repeats within a block.
 *
 * @example
 * parseDeliveryStatus("Reporting-MTA: dns; mx.example\n\nFinal-Recipient: rfc822; A@Example.org\nAction: failed\nStatus: 5.1.1\n");
 * // { reportingMta: "mx.example", arrivalAt: null, skipped: [],
 * //   recipients: [{ recipient: "a@example.org", action: "failed", status: "5.1.1", … }] }
 */
export function parseDeliveryStatus(text: string): DeliveryStatus {
  const message = new Map<string, string>();
  const groups: Map<string, string>[] = [];
  for (const block of readFieldBlocks(text)) {
    let current: Map<string, string> | undefined;
    for (const { name, value } of block as Field[]) {
      if (!RECIPIENT_FIELDS.has(name)) {
        // Per-message fields; only the first of each is kept.
        if (!message.has(name)) message.set(name, value);
        continue;
      }
      // A new recipient starts only when a field repeats: fields come in any order (Facebook's and
      // MessageLabs' DSNs put Final-Recipient last), and some MTAs run blocks together.
      const startsNew = current === undefined || current.has(name);
      if (startsNew) {
        current = new Map();
        groups.push(current);
      }
      current?.set(name, value);
    }
  }
  const recipients: DsnRecipient[] = [];
  const skipped: SkippedRecipient[] = [];
  const seen = new Set<string>();
  for (const group of groups) {
    if (recipients.length >= MAX_RECIPIENTS) break;
    const finalRaw = group.get("final-recipient");
    const originalRaw = group.get("original-recipient");
    if (finalRaw === undefined && originalRaw === undefined) {
      // A stray Action/Status without any address: nothing to key it on.
      if (group.has("status") || group.has("action"))
        skipped.push({ raw: null, problem: "no recipient field" });
      continue;
    }
    const original = originalRaw === undefined ? undefined : canonicalizeAddress(addressOf(originalRaw));
    const final = finalRaw === undefined ? undefined : canonicalizeAddress(addressOf(finalRaw));
    const chosen = final?.ok ? final : original?.ok ? original : (final ?? original);
    if (chosen === undefined || !chosen.ok) {
      skipped.push({
        raw: finalRaw ?? originalRaw ?? null,
        problem: chosen?.ok === false ? chosen.problem : "",
      });
      continue;
    }
    const diagnostic = nonEmpty(stripType(group.get("diagnostic-code") ?? ""));
    const status = refinedStatus(statusOf(group.get("status")), diagnostic);
    // Some MTAs send the same recipient twice (per attempt); the first block is the one kept.
    const key = `${chosen.address}\u0000${status ?? ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    recipients.push({
      recipient: chosen.address,
      originalRecipient: original?.ok ? original.address : null,
      action: actionOf(group.get("action")),
      status,
      diagnostic,
      remoteMta: nonEmpty(stripType(group.get("remote-mta") ?? "")),
      command: commandOf(diagnostic),
      lastAttemptAt: isoDate(group.get("last-attempt-date")),
    });
  }
  return {
    reportingMta: nonEmpty(stripType(message.get("reporting-mta") ?? "")),
    arrivalAt: isoDate(message.get("arrival-date")),
    recipients,
    skipped,
  };
}
