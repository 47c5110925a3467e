/**
 * OpenSMTPD's bounce, from its MAILER-DAEMON: "This is the MAILER-DAEMON, please DO NOT REPLY to
 * this e-mail.", "An error has occurred while attempting to deliver a message for the following
 * list of recipients:" (a delay: "… has been delayed for the following list of recipients" /
 * "Delivery will be retried"), then one line per recipient, `rcpt: reason`, then "Below is a copy
 * of the original message:".
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

const START = /This is the MAILER-DAEMON, please DO NOT REPLY to this e-?mail\./i;
const ORIGINAL = [/^\s*Below is a copy of the original message:?/im, /^Content-Type: message\/rfc822/im];
const LINE = /^([^\s@<>]+@[A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9]):\s+(\S.*)$/;

export const opensmtpd: PlainFormat = {
  id: "opensmtpd",
  matches: (_headers, text) => START.test(text),
  decode: (text) => {
    const body = beforeOriginal(text, ORIGINAL);
    const delayed = /has been delayed|will be retried|Delivery will continue/i.test(body);
    const found: ParsedPlainRecipient[] = [];
    for (const line of linesOf(body)) {
      const m = LINE.exec(line);
      const recipient = m === null ? null : addressIn(m[1] ?? "");
      if (recipient === null) continue;
      found.push(
        plainRecipient(recipient, oneLine([m?.[2] ?? ""]), { action: delayed ? "delayed" : "failed" }),
      );
    }
    return uniqueRecipients(found);
  },
};
