/**
 * Text rules of the fine reason `has_moved` (Mailbox has moved; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `has_moved` rules, in decision order. */
export const rules: readonly ReasonRule<"has_moved">[] = [
  {
    id: "text-has-moved",
    reason: "has_moved",
    any: [
      "no longer on server",
      "mailbox has moved",
      "address has moved",
      "user has moved",
      "邮箱已迁移",
      "已迁移",
    ],
    example: {
      smtpCode: "550",
      enhancedCode: "5.1.6",
      diagnostic: "550 5.1.6 recipient no longer on server: user@example.go.jp",
    },
  },
];
