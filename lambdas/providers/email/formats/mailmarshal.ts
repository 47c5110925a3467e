/**
 * Trustwave (Marshal) MailMarshal SMTP's bounce: "Your message:" with the original's From/Subject
 * indented below (never a recipient), "Could not be delivered because of" and the remote reply on
 * the lines after it, "The following recipients were affected:" and the addresses indented one a
 * line, then "Additional Information" (Sender-MTA, Remote-MTA…), which is not read.
 */
import {
  addressIn,
  beforeOriginal,
  linesOf,
  oneLine,
  type PlainFormat,
  plainRecipient,
  uniqueRecipients,
} from "./common.js";

const REASON = /^\s*Could not be delivered because of\s*(.*)$/i;
const LIST = /^\s*The following recipients were affected:\s*$/i;
const ORIGINAL = [/^\s*Additional Information\s*$/m, /^Content-Type: message\/rfc822/im];

export const mailmarshal: PlainFormat = {
  id: "mailmarshal",
  matches: (_headers, text) =>
    REASON.test(linesOf(text).find((l) => REASON.test(l)) ?? "") && linesOf(text).some((l) => LIST.test(l)),
  decode: (text) => {
    const lines = linesOf(beforeOriginal(text, ORIGINAL));
    const start = lines.findIndex((l) => REASON.test(l));
    const list = lines.findIndex((l) => LIST.test(l));
    if (start < 0 || list < start) return [];
    const reason = [REASON.exec(lines[start] ?? "")?.[1] ?? "", ...lines.slice(start + 1, list)];
    const diagnostic = oneLine(reason);
    const recipients = [];
    for (const line of lines.slice(list + 1)) {
      if (line.trim() === "") {
        if (recipients.length > 0) break;
        continue;
      }
      const address = /^\s+\S/.test(line) ? addressIn(line) : null;
      if (address === null) break;
      recipients.push(plainRecipient(address, diagnostic));
    }
    return uniqueRecipients(recipients);
  },
};
