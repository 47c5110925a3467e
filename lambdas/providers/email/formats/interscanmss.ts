/**
 * Trend Micro InterScan Messaging Security Suite's bounce (from "InterScan MSS" / "InterScan
 * Notification", or relayed "with InterScan Messaging Security Suite"): between rows of asterisks,
 * either the SMTP dialogue (`Sent <<< RCPT TO:<rcpt>`, `Received >>> 550 5.1.1 …`) or "Unable to
 * deliver message to <rcpt> (and other recipients in the same domain)."; then the attached
 * original.
 */
import type { SmtpCommand } from "../dsn.js";
import {
  addressIn,
  beforeOriginal,
  commandSent,
  linesOf,
  oneLine,
  type ParsedPlainRecipient,
  type PlainFormat,
  plainRecipient,
  uniqueRecipients,
} from "./common.js";

const ORIGINAL = [/^Content-Type: message\/rfc822/im, /^\*{5,}\s*End of message\s*\*{5,}/im];
const UNABLE = /Unable to deliver message to <([^\s<>]+@[^\s<>]+)>/i;

export const interscanmss: PlainFormat = {
  id: "interscanmss",
  matches: (headers, text) =>
    (/InterScan (?:MSS|Notification)/i.test(headers.from) ||
      headers.get("received").some((v) => /with InterScan Messaging Security Suite/i.test(v)) ||
      /Message from InterScan Messaging Security Suite/i.test(text)) &&
    (/^\s*Sent <<< RCPT TO:/im.test(text) || UNABLE.test(text)),
  decode: (text) => {
    const found: ParsedPlainRecipient[] = [];
    let command: SmtpCommand | null = null;
    let recipient: string | null = null;
    for (const line of linesOf(beforeOriginal(text, ORIGINAL))) {
      const sent = /^\s*Sent <<<\s*(.+)$/.exec(line);
      if (sent !== null) {
        command = commandSent(sent[1] ?? "");
        const rcpt = /^RCPT TO:\s*<([^>\s]+)>/i.exec(sent[1] ?? "");
        recipient = rcpt === null ? recipient : addressIn(rcpt[1] ?? "");
        continue;
      }
      const received = /^\s*Received >>>\s*([45]\d\d\b.*)$/.exec(line);
      if (received !== null && recipient !== null) {
        found.push(plainRecipient(recipient, oneLine([received[1] ?? ""]), { command }));
        continue;
      }
      const unable = UNABLE.exec(line);
      const address = unable === null ? null : addressIn(unable[1] ?? "");
      if (address !== null) {
        found.push(plainRecipient(address, oneLine([line.replace(/^\s*Reason:\s*/i, "")]), { status: null }));
      }
    }
    return uniqueRecipients(found);
  },
};
