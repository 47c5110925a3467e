/**
 * au EZweb's (KDDI, ezweb.ne.jp / au.com) bounce: from `Postmaster@ezweb.ne.jp`, subject "Mail
 * System Error - Returned Mail", Japanese prose then its English: "The user(s) account is
 * disabled.", "Your message was not delivered within …", or "Each of the following recipients was
 * rejected by a remote mail server." with, per recipient, `Recipient: <rcpt>`, the command sent
 * (`>>> RCPT TO:<…>`) and the reply (`<<< 550 …`). Elsewhere the recipient is a bare `<rcpt>`
 * line. A row of dashes, or the attached message, starts the original.
 */
import type { SmtpCommand } from "../dsn.js";
import {
  addressIn,
  beforeOriginal,
  commandSent,
  isAscii,
  linesOf,
  oneLine,
  type ParsedPlainRecipient,
  type PlainFormat,
  plainRecipient,
  uniqueRecipients,
} from "./common.js";

const ORIGINAL = [/^-{20,}\s*$/m, /^Content-Type: message\/rfc822/im];
const RECIPIENT = /^(?:\s+Recipient:\s*)?<([^\s<>]+@[^\s<>]+)>:?\s*(.*)$/;

/** Two of the EZweb marks, as a forwarded or rewritten bounce may lose one. */
function fromEzweb(from: string, subject: string, get: (name: string) => readonly string[]): boolean {
  let marks = 0;
  if (/postmaster@(?:ezweb\.ne\.jp|au\.com)/i.test(from)) marks++;
  if (subject.trim() === "Mail System Error - Returned Mail") marks++;
  if (get("received").some((v) => /ezweb\.ne\.jp \(EZweb Mail\) with|\.au\.com \(/.test(v))) marks++;
  if (get("message-id").some((v) => /\.(?:ezweb\.ne\.jp|au\.com)>\s*$/i.test(v))) marks++;
  return marks >= 2;
}

export const ezweb: PlainFormat = {
  id: "ezweb",
  matches: (headers, text) =>
    fromEzweb(headers.from, headers.subject, headers.get) &&
    /^(?:\s+Recipient:\s*)?<[^\s<>]+@[^\s<>]+>/m.test(text),
  decode: (text) => {
    const lines = linesOf(beforeOriginal(text, ORIGINAL));
    const found: ParsedPlainRecipient[] = [];
    // The English prose before the first recipient is the reason for all of them.
    const prose: string[] = [];
    let current: { recipient: string; lines: string[]; command: SmtpCommand | null } | null = null;
    const flush = () => {
      if (current === null) return;
      const diagnostic = oneLine([...prose, ...current.lines]);
      found.push(plainRecipient(current.recipient, diagnostic, { command: current.command }));
      current = null;
    };
    for (const line of lines) {
      if (line.trim() === "" || !isAscii(line)) continue;
      const m = RECIPIENT.exec(line);
      const recipient = m === null ? null : addressIn(m[1] ?? "");
      if (recipient !== null) {
        flush();
        current = { recipient, lines: m?.[2] ? [m[2]] : [], command: null };
        continue;
      }
      const sent = /^\s*>>>\s*(.+)$/.exec(line);
      if (sent !== null) {
        if (current !== null) current.command = commandSent(sent[1] ?? "");
        continue;
      }
      const reply = /^\s*<<<\s*(.+)$/.exec(line)?.[1] ?? null;
      if (current !== null) current.lines.push(reply ?? line.trim());
      else if (found.length === 0) prose.push(line.trim());
    }
    flush();
    return uniqueRecipients(found);
  },
};
