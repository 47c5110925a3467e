/**
 * qmail-send: "Hi. This is the qmail-send program at host.", each failed address as `<rcpt>:` on
 * a line of its own with the reason below, then "--- Below this line is a copy of the message."
 * A deferral says "I'm not going to try again" (failed) or "I'll keep trying" (delayed); the
 * command shows in the prose ("most progress was RCPT TO response", "failed after I sent the
 * message", "but sender was rejected").
 */
import { type CommandPatterns, commandBy } from "../dsn.js";
import {
  addressIn,
  beforeOriginal,
  linesOf,
  oneLine,
  type ParsedPlainRecipient,
  type PlainFormat,
  plainRecipient,
  uniqueRecipients,
} from "./common.js";

const ORIGINAL = [
  /^--- Below this line is a copy of the message/im,
  /^--- Enclosed are the original headers/im,
  /^--- Below the next line is a copy/im,
];
const COMMANDS: CommandPatterns = [
  [/\[RCPT_TO\]/, "RCPT"],
  [/\[DATA\]/, "DATA"],
  [/\[MAIL_FROM\]/, "MAIL"],
  [/most progress was RCPT|RCPT TO response|\bRCPT TO\b/i, "RCPT"],
  [/failed after I sent the message|failed on DATA command|DATA command/i, "DATA"],
  [/sender was rejected|MAIL FROM/i, "MAIL"],
  [/greeting failed|HELO|EHLO/i, "HELO"],
  [/no SMTP connection got far enough|Connection refused|couldn't connect|timed out/i, "CONN"],
];

export const qmail: PlainFormat = {
  id: "qmail",
  matches: (headers, text) =>
    /This is the qmail-send program|qmail-send program at|I'm afraid I wasn't able to deliver your message/i.test(
      text,
    ) ||
    (/failure notice/i.test(headers.subject) && /^<[^>\s]+@[^>\s]+>:\s*$/m.test(text)),
  decode: (text) => decodeAngleList(text),
};

/**
 * The `<rcpt>:` list qmail writes (Yahoo's and others' qmail-derived bounces too): each address on
 * a line of its own, the reason below it, up to a blank line or the next address.
 */
export function decodeAngleList(text: string, markers: readonly RegExp[] = ORIGINAL): ParsedPlainRecipient[] {
  const body = beforeOriginal(text, markers);
  const delayed = /I'll keep trying|will keep trying|has not been delivered yet/i.test(body);
  const lines = linesOf(body);
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^<([^>\s]+)>:?\s*$/.exec(lines[i] ?? "");
    if (m === null) continue;
    const recipient = addressIn(m[1] ?? "");
    if (recipient === null) continue;
    const rest: string[] = [];
    for (let j = i + 1; j < lines.length && !/^<[^>\s]+>:?\s*$/.test(lines[j] ?? ""); j++) {
      const line = lines[j] ?? "";
      if (line.trim() === "" && rest.length > 0) break;
      if (line.trim() !== "") rest.push(line);
    }
    const diagnostic = oneLine(rest);
    // "Remote host said: 550 …" is the reply; qmail's own `(#5.x.x)` code follows it.
    const command = commandBy(COMMANDS, diagnostic);
    found.push(plainRecipient(recipient, diagnostic, { command, action: delayed ? "delayed" : "failed" }));
  }
  return uniqueRecipients(found);
}
