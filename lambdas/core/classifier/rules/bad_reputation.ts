/**
 * Text rules of the fine reason `bad_reputation` (Bad sender reputation; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `bad_reputation` rules, in decision order. */
export const rules: readonly ReasonRule<"bad_reputation">[] = [
  {
    id: "text-bad-reputation",
    reason: "bad_reputation",
    any: [
      "reputation",
      "tss04",
      "temporarily deferred due to unexpected volume or user complaints",
      "hl:rep",
      "信誉",
      "信譽",
    ],
    unless: ["spamhaus", "barracuda", "spamcop", "sorbs", "dnsbl", "blocked using"],
    note: "A named anti-spam list is `blocked` even when the reply also speaks of reputation.",
    example: {
      smtpCode: "421",
      enhancedCode: "4.7.0",
      diagnostic:
        "421 4.7.0 [TSS04] Messages from 192.0.2.25 temporarily deferred due to unexpected volume or user complaints",
    },
  },
];
