/**
 * Microsoft Exchange 5.5–2003's text report (its Internet Mail Service / Connector: an
 * `X-MS-Embedded-Report` header, `X-Mailer: Internet Mail Service (…)` or a `Received: … with
 * Internet Mail Service (…)`): "Your message" with the original's To/Subject/Sent indented below
 * (never a recipient), then "did not reach the following recipient(s):" (or "The following
 * recipient(s) could not be reached:") and per recipient a line `rcpt on <date>`, the reason
 * indented below it and Exchange's own code (`MSEXCH:IMS:… (000C05A6) Unknown Recipient`). No
 * RFC 3463 code and no SMTP command.
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

const LIST =
  /^\s*(?:did not reach the following recipient\(s\):|The following recipient\(s\) could not be reached:)\s*$/i;
const RECIPIENT = /^\s*(?:[^\s@]*\bSMTP=)?([^\s@]+@[^\s@]+) on\b/;
const ORIGINAL = [/^Content-Type: message\/rfc822/im, /^-{3,} ?Original message/im];

const fromExchange = (get: (name: string) => readonly string[]): boolean =>
  get("x-ms-embedded-report").length > 0 ||
  get("x-mailer").some((v) =>
    /^\s*(?:Internet Mail Service \(|Microsoft Exchange Server Internet Mail Connector)/.test(v),
  ) ||
  get("x-mimeole").some((v) => /^\s*Produced By Microsoft Exchange/.test(v)) ||
  get("received").some((v) => / with Internet Mail Service \(/.test(v));

export const exchange2003: PlainFormat = {
  id: "exchange2003",
  matches: (headers, text) =>
    fromExchange(headers.get) &&
    /^\s*Your message\b/m.test(text) &&
    LIST.test(linesOf(text).find((l) => LIST.test(l)) ?? ""),
  decode: (text) => {
    const lines = linesOf(beforeOriginal(text, ORIGINAL));
    const start = lines.findIndex((l) => LIST.test(l));
    if (start < 0) return [];
    const found: ParsedPlainRecipient[] = [];
    let current: { recipient: string; lines: string[] } | null = null;
    const flush = () => {
      if (current !== null)
        found.push(plainRecipient(current.recipient, oneLine(current.lines), { status: null }));
      current = null;
    };
    for (const line of lines.slice(start + 1)) {
      const m = RECIPIENT.exec(line);
      const recipient = m === null ? null : addressIn(m[1] ?? "");
      if (recipient !== null) {
        flush();
        current = { recipient, lines: [] };
        continue;
      }
      if (current === null) continue;
      if (line.trim() === "") {
        if (current.lines.length > 0) flush();
        continue;
      }
      // The original's MTS-ID (and its wrapped tail, `;l=…` or `un;l=…`) is Exchange's bookkeeping,
      // not the reason.
      if (/^\s*The MTS-ID of the original message is:/i.test(line) || /^[^\s;]*;\w+=/.test(line)) continue;
      current.lines.push(line.trim());
    }
    flush();
    return uniqueRecipients(found);
  },
};
