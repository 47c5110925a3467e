/**
 * Lotus Notes (Domino's old SMTP MTA) bounce, subject "Undeliverable message": "------- Failure
 * Reasons --------", the reason (in the server's language) and the failed addresses each alone on
 * a line, then "------- Returned Message --------" and the original. No code and no command.
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

const START = /^-{3,}\s*Failure Reasons\s*-{3,}\s*$/m;
const ORIGINAL = [/^-{3,}\s*Returned Message\s*-{3,}/im, /^Content-Type: message\/rfc822/im];
const BARE = /^\s*<?[^\s<>@]+@[^\s<>@]+>?\s*$/;

export const notes: PlainFormat = {
  id: "notes",
  matches: (_headers, text) => START.test(text),
  decode: (text) => {
    const body = beforeOriginal(text, ORIGINAL);
    const start = START.exec(body);
    if (start === null) return [];
    const lines = linesOf(body.slice(start.index + start[0].length)).filter((l) => l.trim() !== "");
    const diagnostic = oneLine(lines.filter((l) => !BARE.test(l)));
    return uniqueRecipients(
      lines
        .filter((l) => BARE.test(l))
        .map((l) => addressIn(l))
        .filter((a): a is string => a !== null)
        .map((a) => plainRecipient(a, diagnostic, { status: null, command: null })),
    );
  },
};
