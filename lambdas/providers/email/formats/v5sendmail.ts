/**
 * Sendmail 5's (and an old sendmail's) text-only bounce: subject "Returned mail: …", from the
 * MAILER-DAEMON, "----- Transcript of session follows -----", then per recipient a line
 * `554 <rcpt>... reason`, preceded by the dialogue with the remote host when there was one
 * ("While talking to host:", `>>> RCPT To:<…>`, `<<< 550 …`), then "----- Unsent message follows
 * -----". A host-level line (`550 host (smtp)... 550 Host unknown`) names no recipient.
 */
import type { SmtpCommand } from "../dsn.js";
import {
  addressIn,
  beforeOriginal,
  commandSent,
  linesOf,
  oneLine,
  type ParsedPlainRecipient,
  type PlainFormat,
  plainRecipient,
  uniqueRecipients,
} from "./common.js";

const TRANSCRIPT = /^\s*-{3,} Transcript of session follows -{3,}/m;
const ORIGINAL = [
  /^\s*-{3,} Unsent message follows -{3,}/im,
  /^\s*-{3,} Original message follows -{3,}/im,
  /^\s*-{3,} Message header follows -{3,}/im,
];

export const v5sendmail: PlainFormat = {
  id: "v5sendmail",
  matches: (headers, text) =>
    /mailer-daemon/i.test(headers.from) && /^Returned mail:/i.test(headers.subject) && TRANSCRIPT.test(text),
  decode: (text) => {
    const transcript = beforeOriginal(text, ORIGINAL);
    const start = TRANSCRIPT.exec(transcript);
    if (start === null) return [];
    const found: ParsedPlainRecipient[] = [];
    // The dialogue since the last recipient line: what we sent and what the host answered.
    let command: SmtpCommand | null = null;
    let reply: string | null = null;
    for (const line of linesOf(transcript.slice(start.index + start[0].length))) {
      if (/^While talking to /i.test(line)) {
        command = null;
        reply = null;
        continue;
      }
      const sent = /^>>> (.+)$/.exec(line);
      if (sent !== null) {
        command = commandSent(sent[1] ?? "");
        continue;
      }
      const answered = /^<<< (.+)$/.exec(line);
      if (answered !== null) {
        reply = answered[1] ?? null;
        continue;
      }
      const m = /^([245])\d\d <([^>\s]+)>\.\.\. (.+)$/.exec(line);
      if (m === null) continue;
      const recipient = addressIn(m[2] ?? "");
      if (recipient === null) continue;
      const diagnostic = oneLine(reply === null ? [m[3] ?? ""] : [reply, m[3] ?? ""]);
      found.push(
        plainRecipient(recipient, diagnostic, { command, action: m[1] === "4" ? "delayed" : "failed" }),
      );
      command = null;
      reply = null;
    }
    return uniqueRecipients(found);
  },
};
