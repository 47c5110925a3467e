/**
 * Text rules of the fine reason `network_error` (Network error; design.md §2.4), each with the
 * example it must win on. Where each one sits in the decision order is `RULE_ORDER` (`order.ts`);
 * they are listed here in that order.
 */

import type { ReasonRule } from "./types.js";

/** The `network_error` rules, in decision order. */
export const rules: readonly ReasonRule<"network_error">[] = [
  {
    id: "text-host-unknown-temporary",
    reason: "network_error",
    any: [
      "host not found",
      "domain not found",
      "domain name not found",
      "name service error",
      "host or domain name not found",
      "nxdomain",
    ],
    also: ["try again", "temporar", "servfail", "timed out", "timeout"],
    note: "A DNS failure the resolver itself calls temporary is a network error, not a dead domain.",
    example: { diagnostic: "Name service error for domain example.com: Host not found, try again" },
  },
  {
    id: "text-host-unknown-4xx",
    reason: "network_error",
    any: [
      "host not found",
      "domain not found",
      "domain name not found",
      "host unknown",
      "unknown host",
      "nxdomain",
      "no such domain",
      "had no relevant answers",
    ],
    codeClass: 4,
    note: "The same words on a 4xx: the sending MTA will retry, so this is not (yet) a dead domain.",
    example: {
      enhancedCode: "4.0.0",
      diagnostic:
        "DNS Error: DNS type 'mx' lookup of example.jp responded with code NXDOMAIN Domain name not found",
    },
  },
  {
    id: "text-network-error",
    reason: "network_error",
    any: [
      "routing loop",
      "mail loop",
      "loop detected",
      "too many hops",
      "hop count exceeded",
      "name service error",
      "host name lookup failure",
      "lookup failure",
      "dns error",
      "no route to host",
      "network is unreachable",
      "network error",
      "lost connection",
      "name server reply",
      "dns query failed",
      "网络错误",
      "网络故障",
      "网络异常",
    ],
    example: {
      smtpCode: "554",
      enhancedCode: "5.4.6",
      diagnostic: "554 5.4.6 Hop count exceeded - possible mail loop",
    },
  },
];
