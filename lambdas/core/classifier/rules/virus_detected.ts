/**
 * Text rules of the fine reason `virus_detected` (Virus detected; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `virus_detected` rules, in decision order. */
export const rules: readonly ReasonRule<"virus_detected">[] = [
  {
    id: "text-virus",
    reason: "virus_detected",
    any: ["virus", "malware", "infected", "trojan", "病毒"],
    example: { smtpCode: "550", diagnostic: "550 Virus Detected; Content Rejected" },
  },
];
