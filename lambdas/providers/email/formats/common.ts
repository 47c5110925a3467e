/**
 * What the plain-text bounce decoders share: the shape they yield and the small readers of an
 * MTA's prose (addresses, RFC 3463 codes, the SMTP command answered, "delayed" versus "failed").
 */
import { canonicalizeAddress } from "../../../core/address.js";
import { type CommandPatterns, commandBy, commandOf, type SmtpCommand } from "../dsn.js";

/** One recipient a plain-text bounce names, with what its text says about it. */
export type ParsedPlainRecipient = {
  /** Canonical address (lambdas/core/address.ts). */
  readonly recipient: string;
  readonly diagnostic: string | null;
  /** An RFC 3463 `class.subject.detail` code found in the text, or `null`. */
  readonly status: string | null;
  readonly command: SmtpCommand | null;
  readonly action: "failed" | "delayed";
};

/** The bounce's own headers a decoder may look at (never the original's body). */
export type BounceHeaders = {
  /** The `From` header, raw, lower-cased. */
  readonly from: string;
  /** The decoded `Subject`, or "". */
  readonly subject: string;
  /** A header's raw values, by lower-case name. */
  readonly get: (name: string) => readonly string[];
  /** `To`/`Cc` of the attached original, when there is one (canonical). */
  readonly originalTo: readonly string[];
};

/** One MTA's plain-text bounce format. */
export type PlainFormat = {
  readonly id: string;
  readonly matches: (headers: BounceHeaders, text: string) => boolean;
  readonly decode: (text: string, headers: BounceHeaders) => ParsedPlainRecipient[];
};

/** Bounds the work one message can cause. */
export const MAX_PLAIN_RECIPIENTS = 1000;
const MAX_DIAGNOSTIC = 1000;

const STATUS_IN_TEXT = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?!\.?\d)/;
const ADDRESS_IN_TEXT = /[^\s<>()[\]"',;:]+@[A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9]/;

/** The text up to the first line a marker matches: what follows is the original message. */
export function beforeOriginal(text: string, markers: readonly RegExp[]): string {
  let end = text.length;
  for (const marker of markers) {
    const found = marker.exec(text);
    if (found !== null && found.index < end) end = found.index;
  }
  return text.slice(0, end);
}

/** The first RFC 3463 code in a text (an IPv4 address is not one). */
export function statusIn(text: string | null): string | null {
  const match = text === null ? null : STATUS_IN_TEXT.exec(text);
  return match === null ? null : `${match[1]}.${Number(match[2])}.${Number(match[3])}`;
}

const REPLY_IN_TEXT = /(?:^|[\s:;(])([45])[0-5]\d(?=[\s-])/;

/**
 * The status a plain-text bounce's reason implies: its RFC 3463 code, else the class of the SMTP
 * reply it quotes as `X.0.0` (RFC 3463's "other undefined status", what Sisimai also derives), or
 * `null` when it quotes neither.
 */
export function statusOrReplyClass(text: string | null): string | null {
  const status = statusIn(text);
  if (status !== null || text === null) return status;
  const reply = REPLY_IN_TEXT.exec(text);
  return reply === null ? null : `${reply[1]}.0.0`;
}

/** The first address in a text, canonical, or `null`. */
export function addressIn(text: string): string | null {
  const match = ADDRESS_IN_TEXT.exec(text);
  if (match === null) return null;
  const result = canonicalizeAddress(match[0].replace(/^mailto:/i, "").replace(/\.+$/, ""));
  return result.ok ? result.address : null;
}

/** Whether the text says the failure is temporary and delivery goes on. */
export function saysDelayed(text: string): boolean {
  return /\b(?:delayed|will (?:be )?retr(?:y|ied)|still trying|will keep trying|not yet been delivered|delivery attempts will continue)\b/i.test(
    text,
  );
}

/** The lines joined into one diagnostic: whitespace collapsed, bounded. */
export function oneLine(lines: readonly string[]): string | null {
  const text = lines.join(" ").replace(/\s+/g, " ").trim().slice(0, MAX_DIAGNOSTIC);
  return text === "" ? null : text;
}

/** A recipient from its parts; the command from the text when the caller found none. */
export function plainRecipient(
  recipient: string,
  diagnostic: string | null,
  options: { command?: SmtpCommand | null; action?: "failed" | "delayed"; status?: string | null } = {},
): ParsedPlainRecipient {
  return {
    recipient,
    diagnostic,
    status: options.status ?? statusOrReplyClass(diagnostic),
    command: options.command ?? commandOf(diagnostic),
    action: options.action ?? "failed",
  };
}

/** Keeps the first entry per recipient, bounded. */
export function uniqueRecipients(list: readonly ParsedPlainRecipient[]): ParsedPlainRecipient[] {
  const seen = new Map<string, ParsedPlainRecipient>();
  for (const entry of list) {
    if (seen.size >= MAX_PLAIN_RECIPIENTS) break;
    if (!seen.has(entry.recipient)) seen.set(entry.recipient, entry);
  }
  return [...seen.values()];
}

/** Normalised lines: CRLF folded, trailing spaces dropped. */
export function linesOf(text: string): string[] {
  return text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((l) => l.replace(/\s+$/, ""));
}

const SENT_COMMANDS: CommandPatterns = [
  [/^MAIL\b/i, "MAIL"],
  [/^RCPT\b/i, "RCPT"],
  [/^(?:DATA|BDAT)\b/i, "DATA"],
  [/^(?:HELO|EHLO|LHLO)\b/i, "HELO"],
];

/** The command a transcript line says was sent (`RCPT TO:<…>` → "RCPT"), or `null` (QUIT, RSET…). */
export function commandSent(line: string): SmtpCommand | null {
  return commandBy(SENT_COMMANDS, line.trim());
}

/** Whether a line is plain ASCII (the translations some MTAs add around their English are not). */
export function isAscii(line: string): boolean {
  return /^[\x20-\x7e\t]*$/.test(line);
}
