/**
 * A qmail-derived bounce of some webmail providers (Sisimai's "X2"): "Message from example.com.",
 * "Unable to deliver message to the following address(es).", then qmail's list, each address as
 * `<rcpt>:` on a line of its own with the reason below it, then "--- Original message follows.".
 * qmail's own `(#4.4.1)` / `[#4.1.9]` code, when there is one, is the status.
 */
import type { PlainFormat } from "./common.js";
import { decodeAngleList } from "./qmail.js";

const ORIGINAL = [/^-{2,} ?Original message follows/im, /^-{3,} Below this line is a copy of the message/im];

export const x2: PlainFormat = {
  id: "x2",
  matches: (headers, text) =>
    /mailer-daemon/i.test(headers.from) &&
    /^Unable to deliver message to the following address\(es\)\.\s*$/m.test(text),
  decode: (text) => decodeAngleList(text, ORIGINAL),
};
