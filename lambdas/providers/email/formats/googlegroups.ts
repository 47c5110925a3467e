/**
 * Google Groups' refusal of a post: from mailer-daemon@googlemail.com, the group's address in
 * `X-Failed-Recipients`, the text (in the sender's language) ending "Google Groups" and
 * "----- Original message -----". No code: the group does not exist or refuses the poster.
 */
import {
  addressIn,
  beforeOriginal,
  oneLine,
  type PlainFormat,
  plainRecipient,
  uniqueRecipients,
} from "./common.js";

export const googlegroups: PlainFormat = {
  id: "googlegroups",
  matches: (headers, text) =>
    /mailer-daemon@googlemail\.com/i.test(headers.from) &&
    headers.get("x-failed-recipients").some((v) => /@googlegroups\.com/i.test(v)) &&
    /Google Groups|groups\.google\.com/i.test(text),
  decode: (text, headers) => {
    const diagnostic = oneLine([beforeOriginal(text, [/^-{3,} Original message -{3,}/im])]);
    return uniqueRecipients(
      headers
        .get("x-failed-recipients")
        .flatMap((v) => v.split(","))
        .map((v) => addressIn(v))
        .filter((a): a is string => a !== null)
        .map((a) => plainRecipient(a, diagnostic, { status: null, command: null })),
    );
  },
};
