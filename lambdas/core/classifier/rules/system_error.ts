/**
 * Text rules of the fine reason `system_error` (Receiving system error; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `system_error` rules, in decision order. */
export const rules: readonly ReasonRule<"system_error">[] = [
  {
    id: "provider-mxlogic-drd",
    reason: "system_error",
    any: ["could not load drd"],
    note:
      "McAfee MXLogic answers 'Could not load DRD for domain' when its own domain routing data for the " +
      "recipient domain is missing: an error of the receiving system, not of the address.",
    example: { smtpCode: "451", diagnostic: "451 Could not load DRD for domain (example.org)" },
  },
  {
    id: "text-system-error",
    reason: "system_error",
    any: [
      "unable to process connection at this time",
      "unable to process an email at this time",
      "message ended early",
      "internal error",
      "internal server error",
      "system error",
      "server error",
      "local error",
      "service currently unavailable",
      "unable to contact ldap",
      "directory server",
      "insufficient permission",
      "duplicated message-id",
      "queue file write error",
      "系统错误",
      "系統錯誤",
      "系统繁忙",
      "服务器繁忙",
      "内部错误",
      "服务暂时不可用",
      "服务不可用",
    ],
    example: { smtpCode: "550", enhancedCode: "5.3.5", diagnostic: "550 5.3.5 Internal System Error" },
  },
  {
    id: "late-transaction-failed",
    reason: "system_error",
    any: ["transaction failed", "service unavailable", "系统忙"],
    late: true,
    example: { smtpCode: "554", diagnostic: "554 Transaction failed" },
  },
];
