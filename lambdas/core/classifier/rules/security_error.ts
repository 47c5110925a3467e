/**
 * Text rules of the fine reason `security_error` (Security error; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `security_error` rules, in decision order. */
export const rules: readonly ReasonRule<"security_error">[] = [
  {
    id: "text-security",
    reason: "security_error",
    any: [
      "authentication required",
      "authentication is required",
      "smtp authentication",
      "authrequired",
      "unauthenticated senders",
      "not authorized to send",
      "需要认证",
      "需要身份验证",
      "身份验证失败",
    ],
    example: { smtpCode: "550", diagnostic: "550 Unauthenticated senders not allowed" },
  },
  {
    id: "late-access-denied",
    reason: "security_error",
    any: ["access denied", "not authorized", "permission denied", "拒绝访问"],
    late: true,
    example: { smtpCode: "550", diagnostic: "550 Access denied" },
  },
];
