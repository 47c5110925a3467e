/**
 * Exim's bounce: "This message was created automatically by mail delivery software." (or "by the
 * SMTP relay on …"), then the failed addresses each on a line indented by two spaces, the reason
 * below indented further, then "------ This is a copy of the message, including all the headers."
 * Its delay warning says "has not yet been delivered … Delivery attempts will continue".
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

const START =
  /This message was created automatically by (?:mail delivery software|the SMTP relay)|A message (?:that you sent|sent by\s)[\s\S]{0,200}?could not be delivered to|has not yet been delivered to all of its recipients|could not be delivered to one or more of its recipients/i;
const ORIGINAL = [
  /^-{2,} This is a copy of (?:the|your) message/im,
  /^-{2,} The body of the message is/im,
  /^-{2,} The header of the original message is/im,
  /^-{2,} Original message/im,
  /^Content-Type: message\/rfc822/im,
];
const LIST_START =
  /(?:following address(?:\(es\)|es)? (?:failed|deferred|could not be delivered)|address\(es\) failed|recipients?[^\n]*):?\s*$/i;

export const exim: PlainFormat = {
  id: "exim",
  matches: (headers, text) =>
    START.test(text) &&
    (/mailer-daemon|mail delivery system|postmaster/i.test(headers.from) ||
      headers.get("x-failed-recipients").length > 0 ||
      /\bExim\b/.test(headers.get("received").join("\n"))),
  decode: (text, headers) => {
    const body = beforeOriginal(text, ORIGINAL);
    const delayed = /has not yet been delivered|Delivery attempts will continue|address\(es\) deferred/i.test(
      body,
    );
    const lines = linesOf(body);
    let i = lines.findIndex((l) => LIST_START.test(l));
    if (i < 0) i = lines.findIndex((l) => /^\s{1,3}\S/.test(l) && addressIn(l) !== null) - 1;
    const failed = headers
      .get("x-failed-recipients")
      .flatMap((v) => v.split(",").map((x) => addressIn(x)))
      .filter((a): a is string => a !== null);
    const found: ReturnType<typeof plainRecipient>[] = [];
    let current: { recipient: string; lines: string[] } | null = null;
    const flush = () => {
      if (current === null) return;
      found.push(
        plainRecipient(current.recipient, oneLine(current.lines), { action: delayed ? "delayed" : "failed" }),
      );
      current = null;
    };
    for (const line of lines.slice(i + 1)) {
      const head = /^ {1,3}(\S.*)$/.exec(line);
      if (head !== null) {
        flush();
        const value = head[1] ?? "";
        const address =
          addressIn(value.replace(/^<|>:?$|:$/g, "")) ??
          failed.find((f) => f.startsWith(`${value.replace(/:$/, "").toLowerCase()}@`)) ??
          null;
        // Some relays (MXLogic) put the reason on the address's own line: "<rcpt>: 550 5.1.1 …".
        const sameLine = /^<?[^\s<>]+@[^\s<>:]+>?:\s+(\S.*)$/.exec(value)?.[1];
        if (address !== null)
          current = { recipient: address, lines: sameLine === undefined ? [] : [sameLine] };
        continue;
      }
      if (/^\s{4,}\S/.test(line) && current !== null)
        (current as { lines: string[] }).lines.push(line.trim());
      else if (line.trim() === "") continue;
      else if (found.length > 0 || current !== null) {
        flush();
        break;
      }
    }
    flush();
    if (found.length === 0) {
      for (const address of failed)
        if (address !== null)
          found.push(plainRecipient(address, null, { action: delayed ? "delayed" : "failed" }));
    }
    return uniqueRecipients(found);
  },
};
