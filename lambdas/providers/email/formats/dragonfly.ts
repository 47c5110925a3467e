/**
 * DragonFly Mail Agent (dma): "This is the DragonFly Mail Agent v… at host.", "There was an error
 * delivering your mail to <rcpt>.", the remote reply ("… did not like our RCPT TO:"), then
 * "Message headers follow." or "Original message follows.".
 */
import { type CommandPatterns, commandBy } from "../dsn.js";
import {
  addressIn,
  beforeOriginal,
  linesOf,
  oneLine,
  type PlainFormat,
  plainRecipient,
  uniqueRecipients,
} from "./common.js";

const ORIGINAL = [/^Message headers follow\./im, /^Original message follows\./im];
const COMMANDS: CommandPatterns = [
  [/did not like our (?:final )?DATA/i, "DATA"],
  [/did not like our RCPT/i, "RCPT"],
  [/did not like our MAIL/i, "MAIL"],
  [/did not like our (?:HELO|EHLO)/i, "HELO"],
  [/(?:connect|greeting|banner)/i, "CONN"],
];

export const dragonfly: PlainFormat = {
  id: "dragonfly",
  matches: (_headers, text) => /This is the DragonFly Mail Agent\b/.test(text),
  decode: (text) => {
    const lines = linesOf(beforeOriginal(text, ORIGINAL));
    const found = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? "";
      const m = /There was an error delivering your mail to <([^>]+)>/i.exec(line);
      if (m === null) continue;
      const recipient = addressIn(m[1] ?? "");
      if (recipient === null) continue;
      const rest: string[] = [];
      for (let j = i + 1; j < lines.length && !/There was an error delivering/i.test(lines[j] ?? ""); j++) {
        if ((lines[j] ?? "").trim() !== "") rest.push(lines[j] ?? "");
      }
      const diagnostic = oneLine(rest);
      const command = commandBy(COMMANDS, diagnostic);
      found.push(plainRecipient(recipient, diagnostic, { command }));
    }
    return uniqueRecipients(found);
  },
};
