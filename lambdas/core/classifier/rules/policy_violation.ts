/**
 * Text rules of the fine reason `policy_violation` (Policy violation; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `policy_violation` rules, in decision order. */
export const rules: readonly ReasonRule<"policy_violation">[] = [
  {
    id: "text-policy",
    reason: "policy_violation",
    any: [
      "anti-spoofing policy",
      "content examination policy",
      "policy reasons",
      "denied by policy",
      "local policy",
      "policy violation",
      "protocol violation",
      "violates policy",
      "content presents a potential security issue",
      "host network not allowed",
      "header error",
      "security policies",
      "违反策略",
      "策略拒绝",
      "违反了",
    ],
    example: {
      smtpCode: "554",
      enhancedCode: "5.7.9",
      diagnostic: "554 5.7.9 Message not accepted for policy reasons.",
    },
  },
];
