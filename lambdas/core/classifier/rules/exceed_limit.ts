/**
 * Text rules of the fine reason `exceed_limit` (Exceeds a recipient limit; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `exceed_limit` rules, in decision order. */
export const rules: readonly ReasonRule<"exceed_limit">[] = [
  {
    id: "text-exceed-limit",
    reason: "exceed_limit",
    any: [
      "set by recipient",
      "for this recipient",
      "recipsizelimit",
      "per-recipient",
      "exceeds",
      "exceeded",
      "too large",
      "too big",
      "size limit",
    ],
    enhanced: ["5.2.3", "4.2.3"],
    note: "Size wording with X.2.3 is the per-recipient limit, not the system's message-size limit.",
    example: {
      smtpCode: "552",
      enhancedCode: "5.2.3",
      diagnostic: "552 5.2.3 Message length exceeds limit set by recipient",
    },
  },
];
