/**
 * Ipswitch IMail Server's bounce (`X-Mailer: <SMTP32 v…>`, subject "Undeliverable Mail"): one line
 * per recipient, `Unknown user: rcpt`, `User mailbox exceeds allowed size: rcpt`, `Delivery failed
 * 20 attempts: rcpt` or `undeliverable to rcpt`; a remote refusal follows as "Body of message
 * generated response:" and the reply lines (`550-…`). Then "Original message follows.".
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

const ORIGINAL = [/^\s*Original message follows\./im, /^Content-Type: message\/rfc822/im];
/** `Reason text: rcpt`, the reason at least a few words long (never a header like `To: …`). */
const LABELLED = /^([A-Za-z][\w ]{6,}):\s+([^\s<>]+@[^\s<>]+)\s*$/;
const UNDELIVERABLE = /^undeliverable to\s+([^\s<>]+@[^\s<>]+)\s*$/i;

export const imailserver: PlainFormat = {
  id: "imailserver",
  matches: (headers, text) =>
    (headers.get("x-mailer").some((v) => /^\s*<SMTP32 v/.test(v)) ||
      /^Undeliverable Mail$/.test(headers.subject.trim())) &&
    linesOf(text).some((l) => LABELLED.test(l.trim()) || UNDELIVERABLE.test(l.trim())),
  decode: (text) => {
    const lines = linesOf(beforeOriginal(text, ORIGINAL)).map((l) => l.trim());
    const start = lines.findIndex((l) => /^Body of message generated response:/i.test(l));
    // The remote server's reply, when there is one, is the reason for every recipient.
    const response: string[] = [];
    if (start >= 0) {
      for (const line of lines.slice(start + 1)) {
        if (line === "") break;
        response.push(line.replace(/^[245]\d\d[ -]/, ""));
      }
    }
    const found: ParsedPlainRecipient[] = [];
    for (const line of lines) {
      const labelled = LABELLED.exec(line);
      const bare = labelled === null ? UNDELIVERABLE.exec(line) : null;
      const recipient = addressIn(labelled?.[2] ?? bare?.[1] ?? "");
      if (recipient === null) continue;
      found.push(plainRecipient(recipient, oneLine(response.length > 0 ? response : [line])));
    }
    return uniqueRecipients(found);
  },
};
