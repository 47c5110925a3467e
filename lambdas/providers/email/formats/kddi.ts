/**
 * KDDI's au one net (dion.ne.jp, from `no-reply@…dion.ne.jp`, relayed by `…auone-net.jp`) bounce:
 * Japanese prose, then "Your mail sent on: <date>", "Could not be delivered to: <rcpt>" and the
 * reason indented below it ("As their mailbox is full."), then the attached original.
 */
import {
  addressIn,
  beforeOriginal,
  isAscii,
  linesOf,
  oneLine,
  type ParsedPlainRecipient,
  type PlainFormat,
  plainRecipient,
  uniqueRecipients,
} from "./common.js";

const RECIPIENT = /^\s*Could not be delivered to:\s*<?([^\s<>]+@[^\s<>]+)>?\s*$/;
const ORIGINAL = [/^Content-Type: message\/rfc822/im];

export const kddi: PlainFormat = {
  id: "kddi",
  matches: (headers, text) =>
    (/@[\w.-]*dion\.ne\.jp\b/i.test(headers.from) ||
      headers.get("received").some((v) => /auone-net\.jp\b/i.test(v))) &&
    linesOf(text).some((l) => RECIPIENT.test(l)),
  decode: (text) => {
    const lines = linesOf(beforeOriginal(text, ORIGINAL));
    const found: ParsedPlainRecipient[] = [];
    for (let i = 0; i < lines.length; i++) {
      const m = RECIPIENT.exec(lines[i] ?? "");
      const recipient = m === null ? null : addressIn(m[1] ?? "");
      if (recipient === null) continue;
      const reason: string[] = [];
      for (
        let j = i + 1;
        j < lines.length && /^\s+\S/.test(lines[j] ?? "") && !RECIPIENT.test(lines[j] ?? "");
        j++
      )
        if (isAscii(lines[j] ?? "")) reason.push(lines[j] ?? "");
      found.push(plainRecipient(recipient, oneLine(reason), { status: null, command: null }));
    }
    return uniqueRecipients(found);
  },
};
