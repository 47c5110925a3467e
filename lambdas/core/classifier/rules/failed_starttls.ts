/**
 * Text rules of the fine reason `failed_starttls` (STARTTLS failed; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `failed_starttls` rules, in decision order. */
export const rules: readonly ReasonRule<"failed_starttls">[] = [
  {
    id: "provider-gmail-limited-without-tls",
    reason: "failed_starttls",
    seq: [["rate limited because", " tls"]],
    note:
      "Gmail's 4.7.29 'rate limited because this message wasn't sent over a TLS connection': the " +
      "cause is the missing TLS, the rate limit only its consequence. Before the speeding rule.",
    example: {
      smtpCode: "421",
      enhancedCode: "4.7.29",
      diagnostic:
        "421 4.7.29 Your email has been rate limited because this message wasn't sent over a TLS connection.",
    },
  },
  {
    id: "text-failed-starttls",
    reason: "failed_starttls",
    any: [
      "this route requires encryption",
      "this route requires tls",
      "this route requires high-strength ciphers",
      "senders to use tls/ssl",
      "requiretls",
      "tls negotiation",
      "tls handshake",
      "tls required",
      "tls is required",
      "must issue a starttls",
      "starttls failed",
      "starttls is required",
      "does not support tls",
      "does not support starttls",
      "encryption required",
    ],
    example: {
      smtpCode: "530",
      enhancedCode: "5.7.0",
      diagnostic: "530 5.7.0 Must issue a STARTTLS command first",
    },
  },
];
