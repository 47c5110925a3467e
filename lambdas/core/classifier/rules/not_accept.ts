/**
 * Text rules of the fine reason `not_accept` (Accepts no mail; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `not_accept` rules, in decision order. */
export const rules: readonly ReasonRule<"not_accept">[] = [
  {
    id: "text-not-accept",
    reason: "not_accept",
    any: [
      "null mx",
      "does not accept mail",
      "doesn't receive email",
      "does not receive email",
      "accepts no mail",
      "no smtp service",
      "couldn't find a mail exchanger",
      "could not find a mail exchanger",
      "no mx found",
      "no mx record",
      "不接收邮件",
      "不接受邮件",
      "不接收郵件",
    ],
    example: {
      smtpCode: "556",
      enhancedCode: "5.1.10",
      diagnostic: "556 5.1.10 Recipient address has null MX",
    },
  },
];
