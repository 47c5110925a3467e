/**
 * Text rules of the fine reason `speeding` (Rate limited; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `speeding` rules, in decision order. */
export const rules: readonly ReasonRule<"speeding">[] = [
  {
    id: "text-speeding",
    reason: "speeding",
    any: [
      "due to excessive volume",
      "receiving mail too quickly",
      "unusual rate of mail",
      "behaviour spam",
      "hl:ifq",
      "hl:itc",
      "rate limit",
      "rate-limit",
      "ratelimit",
      "receiving mail at a rate",
      "sending too fast",
      "too many messages",
      "too many recipients this hour",
      "recipients per hour",
      "sending rate exceeded",
      "sending quota",
      "message quota exceeded",
      "throttl",
      "hl:ifc",
      "mi:dmc",
      "mi:sfq",
      "mi:stc",
      "rp:qrc",
      "rp:trc",
      "发送频率",
      "发信频率",
      "频率过高",
      "频率过快",
      "过于频繁",
      "发送量超过",
      "超过发送限制",
    ],
    example: {
      smtpCode: "550",
      enhancedCode: "5.2.1",
      diagnostic:
        "The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered.",
    },
  },
];
