/**
 * Text rules of the fine reason `spam_detected` (Detected as spam; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `spam_detected` rules, in decision order. */
export const rules: readonly ReasonRule<"spam_detected">[] = [
  {
    id: "text-spam-classification",
    reason: "spam_detected",
    any: [
      "rejected due to spam classification",
      "classified as spam",
      "被判定为垃圾邮件",
      "被识别为垃圾邮件",
    ],
    note: "Before the authentication rule: such notices also advise setting up SPF.",
    example: {
      diagnostic:
        "Your email to group team@example.com was rejected due to spam classification. Set up SPF records for your sending domain.",
    },
  },
  {
    id: "text-spam",
    reason: "spam_detected",
    any: [
      "content filter agent quarantined",
      "spam",
      "(ube)",
      ", ube",
      "junk mail",
      "unsolicited",
      "bulk mail",
      "content rejected",
      "mail content denied",
      "message content rejected",
      "uribl",
      "surbl",
      "blacklisted url",
      "dt:spm",
      "mail rejete",
      "垃圾邮件",
      "垃圾郵件",
      "疑似垃圾",
      "反垃圾",
      "垃圾信",
    ],
    unless: ["spamhaus", "spamcop", "for spamming", "spam reporting address"],
    example: {
      smtpCode: "550",
      enhancedCode: "5.7.1",
      diagnostic: "550 5.7.1 Message content rejected, UBE",
    },
  },
];
