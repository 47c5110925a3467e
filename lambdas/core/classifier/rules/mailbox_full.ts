/**
 * Text rules of the fine reason `mailbox_full` (Mailbox full; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `mailbox_full` rules, in decision order. */
export const rules: readonly ReasonRule<"mailbox_full">[] = [
  {
    id: "text-mailbox-full",
    reason: "mailbox_full",
    re: /\b(?:mailbox|mail ?folder|inbox|quota|disk space|mail store)\b[^.;]{0,30}\b(?:full|exceed(?:s|ed)?|over ?quota)\b|\bnot enough (?:disk )?space\b|\bover (?:the )?quota\b/,
    any: [
      "account storage limit",
      "mailbox full",
      "mailbox is full",
      "mailbox has exceeded",
      "mailbox exceeds",
      "mailbox size limit",
      "mailfolder is full",
      "over quota",
      "quota exceeded",
      "quota exceed",
      "exceeded quota",
      "exceeds quota",
      "quota",
      "out of storage",
      "storage allocation",
      "storage space",
      "hard limit",
      "not enough disk space",
      "exceeded the local limit",
      "inbox is full",
      "boîte pleine",
      "postfach voll",
      "邮箱已满",
      "邮箱满",
      "邮箱空间不足",
      "邮箱容量",
      "信箱已满",
      "信箱已滿",
      "信箱空間不足",
      "收件箱已满",
      "空间已满",
      "存储空间不足",
      "容量不足",
      "超出容量",
      "超过容量",
    ],
    unless: ["relay quota", "sending quota", "message quota", "send quota"],
    example: {
      smtpCode: "552",
      enhancedCode: "5.2.2",
      diagnostic: "552 5.2.2 <user@example.jp>: Mailbox full",
    },
  },
];
