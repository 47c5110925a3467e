/**
 * Zoho Mail's bounce (`X-Mailer: Zoho Mail`, from mailer-daemon@…zoho…): Exim's opening ("This
 * message was created automatically by mail delivery software. A message that you sent could not be
 * delivered …") but then one line per recipient, `rcpt Invalid Address, ERROR_CODE :550, ERROR_CODE
 * :5.1.1 <rcpt>... User Unknown`, and the original's headers pasted straight after (from its
 * `Received:`). The delay warning ("THIS IS A WARNING MESSAGE ONLY", "Message will be retried…")
 * lists `[Status: Error, Address: <rcpt>, ResponseCode 421, , Host not reachable.]` under "The
 * following addresses had fatal errors".
 */
import {
  addressIn,
  beforeOriginal,
  linesOf,
  oneLine,
  type ParsedPlainRecipient,
  type PlainFormat,
  plainRecipient,
  saysDelayed,
  uniqueRecipients,
} from "./common.js";

const ORIGINAL = [
  /^Received: ?from\b/im,
  /^-{3,} Transcript of session follows/im,
  /^Content-Type: message\/rfc822/im,
];
const LINE = /^([^\s@<>]+@[A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9])\s+(\S.*)$/;
const WARNING = /^\[Status: [^,]*, Address: <([^>\s]+)>,\s*(.*)\]\s*$/;

export const zoho: PlainFormat = {
  id: "zoho",
  matches: (headers, text) =>
    (headers.get("x-mailer").some((v) => /^\s*Zoho Mail/i.test(v)) ||
      /mailer-daemon@[\w.-]*zoho\b/i.test(headers.from)) &&
    /This message was created automatically by mail delivery/i.test(text),
  decode: (text) => {
    const body = beforeOriginal(text, ORIGINAL);
    const delayed = /THIS IS A WARNING MESSAGE ONLY/i.test(body) || saysDelayed(body);
    const found: ParsedPlainRecipient[] = [];
    for (const line of linesOf(body)) {
      const m = WARNING.exec(line) ?? LINE.exec(line);
      const recipient = m === null ? null : addressIn(m[1] ?? "");
      if (recipient === null) continue;
      found.push(
        plainRecipient(recipient, oneLine([m?.[2] ?? ""]), { action: delayed ? "delayed" : "failed" }),
      );
    }
    return uniqueRecipients(found);
  },
};
