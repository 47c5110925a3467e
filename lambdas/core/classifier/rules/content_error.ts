/**
 * Text rules of the fine reason `content_error` (Content error; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `content_error` rules, in decision order. */
export const rules: readonly ReasonRule<"content_error">[] = [
  {
    id: "text-content-error",
    reason: "content_error",
    any: [
      "8-bit data",
      "8bit data",
      "headers too large",
      "header size",
      "invalid mime",
      "mime complexity",
      "improperly-formatted",
      "unnecessary base64",
      "内容格式错误",
    ],
    unless: ["spam"],
    example: {
      smtpCode: "550",
      enhancedCode: "5.6.9",
      diagnostic: "550 5.6.9 improper use of 8-bit data in message header",
    },
  },
];
