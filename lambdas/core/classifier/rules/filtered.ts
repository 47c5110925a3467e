/**
 * Text rules of the fine reason `filtered` (Filtered by recipient; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 *
 * Most of them are the "user unknown" family read as a recipient-side filter: the words refused
 * after DATA, under an X.2.0 or X.7 status, or in au/KDDI's and NTT docomo's filter forms
 * (docs/classification.md, 'What "user unknown" needs'); they share `USER_UNKNOWN` with
 * `user_unknown.ts` and must come before `text-user-unknown` in the order.
 */

import type { ReasonRule } from "./types.js";
import { USER_UNKNOWN } from "./user_unknown.js";

/** The `filtered` rules, in decision order. */
export const rules: readonly ReasonRule<"filtered">[] = [
  {
    id: "provider-gmail-state-after-data",
    reason: "filtered",
    any: ["(state 15)", "(state 17)", "(state 18)"],
    also: ["google tried to deliver"],
    note:
      "Gmail's relay names the SMTP state the other server refused at: states 15, 17 and 18 are " +
      "after DATA, so the message itself was filtered (state 14 is RCPT, 13 EHLO).",
    example: {
      smtpCode: "554",
      enhancedCode: "5.7.0",
      diagnostic:
        "Google tried to deliver your message, but it was rejected by the recipient domain. The error that the other server returned was: 554 5.7.0 Header error (state 18).",
    },
  },
  {
    id: "text-user-unknown-after-data",
    reason: "filtered",
    any: USER_UNKNOWN,
    stage: ["data"],
    note: "Sisimai's rule: a 'user unknown' refused only after DATA comes from a recipient-side filter.",
    example: {
      smtpCode: "550",
      diagnostic:
        "host mx.example.net[192.0.2.10] said: 550 Unknown user jdoe@example.net (in reply to end of DATA command)",
    },
  },
  {
    id: "provider-kddi-filter",
    reason: "filtered",
    re: /(?:\b5\d\d:?|->) : user unknown/,
    also: [": user unknown"],
    note:
      "au (KDDI: au.com, ezweb.ne.jp) answers '550 : User unknown', naming no address, when the " +
      "recipient's own reception filter refuses the sender; an unknown mailbox gets " +
      "'550 <address>: User unknown'.",
    example: {
      smtpCode: "550",
      diagnostic: "The response was: 550 : User unknown",
    },
  },
  {
    id: "text-user-unknown-mailbox-status",
    reason: "filtered",
    any: USER_UNKNOWN,
    enhanced: ["5.2.0", "4.2.0"],
    notStage: ["rcpt"],
    note:
      "X.2.x codes report the status of a mailbox that exists; X.2.0 with 'user unknown' words is how " +
      "Sendmail reports a refusal after DATA (NTT docomo's reception filter, for one).",
    example: {
      smtpCode: "550",
      enhancedCode: "5.2.0",
      diagnostic: "550 Unknown user jdoe@docomo.example.ne.jp",
    },
  },
  {
    id: "text-user-unknown-policy-status",
    reason: "filtered",
    any: ["user unknown", "unknown user"],
    enhanced: ["5.7.", "4.7."],
    notStage: ["rcpt"],
    note:
      "A security or policy status (X.7) under the words 'User unknown': the receiver refused by " +
      "policy and does not say why. At RCPT the words are taken at face value.",
    example: {
      smtpCode: "550",
      enhancedCode: "5.7.1",
      diagnostic: "550 5.7.1 User Unknown: jdoe@example.org",
    },
  },
  {
    id: "text-unknown-user-then-address",
    reason: "filtered",
    re: /\bunknown user ?<?[^\s<>@]{1,64}@/,
    also: ["unknown user"],
    notStage: ["rcpt"],
    notEnhanced: ["5.1.", "4.1."],
    note:
      "'Unknown user <address>' (the words first, then the address) is how NTT docomo's reception " +
      "filter and Japanese filtering gateways refuse after DATA. Only an X.1 status or the RCPT " +
      "stage makes it a missing mailbox; without either it is read as a filter (design §3: a " +
      "filter's refusal does not suppress the address).",
    example: {
      smtpCode: "550",
      diagnostic: "550 Unknown user jdoe@docomo.example.ne.jp",
    },
  },
  {
    id: "text-recipient-filtered",
    reason: "filtered",
    any: [
      "message filtered",
      "refused due to recipient preferences",
      "recipient preferences",
      "mail is rejected by recipients",
      "user in blacklist",
      "收件人的黑名单",
      "收件人黑名单",
      "对方的黑名单",
      "被收件人拒收",
      "收件人拒收",
      "拒收",
      "被过滤",
      "过滤规则",
    ],
    example: { smtpCode: "550", enhancedCode: "5.2.0", diagnostic: "550 5.2.0 Message Filtered" },
  },
  {
    id: "late-mail-rejected",
    reason: "filtered",
    any: ["mail rejected", "message rejected", "email rejected", "mail is rejected", "邮件被拒"],
    late: true,
    note: "A bare 'mail rejected' (design.md §2.5): the receiver's filter refused this message.",
    example: { smtpCode: "550", diagnostic: "550 Mail rejected" },
  },
];
