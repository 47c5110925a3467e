/**
 * Text rules of the fine reason `syntax_error` (SMTP syntax error; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `syntax_error` rules, in decision order. */
export const rules: readonly ReasonRule<"syntax_error">[] = [
  {
    id: "text-syntax-error",
    reason: "syntax_error",
    re: /\b(?:bad|improper|invalid) sequence of commands\b|\bcommand (?:parameter )?(?:not implemented|unrecognized)\b|\bsyntax error\b/,
    any: [
      "syntax error",
      "improper sequence of commands",
      "bad sequence of commands",
      "command not recognized",
      "command unrecognized",
      "command parameter not implemented",
      "command not implemented",
      "error in command",
      "malformed address",
      "语法错误",
    ],
    example: { smtpCode: "503", diagnostic: "503 Improper sequence of commands" },
  },
];
