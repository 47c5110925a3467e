/**
 * GMX's (and mail.com's) Exim-derived bounce, from MAILER-DAEMON@…gmx…: Exim's opening, "The
 * following address failed:", then each address on a line of its own, unindented and quoted
 * (`"rcpt":`) or bracketed (`<rcpt>`), the reason below it ("SMTP error from remote server after
 * RCPT command:", "host: …", the reply; or "Reason:" and GMX's own text), then "--- The header of
 * the original message is following. ---".
 */
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

const LIST = /The following address(?:es)?\s+failed:/i;
const ORIGINAL = [
  /^-{2,} The header of the original message is following/im,
  /^Content-Type: message\/rfc822/im,
];
const RECIPIENT = /^(?:"([^"\s]+@[^"\s]+)"|<([^<>\s]+@[^<>\s]+)>):?\s*$/;

export const gmx: PlainFormat = {
  id: "gmx",
  matches: (headers, text) =>
    /mailer-daemon@[\w.-]*\b(?:gmx|mail\.com)\b/i.test(headers.from) && LIST.test(text),
  decode: (text) => {
    const body = beforeOriginal(text, ORIGINAL);
    const delayed = /has not yet been delivered|Delivery attempts will continue/i.test(body);
    const found: ParsedPlainRecipient[] = [];
    let current: { recipient: string; lines: string[] } | null = null;
    const flush = () => {
      if (current !== null)
        found.push(
          plainRecipient(current.recipient, oneLine(current.lines), {
            action: delayed ? "delayed" : "failed",
          }),
        );
      current = null;
    };
    for (const line of linesOf(body)) {
      const m = RECIPIENT.exec(line.trim());
      const recipient = m === null ? null : addressIn(m[1] ?? m[2] ?? "");
      if (recipient !== null) {
        flush();
        current = { recipient, lines: [] };
      } else if (current !== null && line.trim() !== "" && !/^Reason:\s*$/i.test(line.trim())) {
        current.lines.push(line.trim());
      }
    }
    flush();
    return uniqueRecipients(found);
  },
};
