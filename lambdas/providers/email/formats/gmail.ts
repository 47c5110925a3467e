/**
 * Gmail's own text bounce: "Delivery to the following recipient(s) failed permanently:" (or "…
 * has been delayed" / "Delivery to these recipients or groups is delayed", after the warning's
 * "THIS IS A WARNING MESSAGE ONLY."), the addresses indented
 * below, "Technical details of permanent (temporary) failure:" and the remote server's reply, then
 * "----- Original message -----".
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

const ORIGINAL = [/^-{3,} Original message -{3,}/im, /^-{3,} Message header follows -{3,}/im];
const LIST =
  /^Delivery to the following recipients? (?:failed permanently|has been delayed|is delayed)|^Delivery to these recipients or groups is delayed/i;

export const gmail: PlainFormat = {
  id: "gmail",
  matches: (headers, text) =>
    (/mailer-daemon@(?:googlemail|gmail)\.com/i.test(headers.from) &&
      linesOf(text).some((l) => LIST.test(l.trim()))) ||
    /^Delivery to the following recipients? failed permanently:/m.test(text),
  decode: (text) => {
    const lines = linesOf(beforeOriginal(text, ORIGINAL));
    const start = lines.findIndex((l) => LIST.test(l.trim()));
    if (start < 0) return [];
    const delayed =
      /delayed|temporary failure|will retry|still trying/i.test(lines.join("\n")) &&
      !/failed permanently/i.test(lines[start] ?? "");
    const addresses: string[] = [];
    let i = start + 1;
    for (; i < lines.length; i++) {
      const line = lines[i] ?? "";
      if (line.trim() === "") continue;
      if (!/^\s+\S/.test(line)) break;
      const address = addressIn(line);
      if (address !== null) addresses.push(address);
    }
    const details = lines.slice(i).filter((l) => !/^Technical details of/i.test(l) && l.trim() !== "");
    // The remote reply is the line that carries a reply code (or Google's "The error that the other
    // server returned was: 550 …"); the prose around it is Google's.
    const reply =
      details.find((l) => /^\s*[245]\d\d[ -]/.test(l) || /server returned was: [245]\d\d\b/i.test(l)) ?? null;
    const diagnostic = oneLine(details);
    return uniqueRecipients(
      addresses.map((a) =>
        plainRecipient(a, diagnostic, {
          action: delayed ? "delayed" : "failed",
          status: reply === null ? null : undefined,
        }),
      ),
    );
  },
};
