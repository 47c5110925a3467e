/**
 * Text rules of the fine reason `mesg_too_big` (Message too big; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `mesg_too_big` rules, in decision order. */
export const rules: readonly ReasonRule<"mesg_too_big">[] = [
  {
    id: "text-mesg-too-big",
    reason: "mesg_too_big",
    re: /\b(?:size|line length|line)\b[^.;]{0,20}\b(?:exceed(?:s|ed)?|too (?:big|large|long))\b|\b(?:message|mail|email) (?:is )?too (?:big|large)\b/,
    any: [
      "maximum email size exceeded",
      "message too large",
      "message too big",
      "message is too large",
      "message is too big",
      "message size exceeds",
      "message exceeds",
      "size exceeds",
      "exceeds maximum",
      "exceeds the maximum",
      "maximum message size",
      "message length exceeds",
      "size limit exceeded",
      "mailsize limit",
      "mail size limit",
      "data size",
      "exceeds size limit",
      "exceeds the maximum size",
      "line limit exceeded",
      "邮件过大",
      "邮件太大",
      "郵件過大",
      "邮件大小超过",
      "超过邮件大小限制",
      "附件过大",
      "信件过大",
    ],
    example: { smtpCode: "552", enhancedCode: "5.3.4", diagnostic: "552 5.3.4 Message too large" },
  },
];
