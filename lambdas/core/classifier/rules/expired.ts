/**
 * Text rules of the fine reason `expired` (Delivery expired; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `expired` rules, in decision order. */
export const rules: readonly ReasonRule<"expired">[] = [
  {
    id: "text-expired",
    reason: "expired",
    re: /\b(?:expired|giving up|gave up|in the queue too long|too long in (?:the )?queue|retry (?:time|period) exceeded|not (?:been )?delivered (?:within|after)|for the last \d{1,7} (?:seconds|minutes|hours|days))\b/,
    any: [
      "message expired",
      "envelope expired",
      "delivery time expired",
      "retry timeout exceeded",
      "timed out",
      "timeout",
      "could not deliver for the last",
      "not delivered within",
      "has been delayed",
      "will be retried",
      "all hosts have been failing",
      "unable to deliver this message after",
      "unable to deliver message after",
      "unable to connect",
      "failed to connect",
      "did not accept our requests to connect",
      "establish an smtp connection",
      "host not reachable",
      "could not find a gateway",
      "queue too long",
      "连接超时",
      "連接逾時",
      "投递超时",
      "发送超时",
      "超时",
      "无法连接",
      "已过期",
    ],
    seq: [["delivery failed ", " attempts"]],
    example: { enhancedCode: "4.4.7", diagnostic: "Message expired: unable to deliver in 840 minutes." },
  },
];
