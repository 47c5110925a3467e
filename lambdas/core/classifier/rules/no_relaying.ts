/**
 * Text rules of the fine reason `no_relaying` (Relaying denied; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `no_relaying` rules, in decision order. */
export const rules: readonly ReasonRule<"no_relaying">[] = [
  {
    id: "text-no-relaying",
    reason: "no_relaying",
    re: /\brelay(?:ing)?\b[^.;]{0,30}\b(?:denied|not permitted|not allowed|prohibited|refused)\b|\bnot (?:configured|allowed|permitted) to relay\b|\binsecure (?:mail )?relay\b|\bunable to relay\b/,
    any: [
      "relay access denied",
      "relaying denied",
      "relay denied",
      "relay not permitted",
      "relaying not permitted",
      "relaying not allowed",
      "not permitted to relay",
      "unable to relay",
      "we do not relay",
      "not configured to relay",
      "insecure mail relay",
      "host denies relay",
      "isn't in my list of allowed rcpthosts",
      "relay not allowed",
      "rp:frl",
      "不允许转发",
      "拒绝转发",
      "不开放匿名转发",
      "不允许中继",
    ],
    example: {
      smtpCode: "554",
      enhancedCode: "5.7.1",
      diagnostic: "554 5.7.1 <user@example.com>: Relay access denied",
    },
  },
];
