/**
 * Text rules of the fine reason `too_many_conn` (Too many connections; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `too_many_conn` rules, in decision order. */
export const rules: readonly ReasonRule<"too_many_conn">[] = [
  {
    id: "text-too-many-conn",
    reason: "too_many_conn",
    re: /\btoo many (?:connections|concurrent|simultaneous|recipients|sessions)\b|\b(?:connection|ip|session) (?:frequency|rate|count) (?:limit|limited)\b|\bfrequency limited\b/,
    any: [
      "max message per connection",
      "rp:drc",
      "too many connections",
      "too many concurrent",
      "too many simultaneous",
      "too many smtp sessions",
      "connection rate limit",
      "connection limit",
      "frequency limited",
      "too many recipients",
      "hl:icc",
      "rp:rcl",
      "连接数过多",
      "连接过多",
      "并发连接",
      "收件人数量超过",
      "收件人过多",
    ],
    unless: ["this hour", "per hour", "per day", "today"],
    example: {
      smtpCode: "452",
      enhancedCode: "4.3.2",
      diagnostic: "452 4.3.2 Connection rate limit exceeded.",
    },
  },
];
