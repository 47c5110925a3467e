/**
 * Text rules of the fine reason `require_ptr` (Reverse DNS required; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `require_ptr` rules, in decision order. */
export const rules: readonly ReasonRule<"require_ptr">[] = [
  {
    id: "text-require-ptr",
    reason: "require_ptr",
    re: /\breverse (?:dns|lookup)\b|\bptr (?:record|lookup)\b|\brdns\b|\bunverifi?[ay]ble (?:sending )?ips?\b/,
    any: [
      "reverse dns",
      "reverse lookup",
      "reverse hostname",
      "ptr record",
      "dns ptr",
      "no ptr",
      "rdns",
      "ip name lookup failed",
      "mismatches client ip",
      "unverifyable sending ip",
      "cannot find your hostname",
      "client host rejected: cannot find",
      "反向解析",
      "反向域名",
      "ptr记录",
    ],
    example: {
      smtpCode: "550",
      enhancedCode: "5.7.25",
      diagnostic:
        "550 5.7.25 The IP address sending this message does not have a PTR record setup, or the corresponding forward DNS entry does not point to the sending IP.",
    },
  },
];
