/**
 * Text rules of the fine reason `mailer_error` (Mailer error; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `mailer_error` rules, in decision order. */
export const rules: readonly ReasonRule<"mailer_error">[] = [
  {
    id: "text-mailer-error",
    reason: "mailer_error",
    any: [
      "pipe to |",
      "procmail",
      "mailer error",
      "exit 75",
      "operating system error",
      "local delivery failed",
    ],
    example: { diagnostic: "pipe to |/usr/local/bin/filter user@example.com" },
  },
];
