/**
 * Text rules of the fine reason `auth_failure` (SPF/DKIM/DMARC failure; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `auth_failure` rules, in decision order. */
export const rules: readonly ReasonRule<"auth_failure">[] = [
  {
    id: "provider-gmail-limited-unauthenticated",
    reason: "auth_failure",
    seq: [
      ["rate limited because", "spf"],
      ["rate limited because", "dkim"],
      ["rate limited because", "dmarc"],
    ],
    note:
      "Gmail's 4.7.27/30/31/32 'rate limited because' SPF, DKIM, DMARC or From: alignment did not " +
      "pass: an authentication failure. Before the RFC 5322 rule, which 4.7.32's '(RFC5322)' trips.",
    example: {
      smtpCode: "421",
      enhancedCode: "4.7.32",
      diagnostic:
        "421 4.7.32 Your email has been rate limited because the From: header (RFC5322) in this message isn't aligned with either the authenticated SPF or DKIM organizational domain.",
    },
  },
  {
    id: "text-auth-failure",
    reason: "auth_failure",
    any: [
      "mi:dma",
      "dmarc",
      "dkim",
      "spf",
      "sender policy framework",
      "authentication checks failed",
      "does not have authentication information",
      "fails to pass authentication",
      "sender is unauthenticated",
      "arc validation",
      "发件人认证失败",
      "发信认证失败",
    ],
    note: "SPF/DKIM/DMARC before the sender-side rule: 'The MAIL FROM domain has an SPF record…' is auth.",
    example: {
      smtpCode: "550",
      enhancedCode: "5.7.1",
      diagnostic: "550 5.7.1 Email rejected per DMARC policy for example.org",
    },
  },
];
