/**
 * Yahoo's qmail-derived bounce: "Sorry, we were unable to deliver your message to the following
 * address.", then qmail's `<rcpt>:` list with "Remote host said: …" (the command in brackets,
 * `[RCPT_TO]`), then "--- Below this line is a copy of the message.".
 */
import type { PlainFormat } from "./common.js";
import { decodeAngleList } from "./qmail.js";

export const yahoo: PlainFormat = {
  id: "yahoo",
  matches: (_headers, text) =>
    /Sorry, we were unable to deliver your message to the following address/i.test(text),
  decode: (text) => decodeAngleList(text),
};
