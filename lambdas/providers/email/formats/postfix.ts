/**
 * Postfix's bounce when it carries no `message/delivery-status` part (old Postfix, or a bounce
 * forwarded as text): "This is the Postfix program at host …" (newer: "This is the mail system at
 * host …" and "I'm sorry to have to inform you that the message…"), the apology, then per recipient
 * `<rcpt>: reason` (or `<rcpt> (expanded from <alias>): reason`), the reason wrapped on indented
 * lines, then the attached original (or the report's own delivery-status text). A delay warning
 * says "This is a warning, not an error" / "still being retried". Postfix's SMTP server also writes
 * "Transcript of session follows." (subject "Postfix SMTP server: errors from …"): the `In:`
 * commands and `Out:` replies of the session, whose `RCPT TO:<…>` are the recipients and whose
 * first 4xx/5xx reply is the error.
 */
import { parseDeliveryStatus, type SmtpCommand } from "../dsn.js";
import {
  addressIn,
  beforeOriginal,
  commandSent,
  linesOf,
  oneLine,
  type ParsedPlainRecipient,
  type PlainFormat,
  plainRecipient,
  statusIn,
  uniqueRecipients,
} from "./common.js";

const NOTICE =
  /This is the Postfix program at host\b|This is the mail system at host\b[\s\S]{0,2000}?(?:I'm sorry to have to inform you that the message|THIS IS A WARNING ONLY)/;
const TRANSCRIPT = /^Transcript of session follows\.\s*$/m;
const ORIGINAL = [
  /^Content-Type: message\/(?:rfc822|delivery-status|global|global-delivery-status)/im,
  /^Content-Type: text\/rfc822-headers/im,
  /^Content-Description: (?:Delivery report|Undelivered Message)/im,
  /^Reporting-MTA:/im,
];
const ENTRY = /^<([^\s<>]+@[^\s<>]+)>(?:\s*\(expanded from\s*<[^>]*>\))?:\s*([\s\S]*)$/;

/** Each recipient's `Status`, when the report's delivery-status text follows the notice inline. */
function inlineStatuses(text: string): Map<string, string> {
  const statuses = new Map<string, string>();
  const report = /^Reporting-MTA:/im.exec(text);
  if (report === null) return statuses;
  for (const r of parseDeliveryStatus(text.slice(report.index)).recipients)
    if (r.status !== null && !statuses.has(r.recipient)) statuses.set(r.recipient, r.status);
  return statuses;
}

function decodeNotice(text: string, delayed: boolean): ParsedPlainRecipient[] {
  const lines = linesOf(beforeOriginal(text, ORIGINAL));
  const statuses = inlineStatuses(text);
  const found: ParsedPlainRecipient[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^<[^\s<>]+@[^\s<>]+>/.test(lines[i] ?? "")) continue;
    const entry = [lines[i] ?? ""];
    for (let j = i + 1; j < lines.length && /^\s+\S/.test(lines[j] ?? ""); j++) entry.push(lines[j] ?? "");
    const m = ENTRY.exec(entry.map((l) => l.trim()).join(" "));
    const recipient = m === null ? null : addressIn(m[1] ?? "");
    if (recipient === null) continue;
    found.push(
      plainRecipient(recipient, oneLine([m?.[2] ?? ""]), {
        action: delayed ? "delayed" : "failed",
        status: statuses.get(recipient),
      }),
    );
  }
  return uniqueRecipients(found);
}

function decodeTranscript(text: string): ParsedPlainRecipient[] {
  const start = TRANSCRIPT.exec(text);
  if (start === null) return [];
  const lines = linesOf(text.slice(start.index + start[0].length));
  const recipients: string[] = [];
  const own = new Map<string, { reply: string; command: SmtpCommand | null }>();
  let general: { reply: string; command: SmtpCommand | null } | null = null;
  let sent = "";
  let sentRecipient: string | null = null;
  for (const line of lines) {
    const input = /^\s*In:\s+(.*)$/.exec(line);
    if (input !== null) {
      sent = input[1] ?? "";
      const rcpt = /^RCPT\s+TO:\s*<([^>\s]+)>/i.exec(sent);
      sentRecipient = rcpt === null ? null : addressIn(rcpt[1] ?? "");
      if (sentRecipient !== null && !recipients.includes(sentRecipient)) recipients.push(sentRecipient);
      continue;
    }
    const output = /^\s*Out:\s+([45]\d\d\b.*)$/.exec(line);
    if (output === null) continue;
    const error = { reply: output[1] ?? "", command: commandSent(sent) };
    if (error.command === "RCPT" && sentRecipient !== null) {
      if (!own.has(sentRecipient)) own.set(sentRecipient, error);
    } else general ??= error;
  }
  return uniqueRecipients(
    recipients
      .map((r) => ({ r, error: own.get(r) ?? general }))
      .filter((x) => x.error !== null)
      .map(({ r, error }) =>
        plainRecipient(r, oneLine([error?.reply ?? ""]), {
          command: error?.command ?? null,
          status: statusIn(error?.reply ?? null),
        }),
      ),
  );
}

export const postfix: PlainFormat = {
  id: "postfix",
  matches: (headers, text) =>
    NOTICE.test(text) ||
    (/^Postfix SMTP server: errors from/i.test(headers.subject) && TRANSCRIPT.test(text)),
  decode: (text, headers) => {
    if (!NOTICE.test(text)) return decodeTranscript(text);
    const delayed =
      /still being retried/i.test(headers.subject) ||
      /This is a warning, not an error|THIS IS A WARNING ONLY/i.test(text);
    return decodeNotice(text, delayed);
  },
};
