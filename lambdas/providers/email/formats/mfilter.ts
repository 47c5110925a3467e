/**
 * m-FILTER's bounce (`X-Mailer: m-FILTER`, subject "failure notice"): Japanese prose, the failed
 * addresses each alone on a line, then sections headed by dashes: "-------server message" (the
 * remote reply), "-------SMTP command" (the command it answered, on the next line) and
 * "-------original message" (or "-------original mail info"), where the original starts.
 */
import {
  addressIn,
  beforeOriginal,
  commandSent,
  linesOf,
  oneLine,
  type PlainFormat,
  plainRecipient,
  uniqueRecipients,
} from "./common.js";

const SERVER = /^-{5,}server message\s*$/;
const COMMAND = /^-{5,}SMTP command\s*$/;
const ORIGINAL = [/^-{5,}original (?:message|mail info)\s*$/im, /^Content-Type: message\/rfc822/im];

export const mfilter: PlainFormat = {
  id: "mfilter",
  matches: (headers, text) =>
    headers.get("x-mailer").some((v) => /^\s*m-FILTER\b/i.test(v)) &&
    linesOf(text).some((l) => SERVER.test(l)),
  decode: (text) => {
    const lines = linesOf(beforeOriginal(text, ORIGINAL));
    const server = lines.findIndex((l) => SERVER.test(l));
    if (server < 0) return [];
    const section = (from: number) => {
      const out: string[] = [];
      for (const line of lines.slice(from + 1)) {
        if (/^-{5,}\S/.test(line)) break;
        if (line.trim() !== "") out.push(line.trim());
      }
      return out;
    };
    const diagnostic = oneLine(section(server));
    const commandAt = lines.findIndex((l) => COMMAND.test(l));
    const command = commandAt < 0 ? null : commandSent(section(commandAt)[0] ?? "");
    return uniqueRecipients(
      lines
        .slice(0, server)
        .filter((l) => /^\s*<?[^\s<>]+@[^\s<>]+>?\s*$/.test(l))
        .map((l) => addressIn(l))
        .filter((a): a is string => a !== null)
        .map((a) => plainRecipient(a, diagnostic, { command })),
    );
  },
};
