/**
 * Amazon WorkMail's bounce (sent through SES, from MAILER-DAEMON@…amazonses.com): "An error
 * occurred while trying to deliver the mail to the following recipients:", the addresses, then
 * "Technical report:" and a delivery-status block written into the text (`Final-Recipient`,
 * `Action`, `Status`, `Diagnostic-Code`) instead of a `message/delivery-status` part. That block
 * is read by the DSN parser itself, so its fields mean what they mean in a standard report.
 */
import { parseDeliveryStatus } from "../dsn.js";
import { type PlainFormat, plainRecipient, uniqueRecipients } from "./common.js";

const INTRO = /An error occurred while trying to deliver the mail to the following recipients:/;
const REPORT = /^Technical report:\s*$/m;

export const amazonworkmail: PlainFormat = {
  id: "amazonworkmail",
  matches: (headers, text) =>
    /mailer-daemon@[\w.-]*amazonses\.com/i.test(headers.from) && INTRO.test(text) && REPORT.test(text),
  decode: (text) => {
    const start = REPORT.exec(text);
    if (start === null) return [];
    const report = parseDeliveryStatus(text.slice(start.index + start[0].length).trimStart());
    return uniqueRecipients(
      report.recipients.map((r) =>
        plainRecipient(r.recipient, r.diagnostic, {
          status: r.status,
          command: r.command,
          action: r.action === "delayed" ? "delayed" : "failed",
        }),
      ),
    );
  },
};
