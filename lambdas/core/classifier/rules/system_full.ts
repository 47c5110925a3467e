/**
 * Text rules of the fine reason `system_full` (Receiving system full; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `system_full` rules, in decision order. */
export const rules: readonly ReasonRule<"system_full">[] = [
  {
    id: "text-system-full",
    reason: "system_full",
    any: [
      "insufficient disk space",
      "insufficient system storage",
      "mail system full",
      "system full",
      "out of disk space",
      "磁盘空间不足",
      "服务器空间不足",
      "系统空间不足",
    ],
    example: { smtpCode: "452", enhancedCode: "4.3.1", diagnostic: "452 4.3.1 Insufficient system storage" },
  },
];
