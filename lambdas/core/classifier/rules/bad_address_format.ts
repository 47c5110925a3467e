/**
 * Text rules of the fine reason `bad_address_format` (Bad address format; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `bad_address_format` rules, in decision order. */
export const rules: readonly ReasonRule<"bad_address_format">[] = [
  {
    id: "text-bad-address-format",
    reason: "bad_address_format",
    any: [
      "bad recipient address syntax",
      "bad address syntax",
      "address syntax",
      "invalid address format",
      "invalid email address format",
      "malformed recipient",
      "syntax error in address",
      "syntactically invalid",
      "地址格式错误",
      "邮箱格式错误",
      "地址格式不正确",
      "邮箱格式不正确",
      "格式错误的地址",
    ],
    example: { smtpCode: "501", enhancedCode: "5.1.3", diagnostic: "501 5.1.3 Bad recipient address syntax" },
  },
];
