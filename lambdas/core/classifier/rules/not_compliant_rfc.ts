/**
 * Text rules of the fine reason `not_compliant_rfc` (Not RFC compliant; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `not_compliant_rfc` rules, in decision order. */
export const rules: readonly ReasonRule<"not_compliant_rfc">[] = [
  {
    id: "text-not-compliant-rfc",
    reason: "not_compliant_rfc",
    any: [
      "missing a valid message-id",
      "missing a valid address in the from: header",
      "encoded-word syntax is not permitted",
      "unicode character in a disallowed header",
      "rfc 5322",
      "rfc5322",
      "rfc 2822",
      "rfc2822",
      "multiple addresses in from",
      "duplicate header",
      "multiple subject headers",
      "more than one from",
      "not rfc compliant",
    ],
    example: {
      smtpCode: "550",
      enhancedCode: "5.7.1",
      diagnostic: "550-5.7.1 Messages with multiple addresses in From: header are not accepted.",
    },
  },
];
